import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordingFile } from '../../main/core/paths';
import { buildNodeBundles, runCli, type CliResult } from '../helpers/cli';
import { openTestCore } from '../helpers/core';
import { setUpTeam } from '../helpers/team';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * `log bundle`, `review import` and `log witness` through the built CLI on three data dirs — a lead and
 * two engineers, each with its identity in the real Secret Service, all trusting one roster the lead
 * signed. Sessions (with their recordings on disk) are written by a core on the engineer's own data dir,
 * as the app would; everything else is the CLI.
 */
describe('switchboard log bundle / review import / log witness', () => {
  const tempDir = useTempDirs('switchboard-cli-bundles-');
  let files: string;
  const dirs = { lead: '', ravi: '', mia: '' };
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
  const leadCount = (sql: string) => {
    const db = new Database(path.join(dirs.lead, 'switchboard.db'), { readonly: true });
    try {
      return db.prepare(sql).pluck().get() as number;
    } finally {
      db.close();
    }
  };

  /** Sessions as the app writes them, each with an asciicast recording named in its 'ended' record. */
  async function sessions(who: 'ravi' | 'mia', n: number): Promise<void> {
    const core = openTestCore({ dataDir: dirs[who], mode: 'web' });
    try {
      for (let i = 0; i < n; i++) {
        const sessionId = `${who}-${randomBytes(4).toString('hex')}`;
        core.sessionLog.append({ sessionId, kind: 'attempt', engineer: core.engineer, ticket: 'EXO-7', site: 'Acme/Pune', host: 'pbx1', method: 'ssh', decision: 'allow', outcome: 'allowed' });
        const cast = `{"version":2,"width":80,"height":24,"timestamp":1700000000}\n[0.1,"o","${sessionId}\\r\\n"]\n`;
        const recording = recordingFile(dirs[who], sessionId);
        fs.mkdirSync(path.dirname(recording), { recursive: true, mode: 0o700 });
        fs.writeFileSync(recording, cast, { mode: 0o600 });
        core.sessionLog.append({ sessionId, kind: 'ended', engineer: core.engineer, outcome: 'completed', detail: { recording, recordingSha256: createHash('sha256').update(cast).digest('hex') } });
      }
      await core.services.accountability.idle();
    } finally {
      await core.close();
    }
  }

  beforeAll(async () => {
    await buildNodeBundles();
    files = tempDir();
    for (const who of Object.keys(dirs) as (keyof typeof dirs)[]) dirs[who] = tempDir();
    setUpTeam([
      { dataDir: dirs.lead, name: 'Lena Park', email: 'lena@example.com', role: 'lead' },
      { dataDir: dirs.ravi, name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' },
      { dataDir: dirs.mia, name: 'Mia Wong', email: 'mia@example.com', role: 'engineer' },
    ], files);
  }, 120_000);

  it('two bundles from each engineer: imported by the lead, cosigned, handed back and shown as witnessed', async () => {
    for (const who of ['ravi', 'mia'] as const) {
      for (const round of [1, 2]) {
        await sessions(who, 2);
        const bundle = file(`${who}-${round}.json`);
        expect(ok(as(who, 'log', 'bundle', '--out', bundle))).toMatch(/^Wrote .*: records \d+–\d+, 2 sessions, 2 recordings/);
        expect(fs.statSync(bundle).mode & 0o077).toBe(0);
        const name = who === 'ravi' ? 'Ravi Nair' : 'Mia Wong';
        expect(ok(as('lead', 'review', 'import', bundle))).toMatch(new RegExp(`^Accepted ${name} <${who}@example.com> \\(SHA256:\\S+\\): records \\d+–\\d+, 2 sessions, 2 recordings\\.\\nCosigned the checkpoint; wrote ${bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.witness\\.`));
        expect(ok(as(who, 'log', 'witness', `${bundle}.witness`))).toMatch(/^Lena Park <lena@example.com> witnessed the log up to record \d+ \(/);
      }
    }
    expect(leadCount('SELECT count(*) FROM review_sessions')).toBe(8);
    expect(leadCount('SELECT count(*) FROM imported_recordings')).toBe(8);
    expect(leadCount("SELECT count(*) FROM session_events WHERE kind = 'bundle'")).toBe(4);
    const verify = ok(as('ravi', 'log', 'verify'));
    expect(verify).toMatch(/Lena Park/);
    // The same bundle again, and a second witness import, change nothing.
    refused(as('lead', 'review', 'import', file('ravi-2.json')), /^switchboard: Bundle refused \(replayed old bundle\)/);
    expect(ok(as('ravi', 'log', 'witness', file('ravi-2.json.witness')))).toMatch(/^Already imported/);
  });

  it('exit 1 naming what is wrong, with nothing imported', async () => {
    await sessions('ravi', 2);
    const good = file('ravi-3.json');
    ok(as('ravi', 'log', 'bundle', '--out', good));
    const bundle = JSON.parse(fs.readFileSync(good, 'utf8')) as { records: { outcome: string | null }[] };
    bundle.records[1]!.outcome = 'denied';
    fs.writeFileSync(file('edited.json'), JSON.stringify(bundle));
    const before = leadCount('SELECT count(*) FROM imported_events');
    refused(as('lead', 'review', 'import', file('edited.json')), /^switchboard: Bundle refused \(edited\): record \d+ .* was edited/);
    expect(fs.existsSync(`${file('edited.json')}.witness`)).toBe(false);
    refused(as('mia', 'review', 'import', good), /^switchboard: Mia Wong <mia@example.com> \(SHA256:\S+\) is an engineer in this data dir's roster of Premium Support EMEA; only a lead imports and witnesses bundles\./);
    expect(leadCount('SELECT count(*) FROM imported_events')).toBe(before);
    // The untouched bundle is still accepted afterwards.
    ok(as('lead', 'review', 'import', good));
    // A witness for someone else's log is refused too.
    refused(as('mia', 'log', 'witness', `${good}.witness`), /^switchboard: .*not one this data dir signed|for another log/);
  });
});
