import { beforeAll, describe, expect, it } from 'vitest';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { openTestCore } from '../helpers/core';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-cli-log-list-');
const SESSIONS = 450;
let dataDir: string;

beforeAll(async () => {
  await buildNodeBundles();
  dataDir = tempDir();
  const core = openTestCore({ dataDir, mode: 'cli', engineer: 'asha@example.com' });
  core.db.transaction(() => {
    for (let i = 0; i < SESSIONS; i++) {
      const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
      core.sessionLog.append({ sessionId: `s-${String(i).padStart(4, '0')}`, kind: 'attempt', at, engineer: 'asha@example.com', ticket: `EXO-${i % 3}`, site: 'Acme/DC', host: 'app01', method: 'ssh', decision: 'allow', reasons: ['approved'], outcome: 'allowed' });
      core.sessionLog.append({ sessionId: `s-${String(i).padStart(4, '0')}`, kind: 'ended', at, engineer: 'asha@example.com', outcome: 'completed' });
    }
  })();
  await core.close();
}, 180_000);

const list = (...args: string[]) => runCli(['log', 'list', '--kind', 'session', ...args], { dataDir });
const rows = (stdout: string) => stdout.trim().split('\n').slice(1); // under the header
const ids = (stdout: string) => (JSON.parse(stdout) as { sessionId: string }[]).map((r) => r.sessionId);
const newestFirst = Array.from({ length: SESSIONS }, (_, i) => `s-${String(SESSIONS - 1 - i).padStart(4, '0')}`);

describe('log list pages by default and streams on request', () => {
  it('prints the newest 200 and says on stderr how many more match and how to see them', () => {
    const result = list();
    expect(result.status).toBe(0);
    expect(rows(result.stdout)).toHaveLength(200);
    expect(result.stderr).toMatch(/250 more records match than the 200 shown \(newest first\); see more with --limit N, or every one with --all\./);
  });

  it('takes --limit N, and says nothing more when nothing more matches', () => {
    const five = list('--limit', '5', '--json');
    expect(ids(five.stdout)).toEqual(newestFirst.slice(0, 5));
    expect(five.stderr).toMatch(/445 more records match than the 5 shown/);
    const exact = list('--limit', String(SESSIONS));
    expect(rows(exact.stdout)).toHaveLength(SESSIONS);
    expect(exact.stderr).not.toMatch(/more record/);
  });

  it.each([['--all'], ['--limit', '0']])('%s streams every record, in order, as JSON too', (...flag) => {
    const table = list(...flag);
    expect(table.status).toBe(0);
    expect(rows(table.stdout)).toHaveLength(SESSIONS);
    expect(table.stderr).not.toMatch(/more record/);
    const json = list(...flag, '--json');
    expect(ids(json.stdout)).toEqual(newestFirst);
  });

  it('counts what a filter matches', () => {
    const result = list('--ticket', 'EXO-1', '--limit', '10');
    expect(rows(result.stdout)).toHaveLength(10);
    expect(result.stderr).toMatch(/140 more records match than the 10 shown/);
  });

  it('prints an empty JSON array when nothing matches', () => {
    const result = list('--engineer', 'nobody@example.com', '--json', '--all');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('refuses --limit N with --all, and a limit that is not a number', () => {
    expect(list('--limit', '5', '--all').status).toBe(2);
    expect(list('--limit', 'ten').stderr).toMatch(/--limit must be a whole number \(0 for every record\), not "ten"/);
  });

  // Every flag the help shows for log list, with a value it accepts: exit 0, never "unknown option".
  it.each(([
    ['--json'], ['--mine'], ['--team'], ['--ticket', 'EXO-1'], ['--site', 'Acme/DC'], ['--site', 'Acme'], ['--method', 'ssh'],
    ['--outcome', 'completed'], ['--engineer', 'asha@example.com'], ['--from', '2026-11-01'], ['--to', '2026-12-01'],
    ['--limit', '3'], ['--limit', '0'], ['--all'], ['--kind', 'policy-change'],
  ] as string[][]).map((flag) => [flag.join(' '), flag] as const))('takes %s', (_name, flag) => {
    const result = runCli(['log', 'list', ...flag], { dataDir });
    expect(result.stderr).not.toMatch(/Unknown option|unknown option/);
    expect(result.status).toBe(0);
  });
});
