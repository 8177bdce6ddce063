import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { call, hostFields, openTestCore } from '../helpers/core';
import { allowListProfile } from '../helpers/fixtures';
import { useTempDirs } from '../helpers/temp-dir';

interface Listed { kind: string; seq?: number; description?: string; sessionId: string; engineer: string; ticket: string | null; site: string | null; host: string | null; detail: Record<string, unknown> }


/** `log list --kind` through the built CLI: a host's allow-list and a site's setting changed, then listed by kind. */
describe('switchboard log list --kind', () => {
  const tempDir = useTempDirs('switchboard-cli-log-kinds-');
  let dataDir: string;
  const cli = (...args: string[]) => runCli(args, { dataDir, env: { ...process.env, SWITCHBOARD_ENGINEER: 'asha' } });
  const list = (...args: string[]) => {
    const result = cli('log', 'list', '--json', ...args);
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Listed[];
  };

  beforeAll(async () => {
    await buildNodeBundles();
    dataDir = tempDir();
    const file = path.join(tempDir(), 'acme.yaml');
    fs.writeFileSync(file, allowListProfile(['10.0.0.0/24']));
    expect(cli('sites', 'import', file).status).toBe(0);
    // Import adds and never edits, and `sites set` sets input recording only: the allow-list is widened
    // as the window's form does it, through the core's API on the same data dir.
    const core = openTestCore({ dataDir, mode: 'web', engineer: 'asha' });
    try {
      const hostId = core.db.prepare("SELECT id FROM hosts WHERE name = 'pbx1'").pluck().get() as number;
      await call(core, 'hosts.update', { id: hostId, fields: { ...hostFields('pbx1'), address: '10.0.0.5', allow: ['10.0.0.0/24', '10.0.1.5'] }, ticket: 'EXO-7' });
    } finally {
      await core.close();
    }
    expect(cli('sites', 'set', '--site', 'Acme/Pune', '--record-input', 'on', '--ticket', 'EXO-8').status).toBe(0);
    const denied = cli('connect', '--site', 'Acme/Pune', '--target', '10.9.9.9', '--method', 'ssh', '--ticket', 'EXO-9', '--print');
    expect(denied.status, denied.stderr).toBe(1);
    const identity = cli('identity', 'init', '--name', 'Asha Rao', '--email', 'asha@example.com');
    expect(identity.status, identity.stderr).toBe(0);
  }, 120_000);

  it('--kind policy-change --json: the allow-list change with its ticket, before → after', () => {
    const changes = list('--kind', 'policy-change');
    expect(changes.every((r) => r.kind === 'policy-change')).toBe(true);
    const allow = changes.find((r) => r.ticket === 'EXO-7');
    expect(allow).toMatchObject({
      host: 'pbx1', site: 'Acme/Pune', seq: expect.any(Number) as number,
      description: 'host Acme/Pune/pbx1 changed: allow 10.0.0.0/24 → 10.0.0.0/24, 10.0.1.5',
      detail: { entity: 'host', change: 'changed', via: 'form', fields: ['allow'], before: { allow: ['10.0.0.0/24'] }, after: { allow: ['10.0.0.0/24', '10.0.1.5'] } },
    });
    expect(changes.find((r) => r.ticket === 'EXO-8')?.detail).toMatchObject({ entity: 'site', via: 'cli', fields: ['recordInput'] });
  });

  it.each([
    ['session', ['session']],
    ['team', ['identity']],
    ['approval', []],
    ['review', []],
  ])('--kind %s lists only %j', (kind, kinds) => {
    expect([...new Set(list('--kind', kind).map((r) => r.kind))]).toEqual(kinds);
  });

  it('without --kind lists every record; a session keeps its shape (kind, no seq or description)', () => {
    const all = list();
    expect(new Set(all.map((r) => r.kind))).toEqual(new Set(['session', 'policy-change', 'identity']));
    const session = all.find((r) => r.kind === 'session')!;
    expect(session).toMatchObject({ ticket: 'EXO-9', site: 'Acme/Pune' });
    expect(session).not.toHaveProperty('seq');
    expect(session).not.toHaveProperty('description');
  });

  it('prints each record that is not a session with a second line saying what it is', () => {
    const table = cli('log', 'list', '--kind', 'policy-change', '--ticket', 'EXO-7');
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^STARTED\s+ENGINEER\s+TICKET/);
    expect(table.stdout).toMatch(/EXO-7\s+Acme\/Pune\s+pbx1\s+-\s+-\s+policy changed/);
    expect(table.stdout).toContain('\n  policy change: host Acme/Pune/pbx1 changed: allow 10.0.0.0/24 → 10.0.0.0/24, 10.0.1.5\n');
    const team = cli('log', 'list', '--kind', 'team');
    expect(team.stdout).toMatch(/\n {2}identity: Identity Asha Rao <asha@example\.com> created as engineer, key SHA256:/);
  });

  it('refuses an unknown --kind with exit 2, naming the kinds', () => {
    const result = cli('log', 'list', '--kind', 'sessions');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--kind is one of session, policy-change, approval, team, review, not "sessions"/);
  });
});
