import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { EXCEPTION_PROFILE_YAML, EXCEPTION_SITE } from '../helpers/fixtures';
import { usePostgres } from '../helpers/postgres';
import { createIdentity, type TeamMember } from '../helpers/team';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * The roster and an exception approval through the team store, from the built CLI on two data dirs and a
 * real PostgreSQL: the engineer's data dir, which has no roster, is told which lead to confirm and takes the
 * store's roster with --from-store; the engineer's request reaches the lead's inbox, the lead signs it from
 * there, and the engineer's next sync imports it — the policy then allows the method.
 */
const postgres = usePostgres();
const tempDir = useTempDirs('switchboard-cli-team-approvals-');
let lead: TeamMember;
let ravi: TeamMember;
let leadFingerprint = '';
const cli = (member: TeamMember, args: string[], input?: string) => runCli(args, { dataDir: member.dataDir, ...(input !== undefined ? { input } : {}) });
const ok = (member: TeamMember, args: string[], input?: string) => {
  const result = cli(member, args, input);
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
};
const url = () => `postgresql://127.0.0.1:${postgres().port}/postgres?sslmode=verify-full&sslrootcert=${postgres().caFile}`;
const vncCheck = () => cli(ravi, ['policy', 'check', '--site', EXCEPTION_SITE, '--target', 'pbx1', '--method', 'vnc', '--ticket', 'T-1', '--json']);

beforeAll(async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
  await buildNodeBundles();
  const scratch = tempDir();
  lead = { dataDir: tempDir(), name: 'Lena Lead', email: 'lena@example.com', role: 'lead' };
  ravi = { dataDir: tempDir(), name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' };
  const keys = { lead: createIdentity(lead), ravi: createIdentity(ravi) };
  leadFingerprint = keys.lead.fingerprint;
  const roster = path.join(scratch, 'roster.yaml');
  fs.writeFileSync(roster, `version: 1\nteam: Premium Support EMEA\nmembers:\n  - { name: Lena Lead, email: lena@example.com, role: lead, public_key: "${keys.lead.public_key}" }\n  - { name: Ravi Nair, email: ravi@example.com, role: engineer, public_key: "${keys.ravi.public_key}" }\n`);
  ok(lead, ['team', 'roster', 'sign', roster, '--out', `${roster}.signed`]);
  ok(lead, ['team', 'roster', 'import', `${roster}.signed`]);
  const profile = path.join(scratch, 'acme.yaml');
  fs.writeFileSync(profile, EXCEPTION_PROFILE_YAML);
  for (const member of [lead, ravi]) {
    ok(member, ['sites', 'import', profile]);
    ok(member, ['tickets', 'open', '--site', EXCEPTION_SITE, '--id', 'T-1']);
  }
  ok(lead, ['team', 'init', '--db', postgres().superuserUrl]);
  const added = JSON.parse(ok(lead, ['team', 'add-member', '--name', ravi.name, '--email', ravi.email, '--role', 'engineer', '--json']).stdout) as { join_secret: string };
  ok(ravi, ['team', 'join', '--db', url(), '--name', ravi.name], `${added.join_secret}\n`);
}, 180_000);

describe('switchboard team sync: roster and exception approvals', () => {
  it('the lead publishes the roster; a data dir with none is told which lead to confirm, and imports it --from-store', () => {
    expect(ok(lead, ['team', 'sync']).stdout).toMatch(/Published your current roster in the team store/);
    const synced = ok(ravi, ['team', 'sync']);
    expect(synced.stderr).toContain(`switchboard team roster import --from-store --trust-lead ${leadFingerprint}`);
    expect(ok(ravi, ['team', 'roster', 'show']).stdout).toMatch(/No team roster imported yet/);
    expect(JSON.parse(ok(ravi, ['team', 'status', '--json']).stdout)).toMatchObject({ rosterWaiting: { team: 'Premium Support EMEA', signedBy: [{ fingerprint: leadFingerprint }] } });
    const unconfirmed = cli(ravi, ['team', 'roster', 'import', '--from-store']);
    expect(unconfirmed.status).toBe(1);
    expect(unconfirmed.stderr).toMatch(/--trust-lead/);
    expect(ok(ravi, ['team', 'roster', 'import', '--from-store', '--trust-lead', leadFingerprint]).stdout).toMatch(/Imported the roster of Premium Support EMEA: 2 members, signed by Lena Lead/);
    expect(JSON.parse(ok(ravi, ['team', 'status', '--json']).stdout)).toMatchObject({ rosterWaiting: null });
    expect(cli(ravi, ['team', 'roster', 'import', '--from-store', 'roster.signed']).status).toBe(2);
  });

  it('request → the lead\'s inbox → signed there → imported by the engineer\'s sync; the policy allows VNC on pbx1', () => {
    expect(vncCheck().status).toBe(1);
    const requestFile = path.join(ravi.dataDir, 'request.txt');
    ok(ravi, ['approvals', 'request', '--site', EXCEPTION_SITE, '--method', 'vnc', '--host', 'pbx1', '--ticket', 'T-1', '--reason', 'DR drill on the PBX', '--until', '2099-12-01', '--out', requestFile]);
    expect(ok(ravi, ['team', 'sync']).stdout).toMatch(/Sent 1 exception request to the leads/);

    expect(ok(lead, ['team', 'sync']).stdout).toMatch(/1 new exception request to approve: see switchboard approvals inbox/);
    const [request] = JSON.parse(ok(lead, ['approvals', 'inbox', '--json']).stdout) as { requestId: string; status: string; engineer: string }[];
    expect(request).toMatchObject({ status: 'waiting', engineer: 'ravi@example.com' });
    expect(ok(lead, ['approvals', 'inbox']).stdout).toContain(`switchboard approvals sign ${request!.requestId} --from-store`);
    expect(cli(lead, ['approvals', 'sign', request!.requestId]).status).toBe(2);
    const signed = ok(lead, ['approvals', 'sign', request!.requestId, '--from-store']);
    expect(signed.stdout).toMatch(/DR drill on the PBX[\s\S]*The next "switchboard team sync" publishes it/);
    expect(ok(lead, ['team', 'sync']).stdout).toMatch(/Published 1 approval you signed/);
    expect(JSON.parse(ok(lead, ['approvals', 'inbox', '--json']).stdout)).toEqual([expect.objectContaining({ status: 'signed' })]);

    const imported = JSON.parse(ok(ravi, ['team', 'sync', '--json']).stdout) as { approvals: { imported: string[] } };
    expect(imported.approvals.imported).toEqual([request!.requestId]);
    const allowed = vncCheck();
    expect(allowed.status, allowed.stdout).toBe(0);
    expect(ok(ravi, ['approvals', 'list', '--site', EXCEPTION_SITE]).stdout).toMatch(/^active\s+vnc\s+pbx1 .*approved by Lena Lead/m);
  });
});
