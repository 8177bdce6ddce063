import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyReviewReport } from '../../main/core/accountability/review-report';
import { parseRoster } from '../../main/core/accountability/roster';
import { buildNodeBundles, runCli, type CliResult } from '../helpers/cli';
import { openTestCore } from '../helpers/core';
import { castText, rosterYaml, seedEngineer, seedSessions } from '../helpers/review-seed';
import { useTempDirs } from '../helpers/temp-dir';

interface SessionJson { id: string; queue_id: number; engineer: string; ticket: string | null; method: string; outcome: string; state: string; comment: string | null; decided_by: string | null }

/**
 * `review list / mark / export` through the built CLI on a lead's data dir (identity and roster made
 * with the CLI, imported sessions seeded as `review import` stores them) and on an engineer's, who may
 * read nothing into a decision.
 */
describe('switchboard review list / mark / export', () => {
  const tempDir = useTempDirs('switchboard-cli-review-');
  const dirs = { lead: '', ravi: '' };
  let files = '';
  const ravi = seedEngineer('Ravi Nair', 'ravi@example.com');
  const asha = seedEngineer('Asha Rao', 'asha@example.com');
  const as = (who: keyof typeof dirs, ...args: string[]): CliResult => runCli(args, { dataDir: dirs[who] });
  const ok = (result: CliResult) => {
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  };
  const list = (...filters: string[]) => JSON.parse(ok(as('lead', 'review', 'list', '--json', ...filters))) as SessionJson[];
  let leadKey = '';

  beforeAll(async () => {
    await buildNodeBundles();
    files = tempDir();
    dirs.lead = tempDir();
    dirs.ravi = tempDir();
    ok(as('lead', 'identity', 'init', '--name', 'Lena Park', '--email', 'lena@example.com', '--role', 'lead'));
    ok(as('ravi', 'identity', 'init', '--name', 'Ravi Nair', '--email', 'ravi@example.com', '--role', 'lead'));
    const lead = JSON.parse(ok(as('lead', 'identity', 'show', '--json'))) as { public_key: string; fingerprint: string };
    leadKey = lead.public_key;
    fs.writeFileSync(path.join(files, 'roster.yaml'), rosterYaml('Premium Support EMEA', [
      { name: 'Lena Park', email: 'lena@example.com', role: 'lead', publicKey: lead.public_key },
      { ...ravi, role: 'engineer' }, { ...asha, role: 'engineer' },
    ]));
    ok(as('lead', 'team', 'roster', 'sign', path.join(files, 'roster.yaml'), '--out', path.join(files, 'roster.signed')));
    ok(as('lead', 'team', 'roster', 'import', path.join(files, 'roster.signed')));
    for (const dir of [dirs.lead, dirs.ravi]) {
      const core = openTestCore({ dataDir: dir, mode: 'cli' });
      try {
        seedSessions(core, [
          { engineer: ravi, site: 'Acme/Pune', ticket: 'INC-1', method: 'ssh', startedAt: '2026-11-17T05:00:00.000Z', sessionId: 'aaaa1111-0000-4000-8000-000000000001', recording: castText('hello') },
          { engineer: asha, site: 'Acme/Delhi', ticket: 'INC-2', method: 'ssh', decision: 'deny', startedAt: '2026-11-18T05:00:00.000Z', sessionId: 'bbbb2222-0000-4000-8000-000000000002' },
          { engineer: asha, site: 'Globex/Pune', ticket: 'INC-3', method: 'vnc', startedAt: '2026-11-19T05:00:00.000Z', sessionId: 'cccc3333-0000-4000-8000-000000000003' },
        ]);
      } finally {
        await core.close();
      }
    }
  }, 120_000);

  it('list --json: one object per session, newest first, with id, engineer, ticket, method, outcome and state', () => {
    const all = list();
    expect(all.map((s) => s.id)).toEqual(['cccc3333-0000-4000-8000-000000000003', 'bbbb2222-0000-4000-8000-000000000002', 'aaaa1111-0000-4000-8000-000000000001']);
    expect(all[1]).toMatchObject({ engineer: 'asha@example.com', ticket: 'INC-2', method: 'ssh', outcome: 'denied', state: 'unreviewed' });
    expect(list('--engineer', 'asha@example.com').map((s) => s.ticket)).toEqual(['INC-3', 'INC-2']);
    expect(list('--site', 'Pune', '--method', 'ssh').map((s) => s.ticket)).toEqual(['INC-1']);
    expect(list('--from', '2026-11-18', '--to', '2026-11-18').map((s) => s.ticket)).toEqual(['INC-2']);
    expect(list('--limit', '1')).toHaveLength(1);
  });

  it('list without --json prints a table; a bad filter is bad input (exit 2)', () => {
    const text = ok(as('lead', 'review', 'list', '--customer', 'Acme'));
    expect(text.split('\n')[0]).toMatch(/^STARTED\s+ENGINEER\s+TICKET\s+SITE\s+METHOD\s+OUTCOME\s+STATE\s+SESSION$/);
    expect(text).toContain('Acme/Delhi');
    expect(text).not.toContain('Globex');
    const bad = as('lead', 'review', 'list', '--state', 'approved');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--state/);
    expect(as('lead', 'review', 'list', '--from', 'yesterday').status).toBe(2);
  });

  it('mark: reviewed, flagged with a comment, signed off — each a review record in the lead\'s log', () => {
    expect(ok(as('lead', 'review', 'mark', 'aaaa1111-0000-4000-8000-000000000001', '--state', 'reviewed'))).toMatch(/ravi@example\.com's session aaaa1111-.* \(INC-1\) is now reviewed/);
    const noComment = as('lead', 'review', 'mark', 'bbbb2222', '--state', 'flagged');
    expect(noComment.status).toBe(2);
    expect(noComment.stderr).toMatch(/needs --comment/);
    ok(as('lead', 'review', 'mark', 'bbbb2222', '--state', 'flagged', '--comment', 'denied twice, then tried VNC'));
    ok(as('lead', 'review', 'mark', 'cccc3333-0000-4000-8000-000000000003', '--state', 'signed-off'));
    expect(list('--state', 'flagged')).toMatchObject([{ ticket: 'INC-2', comment: 'denied twice, then tried VNC', decided_by: 'lena@example.com' }]);
    expect(list('--state', 'reviewed').map((s) => s.ticket)).toEqual(['INC-1']);
    const db = new Database(path.join(dirs.lead, 'switchboard.db'), { readonly: true });
    try {
      const records = db.prepare("SELECT engineer, detail FROM session_events WHERE kind = 'review' ORDER BY seq").all() as { engineer: string; detail: string }[];
      expect(records.map((r) => (JSON.parse(r.detail) as { state: string }).state)).toEqual(['reviewed', 'flagged', 'signed-off']);
      expect(new Set(records.map((r) => r.engineer))).toEqual(new Set(['lena@example.com']));
    } finally {
      db.close();
    }
    // Each decision was signed into a checkpoint before the CLI exited: the latest covers every record.
    const verified = ok(as('lead', 'log', 'verify'));
    const count = /^intact: (\d+) records/m.exec(verified)![1];
    expect(verified).toMatch(new RegExp(`the latest covers ${count} records`));
  });

  it('mark: an unknown session is bad input (exit 2); a state that is not one too', () => {
    const unknown = as('lead', 'review', 'mark', 'dddd4444-no-such', '--state', 'reviewed');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no imported session dddd4444-no-such/);
    expect(as('lead', 'review', 'mark', 'aaaa1111', '--state', 'approved').status).toBe(2);
    expect(as('lead', 'review', 'mark', '--state', 'reviewed').status).toBe(2);
  });

  it('mark: someone who is not a lead of the roster is refused (exit 1), whatever role they gave themself', () => {
    const refused = as('ravi', 'review', 'mark', 'aaaa1111', '--state', 'reviewed');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/cannot review sessions: this data dir has no team roster yet\. Only a lead/);
    const exported = as('ravi', 'review', 'export', '--format', 'json');
    expect(exported.status).toBe(1);
    expect(exported.stderr).toMatch(/cannot sign a review report/);
  });

  it('export --format csv prints one row per session; --format json FILE is signed by the lead', () => {
    const csv = ok(as('lead', 'review', 'export', '--format', 'csv'));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,engineer,ticket,customer,site,host,method,outcome,started,ended,state,comment,decided by,decided at');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^bbbb2222-0000-4000-8000-000000000002,asha@example\.com,INC-2,Acme,Delhi,pbx1,ssh,denied,2026-11-18T05:00:00\.000Z,,flagged,"denied twice, then tried VNC",lena@example\.com,20/);
    const out = path.join(files, 'report.json');
    ok(as('lead', 'review', 'export', '--format', 'json', out, '--engineer', 'asha@example.com'));
    const roster = parseRoster(fs.readFileSync(path.join(files, 'roster.yaml'), 'utf8'));
    const { report, signedBy } = verifyReviewReport(fs.readFileSync(out, 'utf8'), roster.members.filter((m) => m.role === 'lead'));
    expect(signedBy.publicKey).toBe(leadKey);
    expect(report.sessions.map((s) => s.ticket)).toEqual(['INC-3', 'INC-2']);
    expect(report.filter).toEqual({ engineer: 'asha@example.com' });
    expect(as('lead', 'review', 'export', '--format', 'xml').status).toBe(2);
  });
});
