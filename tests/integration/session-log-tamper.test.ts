import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashRow } from '../../main/core/session-log/hash-chain';
import { SessionLog } from '../../main/core/session-log/session-log';
import type { SessionEventRow } from '../../main/core/session-log/types';
import { ROW_COLUMNS } from '../../main/core/session-log/verify';
import { openDatabase, type Db } from '../../main/core/store/database';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-session-tamper-');
const COUNT = 20;
let db: Db;
let log: SessionLog;

/** 10 sessions of two events each: seq 1..20. The attacker below goes around the triggers. */
beforeEach(() => {
  db = openDatabase(tempDir());
  log = new SessionLog(db);
  for (let i = 0; i < COUNT / 2; i++) {
    const sessionId = `3f2a9c${String(i).padStart(2, '0')}-session`;
    const at = `2026-11-25T10:${String(i).padStart(2, '0')}:00Z`;
    log.append({ sessionId, kind: 'attempt', at, engineer: 'asha', ticket: `EXO-${48200 + i}`, host: 'app01', method: 'ssh', decision: 'allow', reasons: ['approved'] });
    log.append({ sessionId, kind: 'ended', at, engineer: 'asha', outcome: 'completed', bytesIn: 10 * i, bytesOut: i });
  }
  expect(log.verify()).toMatchObject({ ok: true, count: COUNT });
  db.exec('DROP TRIGGER session_events_noUpdate; DROP TRIGGER session_events_noDelete;');
});
afterEach(() => db.close());

