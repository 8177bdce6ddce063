import { afterEach, describe, expect, it } from 'vitest';
import type { EndOutcome } from '../../contract/domain/outcomes';
import { ApiError } from '../../contract/errors';
import { SessionLog } from '../../main/core/session-log/session-log';
import type { NewSessionEvent } from '../../main/core/session-log/types';
import { openDatabase, type Db } from '../../main/core/store/database';
import { schemaVersion } from '../../main/core/store/migrate';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-session-log-');
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});
function fresh(dir = tempDir()): { db: Db; log: SessionLog } {
  const db = openDatabase(dir);
  open.push(db);
  return { db, log: new SessionLog(db) };
}

const attempt = (sessionId: string, over: Partial<NewSessionEvent> = {}): NewSessionEvent => ({
  sessionId, kind: 'attempt', at: '2026-11-25T10:00:00Z', engineer: 'asha', ticket: 'EXO-48213', ticketId: 7,
  site: 'Exotel/Mumbai DC', siteId: 3, host: 'app01', method: 'ssh', target: 'app01.exotel.local', address: '10.20.0.11',
  decision: 'allow', reasons: ['ssh is approved for Exotel/Mumbai DC', 'app01 resolves to 10.20.0.11, inside 10.20.0.0/24'],
  ...over,
});

/** A whole allowed session: attempt, started, ended, summary. */
function session(log: SessionLog, id: string, over: Partial<NewSessionEvent> = {}, outcome: EndOutcome = 'completed') {
  log.append(attempt(id, over));
  log.append({ sessionId: id, kind: 'started', at: over.at ?? '2026-11-25T10:00:01Z', engineer: 'asha', outcome: 'connected', detail: { hostKey: 'SHA256:abc' } });
  log.append({ sessionId: id, kind: 'ended', at: '2026-11-25T10:30:00Z', engineer: 'asha', outcome, bytesIn: 1200, bytesOut: 300, detail: { exitCode: 0 } });
  log.append({ sessionId: id, kind: 'summary', at: '2026-11-25T10:31:00Z', engineer: 'asha', summary: 'Restarted the dialer service.' });
}

