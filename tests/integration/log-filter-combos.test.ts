import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionRecordView } from '../../contract/models';
import { logList } from '../../main/cli/commands/log';
import { teamLogPage } from '../../main/core/accountability/team-log';
import { chooseDriver } from '../../main/core/session-log/filter-driver';
import { HELD_LOGS, listQuery, OWN_LOG, type LogTables } from '../../main/core/session-log/list-query';
import { SessionLog } from '../../main/core/session-log/session-log';
import type { SessionLogFilter } from '../../main/core/session-log/types';
import { DATABASE_FILE } from '../../main/core/store/database';
import { migrate } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import { useCores } from '../helpers/core';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * The log's filters in combination (issue 13 §4), on the own log and on the team's log (a lead's own records
 * merged with the records it holds of other engineers, imported_events): every combination lists exactly
 * what the straightforward query lists; the filter that matches fewest drives the query (one that matches
 * nothing costs a probe, whichever it is); and the team's log is read a page at a time.
 */
const tempDir = useTempDirs('switchboard-log-combos-');
const open: Database.Database[] = [];
afterEach(() => { for (const db of open.splice(0)) if (db.open) db.close(); });

const ENDINGS = ['completed', 'failed', 'interrupted', null] as const;
const HASH = '0'.repeat(64);

/** Sessions over 4 engineers, 3 customers × 2 sites, 2 methods, 5 tickets; some share a time (ties). */
function sessionValues(i: number) {
  return {
    at: new Date(Date.UTC(2026, 10, 1) + Math.floor(i / 3) * 60_000).toISOString(),
    engineer: `Eng${i % 4}@example.com`, ticket: `EXO-${i % 5}`, site: `Cust ${i % 3}/site-${i % 2}`, method: i % 2 ? 'ssh' : 'vnc',
    denied: i % 11 === 0, ending: ENDINGS[i % ENDINGS.length],
  };
}

function seedOwn(log: SessionLog, sessions: number): void {
  for (let i = 0; i < sessions; i++) {
    const v = sessionValues(i);
    const sessionId = `own-${i}`;
    log.append({ sessionId, kind: 'attempt', at: v.at, engineer: v.engineer, ticket: v.ticket, site: v.site, method: v.method, decision: v.denied ? 'deny' : 'allow', outcome: v.denied ? 'denied' : 'allowed' });
    if (v.denied) continue;
    log.append({ sessionId, kind: 'started', at: v.at, engineer: v.engineer, outcome: 'connected' });
    if (v.ending) log.append({ sessionId, kind: 'ended', at: v.at, engineer: v.engineer, outcome: v.ending });
  }
}

/** Other engineers' records as a lead's pulls and bundles store them (hashes not checked by listing); a policy change among them. */
function seedHeld(db: Database.Database, sessions: number, offset = 1): void {
  const insert = db.prepare(`INSERT INTO imported_events_all (engineer_key, seq, session_id, kind, at, engineer, ticket, site, method, decision, outcome, detail, prev_hash, hash)
    VALUES (@key, @seq, @sessionId, @kind, @at, @engineer, @ticket, @site, @method, @decision, @outcome, '{}', '${HASH}', '${HASH}')`);
  const seqs = new Map<string, number>();
  const last = db.prepare('SELECT coalesce(max(seq), 0) FROM imported_events_all WHERE engineer_key = ?').pluck();
  const next = (key: string) => { const seq = (seqs.get(key) ?? (last.get(key) as number)) + 1; seqs.set(key, seq); return seq; };
  db.transaction(() => {
    for (let i = 0; i < sessions; i++) {
      const v = sessionValues(i + offset);
      const key = `SHA256:${v.engineer}`;
      const base = { key, sessionId: `held-${i + offset - 1}`, at: v.at, engineer: v.engineer, ticket: null, site: null, method: null, decision: null };
      insert.run({ ...base, seq: next(key), kind: 'attempt', ticket: v.ticket, site: v.site, method: v.method, decision: v.denied ? 'deny' : 'allow', outcome: v.denied ? 'denied' : 'allowed' });
      if (i % 17 === 0) insert.run({ ...base, seq: next(key), sessionId: `policy-${i + offset - 1}`, kind: 'policy-change', ticket: v.ticket, site: v.site, outcome: null });
      if (v.denied) continue;
      insert.run({ ...base, seq: next(key), kind: 'started', outcome: 'connected' });
      if (v.ending) insert.run({ ...base, seq: next(key), kind: 'ended', outcome: v.ending });
    }
  })();
}

