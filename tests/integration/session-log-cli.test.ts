import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logExport, logList, logVerify } from '../../main/cli/commands/log';
import type { CliContext } from '../../main/cli/context';
import { CheckFailed, reportError, UsageError } from '../../main/cli/errors';
import { openTestCore, type TestCore } from '../helpers/core';
import { SessionLog } from '../../main/core/session-log/session-log';
import { openDatabase, type Db } from '../../main/core/store/database';
import { buildNodeBundles, ROOT, runCli } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-session-cli-');
let db: Db;
let core: TestCore;
let dataDir: string;
let ctx: CliContext;
let out: string[];

function seed(log: SessionLog) {
  for (const [id, ticket, outcome] of [['s1', 'EXO-1', 'completed'], ['s2', 'EXO-2', 'failed']] as const) {
    log.append({ sessionId: id, kind: 'attempt', at: `2026-11-2${id[1]}T10:00:00Z`, engineer: 'asha', ticket, site: 'Exotel/Mumbai DC', host: 'app01', method: 'ssh', decision: 'allow', reasons: ['approved'] });
    log.append({ sessionId: id, kind: 'ended', engineer: 'asha', outcome, bytesIn: 5, bytesOut: 6 });
  }
}

beforeEach(() => {
  dataDir = tempDir();
  core = openTestCore({ dataDir, mode: 'cli', engineer: 'asha' });
  db = core.db;
  seed(core.sessionLog);
  ctx = { dataDir, core: () => core, close: async () => undefined };
  out = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  if (db.open) void core.close();
});

/** What the CLI's main would exit with for this call. */
async function exitCode(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    return reportError(error);
  }
}

describe('log list', () => {
  it('prints records as JSON, filtered', async () => {
    expect(await logList(ctx, [], true)).toBe(0);
    expect(JSON.parse(out.join('\n')).map((r: { sessionId: string }) => r.sessionId)).toEqual(['s2', 's1']);
    out.length = 0;
    expect(await logList(ctx, [], true, { ticket: 'exo-1', limit: '5' })).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual([expect.objectContaining({ sessionId: 's1', outcome: 'completed', bytesIn: 5 })]);
  });

  it('prints a table', async () => {
    expect(await logList(ctx, [], false, { outcome: 'failed' })).toBe(0);
    expect(out[0]).toMatch(/^STARTED\s+ENGINEER\s+TICKET/);
    expect(out.slice(1)).toEqual([expect.stringMatching(/^2026-11-22 10:00\s+asha\s+EXO-2\s+Exotel\/Mumbai DC\s+app01\s+ssh\s+allow\s+failed\s+s2$/)]);
  });

  it.each([[['extra'], {}, {}], [[], { limit: 'ten' }, {}], [[], { limit: '-1' }, {}], [[], { limit: '5' }, { all: true }]])('refuses %o %o %o with exit 2', async (args, options, view) => {
    expect(await exitCode(() => logList(ctx, args, false, options, view))).toBe(2);
  });
});

describe('log export', () => {
  it('writes JSON to stdout and CSV to a file', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    expect(await logExport(ctx, [], undefined)).toBe(0);
    expect(JSON.parse(written.join('')).events).toHaveLength(4);
    const file = path.join(dataDir, 'log.csv');
    expect(await logExport(ctx, [file], 'csv')).toBe(0);
    expect(fs.readFileSync(file, 'utf8').trim().split('\r\n')).toHaveLength(5);
  });

  it('refuses an unknown format with exit 2', async () => {
    await expect(logExport(ctx, [], 'xml')).rejects.toThrow(UsageError);
    expect(await exitCode(() => logExport(ctx, [], 'xml'))).toBe(2);
  });
});

describe('log verify', () => {
  it('exits 0 on an intact log', async () => {
    expect(await logVerify(ctx)).toBe(0);
    expect(out).toEqual([
      'intact: 4 records',
      'signed: no checkpoint yet (create an identity with "switchboard identity init", then "switchboard log checkpoint")',
      'witnessed: no lead has cosigned this log yet (2 sessions)',
    ]);
  });

  it('exits 1 naming the first bad record', async () => {
    db.exec("DROP TRIGGER session_events_noUpdate; UPDATE session_events SET outcome = 'completed' WHERE seq = 4");
    await expect(logVerify(ctx)).rejects.toThrow(CheckFailed);
    await expect(logVerify(ctx)).rejects.toThrow(/record 4 \(session s2, 2026-.*\) was edited/);
    expect(await exitCode(() => logVerify(ctx))).toBe(1);
  });

  it('checks against an exported copy, catching a cut-off tail', async () => {
    const copy = path.join(dataDir, 'copy.json');
    fs.writeFileSync(copy, new SessionLog(db).exportJson());
    expect(await logVerify(ctx, [copy])).toBe(0);
    db.exec('DROP TRIGGER session_events_noDelete; DELETE FROM session_events WHERE seq = 4');
    await expect(logVerify(ctx, [copy])).rejects.toThrow(/record 4 was deleted/);
    fs.writeFileSync(copy, '{"format":"something else"}');
    expect(await exitCode(() => logVerify(ctx, [copy]))).toBe(2);
  });
});

// Runs through bin/switchboard.cjs once `log` is wired into main/cli/main.ts; skipped until then.
const wired = fs.readFileSync(path.join(ROOT, 'main', 'cli', 'main.ts'), 'utf8').includes("'log verify'");
describe.skipIf(!wired)('switchboard log verify (built CLI)', () => {
  beforeAll(() => buildNodeBundles());

  it('exits 0 when intact and 1 when tampered', async () => {
    await core.close();
    const intact = runCli(['log', 'verify'], { dataDir });
    expect(intact).toMatchObject({ status: 0, stdout: expect.stringMatching(/^intact: 4 records\n/) });
    const raw = openDatabase(dataDir);
    raw.exec('DROP TRIGGER session_events_noDelete; DELETE FROM session_events WHERE seq = 2');
    raw.close();
    const broken = runCli(['log', 'verify'], { dataDir });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/record 2 was deleted/);
  });
});