describe('session_events schema (migration 0003)', () => {
  it('is at version 3 with the log table, its indexes and triggers', () => {
    const { db } = fresh();
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(3);
    const names = (db.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'session_events'").pluck().all() as string[]).sort();
    // byEngineer, byMethod, bySite and the session_outcomes triggers: migration 0020 (the log's filters).
    expect(names).toEqual(['open_sessions_closed', 'open_sessions_started', 'session_events', 'session_events_byAt', 'session_events_byEngineer', 'session_events_byKind', 'session_events_byMethod', 'session_events_bySession', 'session_events_bySite', 'session_events_byTicket', 'session_events_noDelete', 'session_events_noUpdate', 'session_outcomes_attempt', 'session_outcomes_follow']);
  });

  it.each([
    ['UPDATE', "UPDATE session_events SET outcome = 'completed' WHERE seq = 1"],
    ['DELETE', 'DELETE FROM session_events WHERE seq = 1'],
    ['DELETE of everything', 'DELETE FROM session_events'],
  ])('refuses %s through better-sqlite3', (_what, sql) => {
    const { db, log } = fresh();
    log.append(attempt('s1', { decision: 'deny', outcome: 'denied' }));
    expect(() => db.prepare(sql).run()).toThrow(/the session log is append-only/);
    expect(log.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('uses its indexes for the hot queries', () => {
    const { db } = fresh();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan("SELECT * FROM session_events WHERE session_id = 'x' ORDER BY seq")).toMatch(/session_events_bySession/);
    expect(plan("SELECT * FROM session_events WHERE ticket = 'EXO-1' COLLATE NOCASE")).toMatch(/session_events_byTicket/);
    expect(plan("SELECT * FROM session_events WHERE at >= '2026-11-01' ORDER BY at DESC")).toMatch(/session_events_byAt/);
  });
});

describe('SessionLog.append', () => {
  it('numbers events 1, 2, 3 and links each to the one before', () => {
    const { log } = fresh();
    const a = log.append(attempt('s1'));
    const b = log.append({ sessionId: 's1', kind: 'started', engineer: 'asha' });
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(a.prevHash).toBe('0'.repeat(64));
    expect(b.prevHash).toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('stores reasons as lines, detail as canonical JSON, and times in UTC', () => {
    const { db, log } = fresh();
    log.append(attempt('s1', { at: '2026-11-25T15:30:00+05:30', detail: { z: 1, a: { y: true, b: null } } }));
    const row = db.prepare('SELECT at, reasons, detail FROM session_events').get() as Record<string, string>;
    expect(row).toEqual({
      at: '2026-11-25T10:00:00.000Z',
      reasons: 'ssh is approved for Exotel/Mumbai DC\napp01 resolves to 10.20.0.11, inside 10.20.0.0/24',
      detail: '{"a":{"b":null,"y":true},"z":1}',
    });
  });

  it.each([
    ['an unknown kind', { kind: 'deleted' }, /kind/],
    ['no engineer', { engineer: '' }, /engineer/],
    ['a reason with a line break', { reasons: ['one\ntwo'] }, /single line/],
    ['a time without a zone', { at: '2026-11-25T10:00:00' }, /at/],
    ['negative bytes', { bytesIn: -1 }, /bytesIn/],
    ['a detail JSON cannot hold', { detail: { when: new Date() } }, /detail/],
  ])('refuses %s and stores nothing', (_what, over, message) => {
    const { db, log } = fresh();
    const run = () => log.append({ ...attempt('s1'), ...over } as NewSessionEvent);
    expect(run).toThrow(ApiError);
    expect(run).toThrow(message);
    expect(db.prepare('SELECT count(*) FROM session_events').pluck().get()).toBe(0);
  });

  it('keeps one chain when two connections append to the same file', () => {
    const dir = tempDir();
    const one = fresh(dir).log;
    const two = fresh(dir).log;
    for (let i = 0; i < 20; i++) (i % 2 ? one : two).append(attempt(`s${i}`));
    expect(one.verify()).toMatchObject({ ok: true, count: 20 });
  });
});

describe('SessionLog.list and get', () => {
  function populated() {
    const ctx = fresh();
    session(ctx.log, 'a', { at: '2026-11-24T09:00:00Z' });
    ctx.log.append(attempt('b', { at: '2026-11-25T09:00:00Z', ticket: 'EXO-1', method: 'vnc', decision: 'deny', reasons: ['vnc is not approved for Exotel/Mumbai DC'], outcome: 'denied', address: null }));
    session(ctx.log, 'c', { at: '2026-11-26T09:00:00Z', site: 'Acme/Pune', engineer: 'ravi' }, 'failed');
    return ctx;
  }

  it('returns one merged record per session, newest first', () => {
    const { log } = populated();
    const records = log.list();
    expect(records.map((r) => r.sessionId)).toEqual(['c', 'b', 'a']);
    expect(records[2]).toEqual({
      kind: 'session', sessionId: 'a', engineer: 'asha', ticket: 'EXO-48213', ticketId: 7, site: 'Exotel/Mumbai DC', siteId: 3, host: 'app01',
      method: 'ssh', target: 'app01.exotel.local', address: '10.20.0.11', decision: 'allow',
      reasons: ['ssh is approved for Exotel/Mumbai DC', 'app01 resolves to 10.20.0.11, inside 10.20.0.0/24'],
      startedAt: '2026-11-24T09:00:00.000Z', endedAt: '2026-11-25T10:30:00.000Z', outcome: 'completed', bytesIn: 1200, bytesOut: 300,
      detail: { hostKey: 'SHA256:abc', exitCode: 0 }, summary: 'Restarted the dialer service.', summaryBy: 'asha',
    });
    expect(records[1]).toMatchObject({ outcome: 'denied', decision: 'deny', endedAt: null, address: null });
  });

  it.each([
    [{ ticket: 'exo-1' }, ['b']],
    [{ site: 'Acme/Pune' }, ['c']],
    [{ site: 'exotel' }, ['b', 'a']],
    [{ site: 'Exo' }, []],
    [{ method: 'VNC' }, ['b']],
    [{ outcome: 'completed' }, ['a']],
    [{ outcome: 'failed' }, ['c']],
    [{ engineer: 'ravi' }, ['c']],
    [{ from: '2026-11-25' }, ['c', 'b']],
    [{ to: '2026-11-25' }, ['a']],
    [{ from: '2026-11-25T14:00:00+05:00', to: '2026-11-26T00:00:00Z' }, ['b']],
    [{ limit: 2 }, ['c', 'b']],
    [{ ticket: 'EXO-48213', outcome: 'completed', method: 'ssh' }, ['a']],
  ])('filters by %o', (filter, expected) => {
    expect(populated().log.list(filter).map((r) => r.sessionId)).toEqual(expected);
  });

  it.each([[{ from: 'yesterday' }], [{ to: '25/11/2026' }], [{ limit: 0 }]])('refuses the filter %o', (filter) => {
    expect(() => populated().log.list(filter)).toThrow(ApiError);
  });

  it('gets one session with all its events', () => {
    const { log } = populated();
    const { record, events } = log.get('a');
    expect(record.outcome).toBe('completed');
    expect(events.map((e) => e.kind)).toEqual(['attempt', 'started', 'ended', 'summary']);
    expect(() => log.get('nope')).toThrow(/No session nope/);
  });
});

describe('SessionLog.recoverInterrupted', () => {
  it('closes a started, never-ended session once, by appending', () => {
    const { db, log } = fresh();
    session(log, 'done');
    log.append(attempt('open'));
    log.append({ sessionId: 'open', kind: 'started', engineer: 'asha', outcome: 'connected' });
    log.append(attempt('denied', { decision: 'deny', outcome: 'denied' }));
    const before = db.prepare('SELECT seq, hash FROM session_events ORDER BY seq').all();

    expect(log.recoverInterrupted({ now: '2026-11-25T12:00:00Z' })).toBe(1);
    expect(log.recoverInterrupted({ now: '2026-11-25T12:05:00Z' })).toBe(0);

    const after = db.prepare('SELECT seq, hash FROM session_events ORDER BY seq').all();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    expect(log.get('open').record).toMatchObject({ outcome: 'interrupted', endedAt: '2026-11-25T12:00:00.000Z' });
    expect(log.get('denied').record.outcome).toBe('denied');
    expect(log.verify()).toMatchObject({ ok: true, count: before.length + 1 });
  });
});

describe('SessionLog exports', () => {
  it('exports JSON with every stored column and the head', () => {
    const { log } = fresh();
    session(log, 'a');
    const parsed = JSON.parse(log.exportJson('2026-11-27T00:00:00.000Z'));
    expect(parsed).toMatchObject({ format: 'switchboard-session-log', version: 1, exportedAt: '2026-11-27T00:00:00.000Z' });
    expect(parsed.events).toHaveLength(4);
    expect(parsed.head).toEqual({ seq: 4, hash: parsed.events[3].hash });
    expect(parsed.events[0]).toMatchObject({ seq: 1, session_id: 'a', kind: 'attempt', ticket: 'EXO-48213' });
  });

  it('exports CSV, quoting and defusing spreadsheet formulas', () => {
    const { log } = fresh();
    log.append(attempt('a', { summary: '=HYPERLINK("http://x")', reasons: ['one, two', 'three'] }));
    const lines = log.exportCsv().split('\r\n');
    expect(lines[0]).toBe('seq,session_id,kind,at,engineer,ticket,ticket_id,site,site_id,host,method,target,address,decision,reasons,outcome,bytes_in,bytes_out,detail,summary,prev_hash,hash');
    expect(log.exportCsv()).toContain('"one, two\nthree"');
    expect(log.exportCsv()).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});
