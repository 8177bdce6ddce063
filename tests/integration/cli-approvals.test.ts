import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../main/core/keychain/keytar-secret-store';
import { scopedSecrets } from '../../main/core/keychain/scoped-secret-store';
import { addSignatures, ed25519NoteSigner } from '../../main/core/transparency/signed-note';
import { buildNodeBundles, runCli, type CliResult } from '../helpers/cli';
import { createIdentity, setUpTeam } from '../helpers/team';
import { useTempDirs } from '../helpers/temp-dir';
import { EXCEPTION_PROFILE_YAML, EXCEPTION_SITE } from '../helpers/fixtures';

/**
 * Exception approvals signed by a lead (issue 9 §4), through the built CLI on three data dirs — a lead,
 * an engineer and a second engineer — each with its own identity in the real Secret Service, all
 * trusting one roster the lead signed. Every forgery is a file someone could hand over.
 */
const SITE = EXCEPTION_SITE;

describe('switchboard approvals request / sign / import', () => {
  const tempDir = useTempDirs('switchboard-cli-approvals-');
  let files: string;
  const dirs = { lead: '', ravi: '', asha: '', outsider: '' };
  const as = (who: keyof typeof dirs, ...args: string[]): CliResult => runCli(args, { dataDir: dirs[who] });
  const file = (name: string) => path.join(files, name);
  const ok = (result: CliResult) => {
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  };
  const refused = (result: CliResult, message: RegExp) => {
    expect(result.status, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toMatch(message);
  };
  const request = (who: 'ravi' | 'asha', out: string, extra: string[] = [], until = '2099-12-01') =>
    ok(as(who, 'approvals', 'request', '--site', SITE, '--method', 'vnc', '--ticket', 'T-1', '--reason', 'DR drill on the PBX', '--until', until, '--out', file(out), ...extra));
  const check = (who: 'ravi' | 'asha', target: string) => as(who, 'policy', 'check', '--site', SITE, '--target', target, '--method', 'vnc', '--ticket', 'T-1', '--json');
  const approvalRecords = (who: keyof typeof dirs) => {
    const db = new Database(path.join(dirs[who], 'switchboard.db'), { readonly: true });
    try {
      return (db.prepare("SELECT detail FROM session_events WHERE kind = 'approval' ORDER BY seq").pluck().all() as string[]).map((d) => JSON.parse(d) as { step: string; code?: string; lead?: { name: string; fingerprint: string }; sha256?: string });
    } finally {
      db.close();
    }
  };
  const soon = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const waitUntilPast = async (iso: string) => {
    while (Date.now() <= Date.parse(iso)) await new Promise((resolve) => setTimeout(resolve, Date.parse(iso) - Date.now() + 50));
  };
  let leadFingerprint = '';

  beforeAll(async () => {
    await buildNodeBundles();
    files = tempDir();
    for (const who of Object.keys(dirs) as (keyof typeof dirs)[]) dirs[who] = tempDir();
    ({ leadFingerprint } = setUpTeam([
      { dataDir: dirs.lead, name: 'Lena Park', email: 'lena@example.com', role: 'lead' },
      { dataDir: dirs.ravi, name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' },
      { dataDir: dirs.asha, name: 'Asha Rao', email: 'asha@example.com', role: 'engineer' },
    ], files));
    createIdentity({ dataDir: dirs.outsider, name: 'Olaf Out', email: 'olaf@example.com', role: 'lead' });
    fs.writeFileSync(file('acme.yaml'), EXCEPTION_PROFILE_YAML);
    for (const who of ['ravi', 'asha', 'outsider'] as const) {
      ok(as(who, 'sites', 'import', file('acme.yaml')));
      ok(as(who, 'tickets', 'open', '--site', SITE, '--id', 'T-1'));
    }
  }, 120_000);

  it('request → a lead signs → import: the policy allows that method on that host until it ends, and names the approval', async () => {
    expect(check('ravi', 'pbx1').status).toBe(1);
    const until = soon(12);
    request('ravi', 'happy.request', ['--host', 'pbx1'], until);
    const text = fs.readFileSync(file('happy.request'), 'utf8');
    expect(text).toMatch(new RegExp(`^switchboard exception request v1\nid [0-9a-f-]{36}\nengineer ravi@example.com\nengineer-key SHA256:\\S+\nsite Acme/pune\nmethod vnc\nhost pbx1\nticket T-1\nreason DR drill on the PBX\nuntil ${until}\nrequested \\S+Z\n\n— ravi@example.com \\S+\n$`));
    const signed = as('lead', 'approvals', 'sign', file('happy.request'), '--out', file('happy.approval'));
    expect(signed.status, signed.stderr).toBe(0);
    expect(signed.stdout).toMatch(/engineer\s+ravi@example.com[\s\S]*method\s+vnc[\s\S]*host\s+pbx1[\s\S]*reason\s+DR drill on the PBX/);
    expect(ok(as('ravi', 'approvals', 'import', file('happy.approval')))).toMatch(/approved by Lena Park/);

    const allowed = check('ravi', 'pbx1');
    expect(allowed.status, allowed.stdout).toBe(0);
    const decision = JSON.parse(allowed.stdout) as { approval: { id: string; leadFingerprint: string; sha256: string } };
    const id = /^id (\S+)$/m.exec(text)![1]!;
    expect(decision.approval).toMatchObject({ id, approvedBy: 'Lena Park', leadFingerprint, host: 'pbx1' });
    refused(check('ravi', 'pbx2'), /^$/);
    expect(JSON.parse(check('ravi', 'pbx2').stdout).reasons.join(' ')).toMatch(/covers only pbx1, not pbx2/);

    // A real attempt names the approval in the chain, so a lead can re-check it later.
    const printed = as('ravi', 'connect', '--site', SITE, '--target', 'pbx1', '--method', 'vnc', '--ticket', 'T-1', '--print');
    const db = new Database(path.join(dirs.ravi, 'switchboard.db'), { readonly: true });
    const attempt = db.prepare("SELECT detail FROM session_events WHERE kind = 'attempt' AND method = 'vnc' AND decision = 'allow'").pluck().get() as string | undefined;
    db.close();
    expect(attempt, printed.stderr).toBeDefined();
    expect(JSON.parse(attempt!).approval).toMatchObject({ id, leadFingerprint, sha256: decision.approval.sha256 });

    expect(approvalRecords('ravi').map((r) => r.step)).toEqual(['requested', 'imported']);
    expect(approvalRecords('ravi')[1]).toMatchObject({ lead: { name: 'Lena Park', fingerprint: leadFingerprint }, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(approvalRecords('lead').map((r) => r.step)).toEqual(['signed']);
    expect(JSON.parse(ok(as('ravi', 'approvals', 'list', '--site', SITE, '--json'))).approvals).toMatchObject([{ status: 'active', approvedBy: { name: 'Lena Park' } }]);

    await waitUntilPast(until);
    refused(check('ravi', 'pbx1'), /^$/);
    expect(JSON.parse(check('ravi', 'pbx1').stdout).reasons.join(' ')).toMatch(/no exception approval for it signed by a lead/);
    expect(JSON.parse(ok(as('ravi', 'approvals', 'list', '--site', SITE, '--json'))).approvals).toMatchObject([{ status: 'expired' }]);
  }, 60_000);

  it('an engineer cannot sign, and an approval forged with an engineer\'s key is refused at import', async () => {
    request('ravi', 'forge.request');
    refused(as('asha', 'approvals', 'sign', file('forge.request'), '--out', file('forge.approval')), /Asha Rao .* is an engineer in the roster .* only its leads \(Lena Park\) can sign/);
    expect(fs.existsSync(file('forge.approval'))).toBe(false);
    // Forged by hand: Asha adds a signature with her own key from the keychain, outside Switchboard.
    const forged = await forgeWithKeyOf('asha', fs.readFileSync(file('forge.request'), 'utf8'));
    fs.writeFileSync(file('forge.approval'), forged);
    refused(as('ravi', 'approvals', 'import', file('forge.approval')), /signed by Asha Rao <asha@example.com> .* who is an engineer in the roster .* not a lead/);
    expect(approvalRecords('ravi').at(-1)).toMatchObject({ step: 'import-refused', code: 'NOT_A_LEAD' });
    refused(as('ravi', 'approvals', 'import', file('forge.request')), /no lead has signed it yet/);
  });

  it('refuses an expired request at signing and an expired approval at import', async () => {
    const until = soon(6);
    request('ravi', 'late.request', [], until);
    ok(as('lead', 'approvals', 'sign', file('late.request'), '--out', file('late.approval')));
    const unsigned = soon(6);
    request('ravi', 'late2.request', [], unsigned);
    await waitUntilPast(until > unsigned ? until : unsigned);
    refused(as('lead', 'approvals', 'sign', file('late2.request'), '--out', file('late2.approval')), /ended at .* can no longer be approved/);
    refused(as('ravi', 'approvals', 'import', file('late.approval')), /ended at .* an expired approval is not imported/);
    expect(approvalRecords('ravi').at(-1)).toMatchObject({ step: 'import-refused', code: 'EXPIRED' });
  }, 30_000);

  it.each([
    ['its reason', (t: string) => t.replace(/^reason .*$/m, 'reason DR drill and whatever else')],
    ['its until', (t: string) => t.replace(/^until .*$/m, 'until 2199-12-01T23:59:59Z')],
    ['its host', (t: string) => t.replace(/^method vnc$/m, 'method vnc\nhost pbx2')],
  ])('refuses an approval altered after signing (%s)', (_what, alter) => {
    const name = `altered-${_what.replace(/\W/g, '')}`;
    request('ravi', `${name}.request`);
    ok(as('lead', 'approvals', 'sign', file(`${name}.request`), '--out', file(`${name}.approval`)));
    fs.writeFileSync(file(`${name}.edited`), alter(fs.readFileSync(file(`${name}.approval`), 'utf8')));
    refused(as('ravi', 'approvals', 'import', file(`${name}.edited`)), /altered after the lead signed it/);
    expect(approvalRecords('ravi').at(-1)).toMatchObject({ step: 'import-refused', code: 'SIGNATURE_INVALID' });
    // The untouched approval is still good.
    ok(as('ravi', 'approvals', 'import', file(`${name}.approval`)));
  });

  it('refuses an approval of another engineer\'s request, and a replayed one', () => {
    request('asha', 'asha.request');
    ok(as('lead', 'approvals', 'sign', file('asha.request'), '--out', file('asha.approval')));
    refused(as('ravi', 'approvals', 'import', file('asha.approval')), /for a request this data dir did not make/);
    expect(approvalRecords('ravi').at(-1)).toMatchObject({ step: 'import-refused', code: 'UNKNOWN_REQUEST' });
    ok(as('asha', 'approvals', 'import', file('asha.approval')));
    refused(as('asha', 'approvals', 'import', file('asha.approval')), /already imported on .* imported once/);
    expect(approvalRecords('asha').at(-1)).toMatchObject({ step: 'import-refused', code: 'ALREADY_IMPORTED' });
  });

  it('refuses to sign a request from someone not in the roster, and a non-lead data dir cannot approve', async () => {
    request('ravi', 'mine.request');
    ok(as('outsider', 'approvals', 'request', '--site', SITE, '--method', 'vnc', '--ticket', 'T-1', '--reason', 'let me in', '--until', '2099-12-01', '--out', file('outsider.request')));
    refused(as('lead', 'approvals', 'sign', file('outsider.request'), '--out', file('outsider.approval')), /olaf@example.com .* is not in the roster of Premium Support EMEA/);
    // The outsider calls themself a lead, but no roster says so: they cannot sign, and their own signature approves nothing.
    refused(as('outsider', 'approvals', 'sign', file('mine.request'), '--out', file('mine.outsider')), /cannot|no team roster/);
    fs.writeFileSync(file('mine.outsider'), await forgeWithKeyOf('outsider', fs.readFileSync(file('mine.request'), 'utf8')));
    refused(as('ravi', 'approvals', 'import', file('mine.outsider')), /signed by olaf@example.com, not by a lead of the roster/);
  });

  it('exits 2 on bad input', () => {
    expect(as('ravi', 'approvals', 'request', '--site', SITE, '--method', 'vnc', '--ticket', 'T-1', '--reason', 'x', '--until', '2099-12-01').status).toBe(2);
    expect(as('ravi', 'approvals', 'request', '--site', SITE, '--method', 'telnet', '--ticket', 'T-1', '--reason', 'x', '--until', '2099-12-01', '--out', file('x')).status).toBe(2);
    expect(as('ravi', 'approvals', 'request', '--site', SITE, '--method', 'ssh', '--ticket', 'T-1', '--reason', 'x', '--until', '2099-12-01', '--out', file('x')).stderr).toMatch(/already approved/);
    expect(as('ravi', 'approvals', 'request', '--site', SITE, '--method', 'vnc', '--host', 'nope', '--ticket', 'T-1', '--reason', 'x', '--until', '2099-12-01', '--out', file('x')).status).toBe(2);
    expect(as('ravi', 'approvals', 'request', '--site', SITE, '--method', 'vnc', '--ticket', 'T-1', '--reason', 'x', '--until', '2001-01-01', '--out', file('x')).status).toBe(2);
    fs.writeFileSync(file('garbage'), 'hello\n');
    expect(as('ravi', 'approvals', 'import', file('garbage')).status).toBe(2);
  });

  /** Adds a signature by `who`'s key to the note, as anyone holding that key could, outside Switchboard's checks. */
  async function forgeWithKeyOf(who: 'asha' | 'outsider', note: string): Promise<string> {
    const pem = await scopedSecrets(new KeytarSecretStore(), storeIdOf(dirs[who]), 'identity').get('ed25519-private-key');
    return addSignatures(note, [ed25519NoteSigner(who === 'asha' ? 'asha@example.com' : 'olaf@example.com', pem!)]);
  }
});

function storeIdOf(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'switchboard.db'), { readonly: true });
  try {
    return db.prepare("SELECT value FROM store_meta WHERE key = 'store_id'").pluck().get() as string;
  } finally {
    db.close();
  }
}