const row = (seq: number) => db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq = ?`).get(seq) as SessionEventRow;
const insertRow = (r: SessionEventRow) =>
  db.prepare(`INSERT INTO session_events (${ROW_COLUMNS}) VALUES (${ROW_COLUMNS.split(', ').map((c) => `@${c}`).join(', ')})`).run(r);
const removeRow = (seq: number) => db.prepare('DELETE FROM session_events WHERE seq = ?').run(seq);
/** Moves every row after `seq` by `by`, one at a time so the primary key never collides. */
function renumberAfter(seq: number, by: 1 | -1) {
  const seqs = db.prepare('SELECT seq FROM session_events WHERE seq > ? ORDER BY seq').pluck().all(seq) as number[];
  for (const s of by > 0 ? seqs.reverse() : seqs) db.prepare('UPDATE session_events SET seq = ? WHERE seq = ?').run(s + by, s);
}
/** A forged event the attacker hashes correctly, linked to `prev`. */
function forged(seq: number, prev: string, validHash = true): SessionEventRow {
  const body = { ...row(3), seq, session_id: 'forged', outcome: 'completed', prev_hash: prev };
  return { ...body, hash: validHash ? hashRow(body) : 'f'.repeat(64) };
}

describe('SessionLog.verify finds the first tampered record', () => {
  it('names an edited record (outcome changed)', () => {
    db.prepare("UPDATE session_events SET outcome = 'failed' WHERE seq = 8").run();
    const result = log.verify();
    expect(result).toMatchObject({ ok: false, seq: 8, problem: 'edited' });
    expect(!result.ok && result.message).toBe('record 8 (session 3f2a9c03…, 2026-11-25T10:03:00.000Z) was edited: its contents no longer match its hash');
  });

  it('names an edited record whose hash was recomputed', () => {
    const r = row(8);
    db.prepare('UPDATE session_events SET outcome = ?, hash = ? WHERE seq = 8').run('failed', hashRow({ ...r, outcome: 'failed' }));
    expect(log.verify()).toMatchObject({ ok: false, seq: 8, problem: 'edited', message: expect.stringMatching(/record 8 .* was edited and its hash recomputed: record 9 no longer links to it/) });
  });

  it('names a record replaced by a forged one with the same number', () => {
    removeRow(8);
    insertRow(forged(8, row(7).hash));
    expect(log.verify()).toMatchObject({ ok: false, seq: 8, problem: 'edited' });
  });

  it('names a deleted middle record', () => {
    removeRow(9);
    expect(log.verify()).toMatchObject({ ok: false, seq: 9, problem: 'deleted', message: 'record 9 was deleted: the log jumps from record 8 to record 10' });
  });

  it('names the first of several deleted records', () => {
    for (const seq of [9, 10, 11]) removeRow(seq);
    expect(log.verify()).toMatchObject({ ok: false, seq: 9, problem: 'deleted', message: expect.stringMatching(/^records 9–11 were deleted/) });
  });

  it('names a deleted record whose successors were renumbered to close the gap', () => {
    removeRow(9);
    renumberAfter(9, -1);
    expect(log.verify()).toMatchObject({ ok: false, seq: 9, problem: 'deleted', message: expect.stringMatching(/renumbered/) });
  });

  it('names the first record when it is deleted', () => {
    removeRow(1);
    expect(log.verify()).toMatchObject({ ok: false, seq: 1, problem: 'deleted' });
  });

  it.each([true, false])('names a forged record inserted with the records after it renumbered (hash computed: %s)', (validHash) => {
    renumberAfter(8, 1);
    insertRow(forged(9, row(8).hash, validHash));
    expect(log.verify()).toMatchObject({ ok: false, seq: 9, problem: 'inserted' });
  });

  it('names a forged record inserted past the end with a number that leaves a gap', () => {
    insertRow(forged(COUNT + 3, row(COUNT).hash));
    expect(log.verify()).toMatchObject({ ok: false, seq: COUNT + 3, problem: 'inserted' });
  });

  it('names a forged record inserted before the first', () => {
    insertRow(forged(0, '0'.repeat(64)));
    expect(log.verify()).toMatchObject({ ok: false, seq: 0, problem: 'inserted' });
  });

  it.each([[5, 6], [5, 12]])('names records %i and %i swapped', (a, b) => {
    const first = row(a);
    const second = row(b);
    const set = db.prepare(`UPDATE session_events SET ${ROW_COLUMNS.split(', ').filter((c) => c !== 'seq').map((c) => `${c} = @${c}`).join(', ')} WHERE seq = @which`);
    set.run({ ...second, which: a });
    set.run({ ...first, which: b });
    expect(log.verify()).toMatchObject({
      ok: false, seq: a, problem: 'reordered', message: expect.stringMatching(new RegExp(`^record ${a} .* is out of order: it holds what was record ${b}`)),
    });
  });
});

describe('a cut-off tail', () => {
  it('passes on its own, and is caught against the head of an exported copy', () => {
    const head = JSON.parse(log.exportJson()).head as { seq: number; hash: string };
    for (const seq of [COUNT, COUNT - 1, COUNT - 2]) removeRow(seq);
    expect(log.verify()).toMatchObject({ ok: true, count: COUNT - 3 });
    expect(log.verify(head)).toMatchObject({
      ok: false, seq: COUNT - 2, problem: 'deleted',
      message: `records ${COUNT - 2}–${COUNT} were deleted: the log ends at record ${COUNT - 3}, but the exported copy reaches record ${COUNT}`,
    });
  });

  it('is caught when the cut was refilled with new records', () => {
    const head = { seq: COUNT, hash: row(COUNT).hash };
    removeRow(COUNT);
    removeRow(COUNT - 1);
    for (let i = 0; i < 3; i++) log.append({ sessionId: 'later', kind: 'attempt', engineer: 'mallory', at: '2026-11-26T00:00:00Z' });
    expect(log.verify()).toMatchObject({ ok: true, count: COUNT + 1 });
    expect(log.verify(head)).toMatchObject({ ok: false, seq: COUNT, problem: 'deleted' });
  });

  it('an intact log matches its export', () => {
    const head = { seq: COUNT, hash: row(COUNT).hash };
    expect(log.verify(head)).toEqual({ ok: true, count: COUNT, head });
  });
});

describe('an empty log', () => {
  it('verifies with no head', () => {
    const empty = new SessionLog(openDatabase(tempDir()));
    expect(empty.verify()).toEqual({ ok: true, count: 0, head: null });
  });
});
