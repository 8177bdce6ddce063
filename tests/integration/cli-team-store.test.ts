import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { usePostgres } from '../helpers/postgres';
import { setUpTeam, type TeamMember } from '../helpers/team';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * The team store from the CLI, across three data dirs (a lead and two engineers) and a real PostgreSQL:
 * init, add-member, join, sync — sessions made offline reach the store once each, and an unreachable
 * store loses nothing.
 */
const postgres = usePostgres();
const tempDir = useTempDirs('switchboard-cli-team-');
let lead: TeamMember;
let ravi: TeamMember;
let asha: TeamMember;
const cli = (member: TeamMember, args: string[], input?: string) => runCli(args, { dataDir: member.dataDir, ...(input !== undefined ? { input } : {}) });
const ok = (member: TeamMember, args: string[], input?: string) => {
  const result = cli(member, args, input);
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
};
/** A session made offline: a printed AnyDesk link is a logged session. */
const session = (member: TeamMember) => ok(member, ['connect', '--site', 'Acme/Pune', '--target', 'agent-pc', '--method', 'anydesk', '--ticket', 'INC-1', '--print']);
const storeCount = async (login: string) => {
  const admin = await postgres().connect();
  try {
    return Number((await admin.query("SELECT count(*) AS n FROM switchboard.log_records WHERE login = $1 AND kind = 'attempt'", [login])).rows[0].n);
  } finally {
    await admin.end();
  }
};
const logins: Record<string, string> = {};
const url = () => `postgresql://127.0.0.1:${postgres().port}/postgres?sslmode=verify-full&sslrootcert=${postgres().caFile}`;

beforeAll(async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
  await buildNodeBundles();
  lead = { dataDir: tempDir(), name: 'Lena Lead', email: 'lena@example.com', role: 'lead' };
  ravi = { dataDir: tempDir(), name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' };
  asha = { dataDir: tempDir(), name: 'Asha Rao', email: 'asha@example.com', role: 'engineer' };
  setUpTeam([lead, ravi, asha], tempDir());
  const profile = `version: 1\ncustomers:\n  - name: Acme\n    package: premium\n    timezone: UTC\n    workdays: [mon, tue, wed, thu, fri, sat, sun]\n    sites:\n      - name: Pune\n        seats: 10\n        peak_calls: 10\n        approved_methods: [anydesk]\n        hosts:\n          - { name: agent-pc, anydesk: "123456789" }\n`;
  for (const member of [lead, ravi, asha]) {
    const file = `${member.dataDir}/acme.yaml`;
    fs.writeFileSync(file, profile);
    ok(member, ['sites', 'import', file]);
    ok(member, ['tickets', 'open', '--site', 'Acme/Pune', '--id', 'INC-1', '--type', 'incident']);
  }
}, 120_000);

