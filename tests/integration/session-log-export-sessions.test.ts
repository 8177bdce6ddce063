import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_CSV_COLUMNS } from '../../main/core/session-log/export';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { openTestCore } from '../helpers/core';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-export-sessions-');

/** RFC 4180, enough for the export: quoted cells may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => { row.push(cell); cell = ''; };
  const endRow = () => { endCell(); rows.push(row); row = []; };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && text[i + 1] === '\n') { endRow(); i++; } else cell += c;
  }
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}

let dataDir: string;

/** Two sessions by two engineers, with four events each way, and text a spreadsheet would trip on. */
beforeEach(async () => {
  dataDir = tempDir();
  const core = openTestCore({ dataDir, mode: 'cli', engineer: 'asha' });
  const log = core.sessionLog;
  log.append({ sessionId: 's1', kind: 'attempt', at: '2026-11-20T10:00:00Z', engineer: 'asha', ticket: 'EXO-1', site: 'Exotel/Mumbai DC', host: 'app01', method: 'ssh', target: 'app01', address: '10.0.0.5', decision: 'allow', reasons: ['SSH is approved for the site', 'app01 resolved to 10.0.0.5, in its allow-list'] });
  log.append({ sessionId: 's1', kind: 'started', at: '2026-11-20T10:00:01Z', engineer: 'asha', outcome: 'connected' });
  log.append({ sessionId: 's1', kind: 'ended', at: '2026-11-20T10:30:00Z', engineer: 'asha', outcome: 'completed', bytesIn: 2048, bytesOut: 512 });
  log.append({ sessionId: 's1', kind: 'summary', at: '2026-11-20T10:31:00Z', engineer: 'asha', summary: '=restarted "dialer", checked ACD' });
  log.append({ sessionId: 's2', kind: 'attempt', at: '2026-11-21T09:00:00Z', engineer: 'ravi', ticket: 'EXO-2', site: 'Exotel/Pune', host: 'db01', method: 'vnc', target: '10.9.9.9', decision: 'deny', reasons: ['10.9.9.9 is not a trusted host'], outcome: 'denied' });
  await core.close();
});

describe('switchboard log export --format sessions-csv|sessions-json (built CLI)', () => {
  beforeAll(() => buildNodeBundles());

  it('writes one row per session, oldest first, with every column the report promises', () => {
    const result = runCli(['log', 'export', '--format', 'sessions-csv'], { dataDir });
    expect(result.status, result.stderr).toBe(0);
    const [header, ...rows] = parseCsv(result.stdout);
    expect(header).toEqual([...SESSION_CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    const byColumn = rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]])));
    expect(byColumn[0]).toEqual({
      session_id: 's1', engineer: 'asha', ticket: 'EXO-1', site: 'Exotel/Mumbai DC', host: 'app01', method: 'ssh', target: 'app01',
      address: '10.0.0.5', decision: 'allow', reasons: 'SSH is approved for the site\napp01 resolved to 10.0.0.5, in its allow-list',
      started_at: '2026-11-20T10:00:00.000Z', ended_at: '2026-11-20T10:30:00.000Z', outcome: 'completed', bytes_in: '2048', bytes_out: '512',
      // A leading '=' would run as a formula in a spreadsheet.
      summary: `'=restarted "dialer", checked ACD`, summary_by: 'asha',
    });
    expect(byColumn[1]).toMatchObject({ session_id: 's2', engineer: 'ravi', decision: 'deny', outcome: 'denied', ended_at: '', bytes_in: '', summary: '' });
  });

  it('writes the same sessions as JSON with the head of the log they were read from', () => {
    const report = JSON.parse(runCli(['log', 'export', '--format', 'sessions-json'], { dataDir }).stdout) as {
      format: string; head: { seq: number }; sessions: { sessionId: string; reasons: string[]; summary: string | null }[];
    };
    expect(report.format).toBe('switchboard-session-report');
    expect(report.head.seq).toBe(5);
    expect(report.sessions.map((s) => s.sessionId)).toEqual(['s1', 's2']);
    expect(report.sessions[0]!.reasons).toHaveLength(2);
    expect(report.sessions[0]!.summary).toBe('=restarted "dialer", checked ACD');
  });

  it('keeps the per-event exports as they were: one row per event, and the JSON log verify reads', () => {
    const csv = runCli(['log', 'export', '--format', 'csv'], { dataDir });
    expect(parseCsv(csv.stdout)).toHaveLength(1 + 5);
    const json = JSON.parse(runCli(['log', 'export'], { dataDir }).stdout) as { format: string; head: { seq: number }; events: unknown[] };
    expect(json).toMatchObject({ format: 'switchboard-session-log', head: { seq: 5 } });
    expect(json.events).toHaveLength(5);
  });

  it('refuses an unknown format naming the ones it knows, exit 2', () => {
    const result = runCli(['log', 'export', '--format', 'sessions'], { dataDir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/json, csv, sessions-csv, sessions-json/);
  });

  it('log list --engineer narrows to one engineer', () => {
    const result = runCli(['log', 'list', '--json', '--engineer', 'RAVI'], { dataDir });
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { sessionId: string }[]).map((r) => r.sessionId)).toEqual(['s2']);
  });
});