function seeded(own: number, held: number): { db: Database.Database; log: SessionLog } {
  const db = new Database(path.join(tempDir(), DATABASE_FILE));
  open.push(db);
  migrate(db, MIGRATIONS);
  const log = new SessionLog(db);
  seedOwn(log, own);
  seedHeld(db, held);
  return { db, log };
}

/** The straightforward query: every filter tested on each row, the outcome looked up per session, newest first. */
function straightforward(db: Database.Database, tables: LogTables, f: SessionLogFilter): { key: string; sessionId: string; at: string }[] {
  const where = ["a.kind IN ('attempt', 'policy-change')"];
  if (f.ticket) where.push('a.ticket = @ticket COLLATE NOCASE');
  if (f.engineer) where.push('a.engineer = @engineer COLLATE NOCASE');
  if (f.method) where.push('a.method = @method COLLATE NOCASE');
  if (f.site) where.push("(a.site = @site COLLATE NOCASE OR substr(a.site, 1, length(@site) + 1) = @site || '/' COLLATE NOCASE)");
  if (f.to) where.push('a.at < @to');
  const sameSession = tables.held ? 'o.engineer_key = a.engineer_key AND o.session_id = a.session_id' : 'o.session_id = a.session_id';
  if (f.outcome) where.push(`a.kind = 'attempt' AND (SELECT o.outcome FROM ${tables.events} o WHERE ${sameSession} AND o.outcome IS NOT NULL ORDER BY o.seq DESC LIMIT 1) = @outcome COLLATE NOCASE`);
  const key = tables.held ? 'a.engineer_key' : "''";
  const { limit: _limit, kind: _kind, ...params } = f;
  return db.prepare(`SELECT ${key} AS key, a.session_id AS sessionId, a.at FROM ${tables.events} a WHERE ${where.join(' AND ')}
    ORDER BY a.at DESC, ${key} DESC, a.seq DESC`).all(params) as { key: string; sessionId: string; at: string }[];
}

/** The team's log the straightforward way: both lists, merged newest first (the own log's last among equal times). */
function straightforwardTeam(db: Database.Database, f: SessionLogFilter): string[] {
  const rows = [...straightforward(db, HELD_LOGS, f), ...straightforward(db, OWN_LOG, f)];
  // Array.prototype.sort is stable: within one log and one time, each list's own order (seq, newest first) stays.
  return rows.sort((x, y) => (x.at !== y.at ? (x.at < y.at ? 1 : -1) : x.key === y.key ? 0 : x.key < y.key ? 1 : -1)).map((r) => r.sessionId);
}

const DIMENSIONS: [keyof SessionLogFilter, (string | undefined)[]][] = [
  ['ticket', [undefined, 'exo-3', 'EXO-404']],
  ['site', [undefined, 'cust 1/SITE-0', 'Cust 2', 'Cust 9']],
  ['engineer', [undefined, 'eng1@EXAMPLE.com', 'nobody@example.com']],
  ['method', [undefined, 'VNC', 'https']],
  ['outcome', [undefined, 'Interrupted', 'denied', 'disconnected']],
  ['to', [undefined, '2026-11-01T00:30:00.000Z']],
];

/** Every combination of two or more filters, each with a value that matches, a rare one, or one that matches nothing. */
const COMBINATIONS: SessionLogFilter[] = DIMENSIONS.reduce<SessionLogFilter[]>(
  (sets, [name, values]) => sets.flatMap((set) => values.map((value) => (value === undefined ? set : { ...set, [name]: value }))),
  [{}],
).filter((f) => Object.keys(f).filter((k) => k !== 'to').length >= 2);

const label = (f: SessionLogFilter) => Object.entries(f).map(([k, v]) => `${k}=${v}`).join(' ');

