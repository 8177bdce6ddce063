import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecordView } from '../../contract/models';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { openTestCore, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { setUpTeam, type TeamMember } from '../helpers/team';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * What a lead's and an engineer's data dirs show of the team once joined, through the built CLI and a
 * real PostgreSQL: `log list` on the lead's dir is the team's log as of the last sync (the engineer's
 * stays their own), and the lead's weekly view counts every engineer pulled from the team store.
 */
const postgres = usePostgres();
const tempDir = useTempDirs('switchboard-team-views-');
let lead: TeamMember;
let ravi: TeamMember;
let asha: TeamMember;
const ok = (member: TeamMember, args: string[], input?: string) => {
  const result = runCli(args, { dataDir: member.dataDir, ...(input !== undefined ? { input } : {}) });
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
};
const session = (member: TeamMember) => ok(member, ['connect', '--site', 'Acme/Pune', '--target', 'agent-pc', '--method', 'anydesk', '--ticket', 'INC-1', '--print']);
const sessions = (member: TeamMember, args: string[] = []) =>
  (JSON.parse(ok(member, ['log', 'list', '--json', '--kind', 'session', ...args]).stdout) as SessionRecordView[]);
const byEngineer = (records: SessionRecordView[]) => {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.engineer] = (counts[r.engineer] ?? 0) + 1;
  return counts;
};
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
  await buildNodeBundles();
  lead = { dataDir: tempDir(), name: 'Lena Lead', email: 'lena@example.com', role: 'lead' };
  ravi = { dataDir: tempDir(), name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' };
  asha = { dataDir: tempDir(), name: 'Asha Rao', email: 'asha@example.com', role: 'engineer' };
  setUpTeam([lead, ravi, asha], tempDir());
  const profile = `version: 1\ncustomers:\n  - name: Acme\n    package: premium\n    timezone: UTC\n    workdays: [mon, tue, wed, thu, fri, sat, sun]\n    sites:\n      - name: Pune\n        seats: 10\n        peak_calls: 10\n        approved_methods: [anydesk]\n        hosts:\n          - { name: agent-pc, anydesk: "123456789" }\n`;
  for (const member of [lead, ravi, asha]) {
    fs.writeFileSync(`${member.dataDir}/acme.yaml`, profile);
    ok(member, ['sites', 'import', `${member.dataDir}/acme.yaml`]);
    ok(member, ['tickets', 'open', '--site', 'Acme/Pune', '--id', 'INC-1', '--type', 'incident']);
  }
  ok(lead, ['team', 'init', '--db', postgres().superuserUrl]);
  const url = `postgresql://127.0.0.1:${postgres().port}/postgres?sslmode=verify-full&sslrootcert=${postgres().caFile}`;
  for (const member of [ravi, asha]) {
    const added = JSON.parse(ok(lead, ['team', 'add-member', '--name', member.name, '--email', member.email, '--role', 'engineer', '--json']).stdout) as { join_secret: string };
    ok(member, ['team', 'join', '--db', url, '--name', member.name], `${added.join_secret}\n`);
  }
  // Made offline, then synced: two sessions of Ravi's, one of Asha's, one of the lead's own.
  session(ravi);
  session(ravi);
  session(asha);
  session(lead);
  ok(ravi, ['team', 'sync']);
  ok(asha, ['team', 'sync']);
  ok(lead, ['team', 'sync']);
}, 180_000);

describe('log list on joined data dirs', () => {
  it('a lead\'s lists the team\'s log as of the last sync: their own sessions and each engineer\'s pulled ones, once each', () => {
    expect(byEngineer(sessions(lead))).toEqual({ 'lena@example.com': 1, 'ravi@example.com': 2, 'asha@example.com': 1 });
    const listed = sessions(lead);
    expect(listed.map((r) => r.startedAt)).toEqual([...listed.map((r) => r.startedAt)].sort().reverse());
    // A pulled record's ticket and site ids are the engineer's own data dir's numbers: not shown here.
    expect(listed.filter((r) => r.engineer !== lead.email).every((r) => r.ticketId === null && r.siteId === null && r.ticket === 'INC-1')).toBe(true);
  });

  it('filters apply to the team\'s records too; --mine is the lead\'s own log alone', () => {
    expect(byEngineer(sessions(lead, ['--engineer', 'RAVI@example.com']))).toEqual({ 'ravi@example.com': 2 });
    expect(sessions(lead, ['--limit', '2'])).toHaveLength(2);
    expect(byEngineer(sessions(lead, ['--mine']))).toEqual({ 'lena@example.com': 1 });
    const both = runCli(['log', 'list', '--mine', '--team'], { dataDir: lead.dataDir });
    expect(both.status).toBe(2);
  });

  it('the text list names each engineer and says it is the team\'s log as of the last sync', () => {
    const text = ok(lead, ['log', 'list', '--kind', 'session']);
    expect(text.stderr).toMatch(/^The team's log as of the last sync \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\): your records and those of 2 other engineers; --mine lists only yours\./);
    const rows = text.stdout.trim().split('\n').slice(1);
    expect(rows.filter((line) => line.includes('ravi@example.com'))).toHaveLength(2);
    expect(rows.filter((line) => line.includes('asha@example.com'))).toHaveLength(1);
  });

  it('an engineer\'s lists their own log, as before joining (they pull nobody\'s records)', () => {
    expect(byEngineer(sessions(ravi))).toEqual({ 'ravi@example.com': 2 });
    expect(ok(ravi, ['log', 'list', '--kind', 'session']).stderr).toBe('');
  });
});

describe('the lead\'s weekly view after a sync', () => {
  let core: TestCore;
  beforeAll(() => { core = openTestCore({ dataDir: lead.dataDir, mode: 'cli', teamSyncOff: true }); });
  afterAll(async () => { await core?.close(); });

  it('counts every pulled engineer\'s sessions of the week, and says their records came from the team store', async () => {
    const week = await core.services.review.weekly(today, 'UTC');
    expect(week.perEngineer.map((e) => [e.engineer, e.name, e.sessions])).toEqual([['ravi@example.com', 'Ravi Nair', 2], ['asha@example.com', 'Asha Rao', 1]]);
    expect(week.totals.sessions).toBe(3);
    expect(week.bundles.map((b) => [b.engineer, b.source, b.bundles]).sort()).toEqual([['asha@example.com', 'team-store', 0], ['ravi@example.com', 'team-store', 0]]);
  });

  it('lists the team\'s engineers with no session in a week too (who did nothing shows)', async () => {
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const week = await core.services.review.weekly(nextWeek, 'UTC');
    expect(week.totals.sessions).toBe(0);
    expect(week.perEngineer).toEqual([
      { engineer: 'asha@example.com', name: 'Asha Rao', sessions: 0, denials: 0, exceptions: 0, flagged: 0 },
      { engineer: 'ravi@example.com', name: 'Ravi Nair', sessions: 0, denials: 0, exceptions: 0, flagged: 0 },
    ]);
  });
});