describe('switchboard team', () => {
  it('init: the first lead creates the schema and roles with the admin URL, which is not kept', async () => {
    const init = JSON.parse(ok(lead, ['team', 'init', '--db', postgres().superuserUrl, '--json'])) as { login: string; created: boolean; url: string };
    expect(init).toMatchObject({ created: true });
    expect(init.url).not.toContain(postgres().superuserPassword);
    logins.lead = init.login;
    const again = JSON.parse(ok(lead, ['team', 'init', '--db', postgres().superuserUrl, '--json'])) as { created: boolean; applied: string[] };
    expect(again).toMatchObject({ created: false, applied: [] });
    const status = JSON.parse(ok(lead, ['team', 'status', '--json'])) as { linked: boolean; url: string };
    expect(status.linked).toBe(true);
    expect(status.url).not.toContain(postgres().superuserPassword);
  });

  it('add-member (a lead) and join (the engineer, secret on stdin): each engineer gets a login of their own', async () => {
    for (const member of [ravi, asha]) {
      const added = JSON.parse(ok(lead, ['team', 'add-member', '--name', member.name, '--email', member.email, '--role', 'engineer', '--json'])) as { name: string; login: string; join_secret: string };
      expect(Object.keys(added).sort()).toEqual(['join_secret', 'login', 'name']);
      session(member);
      const joined = JSON.parse(ok(member, ['team', 'join', '--db', url(), '--name', member.name, '--json'], `${added.join_secret}\n`)) as { login: string; sync: { pushed: number } };
      expect(joined.login).toBe(added.login);
      expect(joined.sync.pushed).toBeGreaterThan(0);
      logins[member.email] = added.login;
      // The join secret is spent.
      const reuse = cli(member, ['team', 'join', '--db', url(), '--name', member.name], `${added.join_secret}\n`);
      expect(reuse.status).toBe(1);
      expect(reuse.stderr).toMatch(/refused the sign-in/);
    }
    // An engineer cannot add members: the database refuses.
    const refused = cli(ravi, ['team', 'add-member', '--name', 'Eve', '--email', 'eve@example.com', '--role', 'lead']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/Only a lead of the team adds members; the team store refused it \(permission denied/);
  });

  it('sessions made offline reach the store once each; a second sync pushes nothing', async () => {
    for (let i = 0; i < 3; i++) session(ravi);
    session(asha);
    expect((JSON.parse(ok(ravi, ['team', 'status', '--json'])) as { waiting: number }).waiting).toBeGreaterThan(0);
    ok(ravi, ['team', 'sync']);
    ok(asha, ['team', 'sync']);
    expect(await storeCount(logins['ravi@example.com']!)).toBe(4);
    expect(await storeCount(logins['asha@example.com']!)).toBe(2);
    const again = JSON.parse(ok(ravi, ['team', 'sync', '--json'])) as { pushed: number };
    expect(again.pushed).toBe(0);
    expect(await storeCount(logins['ravi@example.com']!)).toBe(4);
    expect((JSON.parse(ok(ravi, ['team', 'status', '--json'])) as { waiting: number }).waiting).toBe(0);
  });

  it('the lead\'s sync pulls the team\'s sessions into the review queue, once each, without bundles', async () => {
    const first = JSON.parse(ok(lead, ['team', 'sync', '--json'])) as { pulled: number; sessions: number };
    expect(first.pulled).toBeGreaterThan(0);
    const listed = () => JSON.parse(ok(lead, ['review', 'list', '--json', '--limit', '500'])) as { engineer: string; method: string }[];
    const count = (email: string) => listed().filter((s) => s.engineer === email && s.method === 'anydesk').length;
    expect([count('ravi@example.com'), count('asha@example.com')]).toEqual([4, 2]);
    const again = JSON.parse(ok(lead, ['team', 'sync', '--json'])) as { pulled: number };
    expect(again.pulled).toBe(0);
    expect([count('ravi@example.com'), count('asha@example.com')]).toEqual([4, 2]);
    // An engineer pulls nobody's sessions into a review queue.
    expect((JSON.parse(ok(ravi, ['team', 'sync', '--json'])) as { pulled: number }).pulled).toBe(0);
  });

  it('profile edits reach the other data dirs: a lead\'s new customer; an engineer\'s only once a lead lets everyone edit', async () => {
    const customers = (member: TeamMember) => [...new Set((JSON.parse(ok(member, ['sites', 'list', '--json'])) as { customer: string }[]).map((c) => c.customer))].sort();
    const importCustomer = (member: TeamMember, name: string) => {
      const file = `${member.dataDir}/${name}.yaml`;
      fs.writeFileSync(file, `version: 1\ncustomers:\n  - name: ${name}\n    package: premium\n    timezone: UTC\n    workdays: [mon]\n    sites:\n      - name: HQ\n        seats: 5\n        peak_calls: 5\n        approved_methods: [ssh]\n        hosts:\n          - { name: app01, address: 10.9.0.1, ssh: { user: support } }\n`);
      ok(member, ['sites', 'import', file]);
    };
    importCustomer(lead, 'Globex');
    expect(ok(lead, ['team', 'sync'])).toMatch(/Profiles: saved 1 profile edit in the team store/);
    ok(ravi, ['team', 'sync']);
    ok(asha, ['team', 'sync']);
    expect(customers(ravi)).toEqual(['Acme', 'Globex']);
    expect(customers(asha)).toEqual(['Acme', 'Globex']);
    // Only leads edit profiles by default: Ravi's new customer stays on his laptop.
    importCustomer(ravi, 'Initech');
    ok(ravi, ['team', 'sync']);
    expect((JSON.parse(ok(ravi, ['team', 'status', '--json'])) as { localOnly: string[] }).localOnly).toEqual(['Initech']);
    const refused = cli(ravi, ['team', 'set', 'profile-editors', 'everyone']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/refused|permission denied/);
    expect(ok(lead, ['team', 'set', 'profile-editors', 'everyone'])).toMatch(/Everyone in the team may edit/);
    expect(ok(ravi, ['team', 'sync'])).toMatch(/Profiles: saved 1 profile edit/);
    ok(asha, ['team', 'sync']);
    expect(customers(asha)).toEqual(['Acme', 'Globex', 'Initech']);
    expect(ok(asha, ['sites', 'list'])).toMatch(/^The team's site profiles as of the last sync \(20\d\d-.*\):\n(.|\n)*Initech\/HQ/);
    expect(ok(asha, ['team', 'conflicts'])).toMatch(/No profile conflicts/);
    ok(lead, ['team', 'set', 'profile-editors', 'leads']);
  });

  it('an unreachable store: sync exits 1 and says so, status says since when; nothing is lost once it is back', async () => {
    await postgres().kill();
    session(ravi);
    const failed = cli(ravi, ['team', 'sync']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/refused the connection/);
    const status = JSON.parse(ok(ravi, ['team', 'status', '--json'])) as { offlineSince: string | null; waiting: number };
    expect(status.offlineSince).not.toBeNull();
    expect(status.waiting).toBeGreaterThan(0);
    await postgres().restart();
    ok(ravi, ['team', 'sync']);
    expect(await storeCount(logins['ravi@example.com']!)).toBe(5);
    expect((JSON.parse(ok(ravi, ['team', 'status', '--json'])) as { offlineSince: string | null }).offlineSince).toBeNull();
  });
});