describe('every combination of filters lists what the straightforward query lists', () => {
  let db: Database.Database;
  let log: SessionLog;
  beforeAll(() => {
    ({ db, log } = seeded(150, 150));
    open.splice(open.indexOf(db), 1);
  });
  afterAll(() => db.close());

  it('covers combinations that match some and ones that match nothing', () => {
    expect(COMBINATIONS.length).toBeGreaterThan(300);
    const sizes = COMBINATIONS.map((f) => straightforward(db, HELD_LOGS, f).length);
    expect(sizes.filter((n) => n === 0).length).toBeGreaterThan(50);
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThan(50);
  });

  it.each(COMBINATIONS.map((f) => [label(f), f] as const))('%s', (_label, filter) => {
    expect(log.list(filter).map((r) => r.sessionId)).toEqual(straightforward(db, OWN_LOG, filter).map((r) => r.sessionId));
    const team = teamLogPage(db, log, { ...filter, limit: 1000 }).records.map((r) => r.sessionId);
    expect(team).toEqual(straightforwardTeam(db, filter));
    expect(log.count(filter)).toBe(straightforward(db, OWN_LOG, filter).length);
  });
});

const planOf = (db: Database.Database, tables: LogTables, filter: SessionLogFilter) => {
  const { sql, params } = listQuery({ ...filter, limit: 500 }, undefined, chooseDriver(db, filter, tables), tables);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
};

/** Two filters, one value matching many and the other few or none: the query searches the smaller one's index, either way round. */
const DRIVERS: [string, SessionLogFilter, RegExp, RegExp][] = [
  ['ticket nothing, engineer many', { engineer: 'eng1@example.com', ticket: 'EXO-404' }, /SEARCH a USING INDEX session_events_byTicket/, /SEARCH imported_events_all USING INDEX imported_events_byTicket/],
  ['engineer nothing, ticket many', { engineer: 'nobody@example.com', ticket: 'exo-3' }, /SEARCH a USING INDEX session_events_byEngineer/, /SEARCH imported_events_all USING INDEX imported_events_byEngineer/],
  ['outcome nothing, engineer many', { engineer: 'eng1@example.com', outcome: 'disconnected' }, /SEARCH so USING .*INDEX session_outcomes_byOutcome/, /SEARCH so USING .*INDEX imported_outcomes_byOutcome/],
  ['engineer nothing, outcome many', { engineer: 'nobody@example.com', outcome: 'completed' }, /SEARCH a USING INDEX session_events_byEngineer/, /SEARCH imported_events_all USING INDEX imported_events_byEngineer/],
  ['customer nothing, method many', { method: 'ssh', site: 'Cust 9' }, /SEARCH a USING INDEX session_events_bySite/, /SEARCH imported_events_all USING INDEX imported_events_bySite/],
  ['method nothing, customer many', { method: 'rdp', site: 'Cust 1' }, /SEARCH a USING INDEX session_events_byMethod/, /SEARCH imported_events_all USING INDEX imported_events_byMethod/],
  ['outcome rare, method and engineer many', { method: 'vnc', engineer: 'eng2@example.com', outcome: 'denied' }, /SEARCH so USING .*INDEX session_outcomes_byOutcome/, /SEARCH so USING .*INDEX imported_outcomes_byOutcome/],
];

describe('the filter that matches fewest drives the query', () => {
  let db: Database.Database;
  beforeAll(() => {
    ({ db } = seeded(240, 240));
    open.splice(open.indexOf(db), 1);
  });
  afterAll(() => db.close());

  it.each(DRIVERS)('%s', (_name, filter, own, held) => {
    expect(planOf(db, OWN_LOG, filter)).toMatch(own);
    expect(planOf(db, HELD_LOGS, filter)).toMatch(held);
  });

  it('a held page reads its index in order: no sort of every held record, no scan', () => {
    for (const filter of [{}, { engineer: 'eng1@example.com' }, { ticket: 'exo-2' }, { method: 'ssh' }, { site: 'cust 0/site-1' }, { outcome: 'completed' }] as SessionLogFilter[]) {
      const plan = planOf(db, HELD_LOGS, filter);
      expect(plan, JSON.stringify(filter)).not.toMatch(/USE TEMP B-TREE FOR ORDER BY|SCAN imported_events_all\b(?! USING)/);
    }
  });
});

