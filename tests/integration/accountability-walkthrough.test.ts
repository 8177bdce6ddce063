import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli, type CliResult } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * Issue 9's CLI end to end, as a team would use it: three data dirs on one machine (one keychain) — a
 * lead and two engineers — each step through the built CLI, in the order people take them.
 */
const SITE = 'Acme Telecom/mumbai-prod';
const PROFILE = `version: 1
customers:
  - name: Acme Telecom
    package: premium
    timezone: Asia/Kolkata
    workdays: [mon, tue, wed, thu, fri, sat]
    sites:
      - name: mumbai-prod
        seats: 100
        peak_calls: 400
        approved_methods: [anydesk]
        hosts:
          - name: agent-pc-07
            anydesk: "123456789"
          - name: vlogger
            address: 10.20.0.50
            vnc: { port: 5901 }
`;

describe('accountability across a lead and two engineers (issue 9 §6)', () => {
  const tempDir = useTempDirs('switchboard-accountability-walk-');
  const dirs = { lead: '', ravi: '', mia: '' };
  let files = '';
  const as = (who: keyof typeof dirs, ...args: string[]): CliResult => runCli(args, { dataDir: dirs[who] });
  const file = (name: string) => path.join(files, name);
  const ok = (result: CliResult): string => {
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const exits = (code: number, result: CliResult, message: RegExp) => {
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(code);
    expect(result.stderr).toMatch(message);
  };
  interface Shown { name: string; email: string; role: string; public_key: string; fingerprint: string; roster_role: string | null }
  const show = (who: keyof typeof dirs) => JSON.parse(ok(as(who, 'identity', 'show', '--json'))) as Shown;

  beforeAll(async () => {
    await buildNodeBundles();
    files = tempDir();
    for (const who of Object.keys(dirs) as (keyof typeof dirs)[]) dirs[who] = tempDir();
    fs.writeFileSync(file('acme.yaml'), PROFILE);
  }, 180_000);

  it('identities: a key pair each, the private half only in the keychain', () => {
    ok(as('lead', 'identity', 'init', '--name', 'Lena Park', '--email', 'lena@example.com', '--role', 'lead'));
    const init = ok(as('ravi', 'identity', 'init', '--name', 'Ravi Nair', '--email', 'ravi@example.com'));
    expect(init).toMatch(/Fingerprint: SHA256:[A-Za-z0-9+/]{43}\n/);
    ok(as('mia', 'identity', 'init', '--name', 'Mia Wong', '--email', 'mia@example.com'));
    const ravi = show('ravi');
    expect(ravi).toMatchObject({ name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer', public_key: expect.stringMatching(/^ed25519:[A-Za-z0-9+/]{43}=$/), fingerprint: expect.stringMatching(/^SHA256:/) });
    expect(init).toContain(ravi.fingerprint);
    for (const who of ['lead', 'ravi', 'mia'] as const) {
      const db = new Database(path.join(dirs[who], 'switchboard.db'), { readonly: true });
      const text = JSON.stringify(db.prepare('SELECT * FROM identity').all());
      db.close();
      expect(text).not.toMatch(/PRIVATE KEY/);
    }
    exits(2, as('ravi', 'identity', 'init', '--name', 'Ravi Again', '--email', 'ravi2@example.com'), /already signs as Ravi Nair/);
  });

  it('the roster: signed by the lead, trusted on a confirmed fingerprint, refused otherwise', () => {
    const lead = show('lead');
    fs.writeFileSync(file('roster.yaml'), `version: 1
team: Premium Support EMEA
members:
  - { name: Lena Park, email: lena@example.com, role: lead, public_key: "${lead.public_key}" }
  - { name: Ravi Nair, email: ravi@example.com, role: engineer, public_key: "${show('ravi').public_key}" }
  - { name: Mia Wong, email: mia@example.com, role: engineer, public_key: "${show('mia').public_key}" }
`);
    exits(1, as('ravi', 'team', 'roster', 'sign', file('roster.yaml'), '--out', file('ravi-roster.signed')), /cannot sign this roster: it lists them as engineer, not lead/);
    ok(as('lead', 'team', 'roster', 'sign', file('roster.yaml'), '--out', file('roster.signed')));
    exits(1, as('ravi', 'team', 'roster', 'import', file('roster.signed')), new RegExp(`signed by Lena Park <lena@example.com> ${lead.fingerprint.replace(/[+/]/g, '\\$&')}.*--trust-lead`));
    exits(1, as('ravi', 'team', 'roster', 'import', file('roster.signed'), '--trust-lead', show('mia').fingerprint), /is not the key that signed this roster/);
    const altered = fs.readFileSync(file('roster.signed'), 'utf8').replace('role: engineer, public_key: "' + show('mia').public_key, 'role: lead, public_key: "' + show('mia').public_key);
    fs.writeFileSync(file('altered.signed'), altered);
    exits(1, as('mia', 'team', 'roster', 'import', file('altered.signed'), '--trust-lead', lead.fingerprint), /No lead named in this roster signed it/);
    for (const who of ['ravi', 'mia'] as const) expect(ok(as(who, 'team', 'roster', 'import', file('roster.signed'), '--trust-lead', lead.fingerprint))).toMatch(/Imported the roster of Premium Support EMEA: 3 members/);
    ok(as('lead', 'team', 'roster', 'import', file('roster.signed')));
    expect(show('ravi').roster_role).toBe('engineer');
  });

  it('sessions and an exception: requested by the engineer, signed by the lead, honoured by the policy', () => {
    for (const who of ['ravi', 'mia'] as const) {
      ok(as(who, 'sites', 'import', file('acme.yaml')));
      ok(as(who, 'tickets', 'open', '--site', SITE, '--id', `EXO-${who === 'ravi' ? 1 : 2}`, '--component', 'voice_logger'));
      expect(ok(as(who, 'connect', '--site', SITE, '--target', 'agent-pc-07', '--method', 'anydesk', '--ticket', `EXO-${who === 'ravi' ? 1 : 2}`, '--print')).trim()).toBe('anydesk:123456789');
    }
    const vnc = ['--site', SITE, '--target', 'vlogger', '--method', 'vnc', '--ticket', 'EXO-1'];
    expect(as('ravi', 'policy', 'check', ...vnc).status).toBe(1);
    const until = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    ok(as('ravi', 'approvals', 'request', '--site', SITE, '--method', 'vnc', '--host', 'vlogger', '--ticket', 'EXO-1', '--reason', 'Voice logger console only reachable over VNC', '--until', until, '--out', file('request.txt')));
    exits(1, as('mia', 'approvals', 'sign', file('request.txt'), '--out', file('mia-signed.txt')), /lead/);
    ok(as('lead', 'approvals', 'sign', file('request.txt'), '--out', file('approval.txt')));
    exits(1, as('mia', 'approvals', 'import', file('approval.txt')), /.+/);
    ok(as('ravi', 'approvals', 'import', file('approval.txt')));
    expect(as('ravi', 'policy', 'check', ...vnc).status).toBe(0);
    ok(as('ravi', 'connect', ...vnc, '--print'));
    const attempts = JSON.parse(ok(as('ravi', 'log', 'list', '--json', '--kind', 'session'))) as { method: string; engineer: string; detail: Record<string, unknown> }[];
    const exception = attempts.find((r) => r.method === 'vnc')!;
    expect(exception.engineer).toBe('ravi@example.com');
    expect(JSON.stringify(exception.detail)).toMatch(/lena@example.com|Lena Park/);
  });

  it('checkpoints and verify: signed by the engineer, a cut tail named', () => {
    const note = ok(as('ravi', 'log', 'checkpoint'));
    expect(note).toMatch(/^switchboard\/log\/[0-9a-f]{32}\n\d+\n[A-Za-z0-9+/]{43}=\ntime \S+\n\n\u2014 ravi@example.com \S+\n$/);
    expect(ok(as('ravi', 'log', 'verify'))).toMatch(/^intact: \d+ records\nsigned: \d+ checkpoints? hold/);
  });

  it('bundles: exported by each engineer, verified and witnessed by the lead, handed back', () => {
    for (const who of ['ravi', 'mia'] as const) {
      ok(as(who, 'log', 'bundle', '--out', file(`${who}.bundle`)));
      exits(1, as(who === 'ravi' ? 'mia' : 'ravi', 'review', 'import', file(`${who}.bundle`)), /only a lead imports/);
      ok(as('lead', 'review', 'import', file(`${who}.bundle`)));
      ok(as(who, 'log', 'witness', `${file(`${who}.bundle`)}.witness`));
    }
    expect(ok(as('ravi', 'log', 'verify'))).toMatch(/witnessed: Lena Park cosigned the first \d+ records 0 days ago; 0 sessions since/);
  });

  it('the review: list, mark (flag needs a comment, only a lead), export', () => {
    const list = JSON.parse(ok(as('lead', 'review', 'list', '--json'))) as Record<string, unknown>[];
    expect(list).toHaveLength(3);
    for (const row of list) expect(Object.keys(row)).toEqual(expect.arrayContaining(['id', 'engineer', 'ticket', 'method', 'outcome', 'state']));
    const ravis = JSON.parse(ok(as('lead', 'review', 'list', '--engineer', 'ravi@example.com', '--json'))) as { id: string; method: string; state: string }[];
    expect(ravis.map((r) => r.method).sort()).toEqual(['anydesk', 'vnc']);
    const vnc = ravis.find((r) => r.method === 'vnc')!;
    exits(2, as('lead', 'review', 'mark', vnc.id, '--state', 'flagged'), /comment/);
    ok(as('lead', 'review', 'mark', vnc.id, '--state', 'flagged', '--comment', 'Check the exception was needed'));
    exits(1, as('ravi', 'review', 'mark', vnc.id, '--state', 'signed-off'), /lead/);
    expect(JSON.parse(ok(as('lead', 'review', 'list', '--state', 'flagged', '--json')))).toMatchObject([{ id: vnc.id, state: 'flagged' }]);
    const csv = ok(as('lead', 'review', 'export', '--format', 'csv'));
    expect(csv.split('\n').filter(Boolean)).toHaveLength(4);
    ok(as('lead', 'review', 'export', '--format', 'json', file('report.json')));
    expect(fs.readFileSync(file('report.json'), 'utf8')).toMatch(/lena@example.com/);
    expect(ok(as('lead', 'log', 'verify'))).toMatch(/^intact: /);
  });

  it('a tail cut after the lead witnessed it: named by verify, and the next bundle refused as a fork or truncation', () => {
    ok(as('ravi', 'connect', '--site', SITE, '--target', 'agent-pc-07', '--method', 'anydesk', '--ticket', 'EXO-1', '--print'));
    const db = new Database(path.join(dirs.ravi, 'switchboard.db'));
    const last = db.prepare('SELECT max(seq) FROM session_events').pluck().get() as number;
    for (const name of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER "${name}"`);
    db.prepare('DELETE FROM session_events WHERE seq > ?').run(last - 6);
    db.prepare('DELETE FROM checkpoint_cosignatures').run();
    db.prepare('DELETE FROM checkpoints').run();
    db.prepare('DELETE FROM merkle_nodes').run();
    db.close();
    // The keychain's copy of the latest checkpoint still covers the deleted records.
    exits(1, as('ravi', 'log', 'verify'), new RegExp(`records ${last - 5}–${last} are missing`));
    // Even without it, the lead holds the witnessed checkpoint: new records on the cut log do not extend it.
    ok(as('ravi', 'connect', '--site', SITE, '--target', 'agent-pc-07', '--method', 'anydesk', '--ticket', 'EXO-1', '--print'));
    const bundled = as('ravi', 'log', 'bundle', '--out', file('after-cut.bundle'), '--since', '2020-01-01');
    if (bundled.status === 0) exits(1, as('lead', 'review', 'import', file('after-cut.bundle')), /Bundle refused \((fork|truncated|rewritten|gap)/);
    else expect(bundled.status).toBe(1);
  });
});
