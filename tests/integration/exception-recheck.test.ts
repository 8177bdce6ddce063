import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli, type CliResult } from '../helpers/cli';
import { openTestCore } from '../helpers/core';
import { setUpTeam } from '../helpers/team';
import { useTempDirs } from '../helpers/temp-dir';
import { EXCEPTION_PROFILE_YAML, EXCEPTION_SITE } from '../helpers/fixtures';

/**
 * A lead re-checks every exception an engineer's sessions ran under when their bundle comes in, against
 * the lead's own roster — so a session a modified app let through on a forged, foreign or stretched
 * approval is flagged at import (a signed review decision), whatever the engineer's app said.
 */
const SITE = EXCEPTION_SITE;

describe('exceptions re-checked by the lead at import', () => {
  const tempDir = useTempDirs('switchboard-exception-recheck-');
  const dirs = { lead: '', ravi: '' };
  let files = '';
  const as = (who: keyof typeof dirs, ...args: string[]): CliResult => runCli(args, { dataDir: dirs[who] });
  const ok = (result: CliResult) => {
    expect(result.status, result.stderr + result.stdout).toBe(0);
    return result.stdout;
  };
  const file = (name: string) => path.join(files, name);
  const leadRows = () => {
    const db = new Database(path.join(dirs.lead, 'switchboard.db'), { readonly: true });
    try {
      return db.prepare('SELECT session_id AS sessionId, host, exception, state, state_comment AS comment FROM review_sessions ORDER BY id').all() as { sessionId: string; host: string; exception: number; state: string; comment: string | null }[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    await buildNodeBundles();
    files = tempDir();
    dirs.lead = tempDir();
    dirs.ravi = tempDir();
    setUpTeam([
      { dataDir: dirs.lead, name: 'Lena Park', email: 'lena@example.com', role: 'lead' },
      { dataDir: dirs.ravi, name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' },
    ], files);
    fs.writeFileSync(file('acme.yaml'), EXCEPTION_PROFILE_YAML);
    ok(as('ravi', 'sites', 'import', file('acme.yaml')));
    ok(as('ravi', 'tickets', 'open', '--site', SITE, '--id', 'T-1'));
    ok(as('ravi', 'approvals', 'request', '--site', SITE, '--method', 'vnc', '--host', 'pbx1', '--ticket', 'T-1', '--reason', 'Voice logger check', '--until', '2099-12-01', '--out', file('request')));
    ok(as('lead', 'approvals', 'sign', file('request'), '--out', file('approval')));
    ok(as('ravi', 'approvals', 'import', file('approval')));
  }, 180_000);

  it('accepts an exception the lead signed and the session stayed inside; flags a forged one and one stretched to another host', async () => {
    ok(as('ravi', 'connect', '--site', SITE, '--target', 'pbx1', '--method', 'vnc', '--ticket', 'T-1', '--print'));
    // What a modified app could write: sessions that name an approval they do not have.
    const core = openTestCore({ dataDir: dirs.ravi, mode: 'cli' });
    try {
      const [genuine] = core.db.prepare("SELECT detail FROM session_events WHERE kind = 'attempt' AND method = 'vnc'").pluck().all() as string[];
      const approval = (JSON.parse(genuine!) as { approval: Record<string, unknown> }).approval;
      const attempt = (sessionId: string, host: string, named: Record<string, unknown>) => core.sessionLog.append({
        sessionId, kind: 'attempt', engineer: 'ravi@example.com', ticket: 'T-1', site: SITE, host, method: 'vnc', target: host,
        decision: 'allow', outcome: 'allowed', reasons: ['allowed by an exception'], detail: { approval: named },
      });
      attempt('forged-session', 'pbx1', { ...approval, id: 'made-up', sha256: 'f'.repeat(64) });
      attempt('stretched-session', 'pbx2', approval);
      await core.services.accountability.idle();
    } finally {
      await core.close();
    }
    ok(as('ravi', 'log', 'bundle', '--out', file('ravi.bundle')));
    const imported = ok(as('lead', 'review', 'import', file('ravi.bundle')));
    expect(imported).toMatch(/flagged: session forged-session ran under an exception that does not check out: the approval it names \(made-up\) is not among Ravi Nair's imported approvals/);
    expect(imported).toMatch(/flagged: session stretched-session .*covers only pbx1, the session went to pbx2/);
    const rows = leadRows().filter((r) => r.exception === 1);
    expect(rows.map((r) => [r.host, r.state])).toEqual([['pbx1', 'unreviewed'], ['pbx1', 'flagged'], ['pbx2', 'flagged']]);
    expect(rows[1]!.comment).toMatch(/^Flagged at import: the exception this session ran under does not check out/);
    // Each flag is a signed review decision in the lead's own chain.
    const reviews = JSON.parse(ok(as('lead', 'log', 'list', '--json', '--kind', 'review'))) as { kind: string; description: string }[];
    expect(reviews.filter((r) => r.kind === 'review')).toHaveLength(2);
    expect(ok(as('lead', 'log', 'verify'))).toMatch(/^intact: /);
  });
});