describe('migration 22: each held session\'s latest outcome', () => {
  const latest = (db: Database.Database) => db.prepare(`SELECT a.engineer_key, a.session_id,
      (SELECT o.outcome FROM imported_events_all o WHERE o.engineer_key = a.engineer_key AND o.session_id = a.session_id AND o.outcome IS NOT NULL ORDER BY o.seq DESC LIMIT 1) AS outcome
    FROM imported_events_all a WHERE a.kind = 'attempt' ORDER BY 1, 2`).all();
  const kept = (db: Database.Database) => db.prepare('SELECT engineer_key, session_id, outcome FROM imported_outcomes ORDER BY 1, 2').all();

  it('is filled from the held records at the migration, then kept by the triggers, a removed pending import\'s rows included', () => {
    const db = new Database(path.join(tempDir(), DATABASE_FILE));
    open.push(db);
    migrate(db, MIGRATIONS, 21);
    seedHeld(db, 40);
    migrate(db, MIGRATIONS, 22);
    expect(kept(db)).toHaveLength(40);
    expect(kept(db)).toEqual(latest(db));
    seedHeld(db, 20, 500);
    expect(kept(db)).toEqual(latest(db));
    // A pending import (migration 0021) ends a held session and brings a new one; removing its rows undoes both.
    const before = kept(db);
    const pending = db.prepare("INSERT INTO bundle_imports_pending (engineer_key, pid, started_at) VALUES ('SHA256:Eng1@example.com', 1, '2026-11-30T00:00:00Z')").run().lastInsertRowid;
    const key = 'SHA256:Eng1@example.com';
    const next = (db.prepare('SELECT max(seq) FROM imported_events_all WHERE engineer_key = ?').pluck().get(key) as number) + 1;
    const insert = db.prepare(`INSERT INTO imported_events_all (engineer_key, seq, session_id, kind, at, engineer, outcome, detail, prev_hash, hash, import_id)
      VALUES (?, ?, ?, ?, '2026-11-30T00:00:00.000Z', 'eng1@example.com', ?, '{}', '${HASH}', '${HASH}', ?)`);
    insert.run(key, next, 'held-0', 'interrupted', 'interrupted', pending);
    insert.run(key, next + 1, 'held-new', 'attempt', 'allowed', pending);
    expect(kept(db)).toEqual(latest(db));
    expect(kept(db)).not.toEqual(before);
    db.prepare('DELETE FROM imported_events_all WHERE import_id = ?').run(pending);
    expect(kept(db)).toEqual(before);
  });
});

describe('the team\'s log is read a page at a time', () => {
  const cores = useCores();

  it('teamLogPage: pages after a cursor give every record once, newest first, ties across logs included', () => {
    const { db, log } = seeded(90, 120);
    for (const filter of [{}, { outcome: 'completed' }, { site: 'Cust 1' }, { engineer: 'eng3@example.com', method: 'ssh' }] as SessionLogFilter[]) {
      const paged: string[] = [];
      let page = teamLogPage(db, log, { ...filter, limit: 7 });
      for (;;) {
        expect(page.records.length).toBeLessThanOrEqual(7);
        paged.push(...page.records.map((r) => r.sessionId));
        if (!page.next) break;
        page = teamLogPage(db, log, { ...filter, limit: 7 }, page.next);
      }
      expect(paged).toEqual(straightforwardTeam(db, filter));
    }
  });

  it('log list --team --all streams the team\'s log in pages of 500, never the whole list at once', async () => {
    const core = cores({ mode: 'cli' });
    seedOwn(core.sessionLog, 300);
    seedHeld(core.db, 1400);
    const review = core.services.review;
    const pages = vi.spyOn(review, 'teamLogPage');
    const whole = vi.spyOn(review, 'teamLog');
    const printed: string[] = [];
    const print = vi.spyOn(console, 'log').mockImplementation((line: string) => { printed.push(line); });
    try {
      const code = await logList({ dataDir: core.dataDir, core: () => core, close: async () => {} }, [], true, {}, { team: true, all: true });
      expect(code).toBe(0);
    } finally {
      print.mockRestore();
    }
    const listed = (JSON.parse(printed.join('\n')) as SessionRecordView[]).map((r) => r.sessionId);
    expect(listed).toEqual(straightforwardTeam(core.db, {}));
    expect(listed.length).toBeGreaterThan(1500);
    expect(whole).not.toHaveBeenCalled();
    expect(pages.mock.calls.length).toBe(Math.ceil(listed.length / 500));
    for (const [filter] of pages.mock.calls) expect(filter.limit).toBe(500);
    for (const [index, [, after]] of pages.mock.calls.entries()) expect(after === undefined).toBe(index === 0);
  });
});
