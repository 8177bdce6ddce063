import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/core/store/database';
import { migrate } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import { listQuery } from '../../main/core/session-log/list-query';
import { SessionLog } from '../../main/core/session-log/session-log';
import type { SessionLogFilter } from '../../main/core/session-log/types';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-store-v20-');
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function logAt(version: number): { db: Database.Database; log: SessionLog } {
  const db = new Database(path.join(tempDir(), DATABASE_FILE));
  open.push(db);
  migrate(db, MIGRATIONS, version);
  return { db, log: new SessionLog(db) };
}

const ENDINGS = ['completed', 'failed', 'interrupted', null] as const;

/** Sessions over 4 engineers, 3 customers × 2 sites, 2 methods; some share a time (paging's tie-break). */
function seed(log: SessionLog, sessions: number, from = 0): void {
  for (let i = from; i < from + sessions; i++) {
    const id = `s-${i}`;
    const at = new Date(Date.UTC(2026, 10, 1) + Math.floor(i / 3) * 60_000).toISOString();
    const denied = i % 11 === 0;
    log.append({
      sessionId: id, kind: 'attempt', at, engineer: `Eng${i % 4}@example.com`, ticket: `EXO-${i % 5}`, site: `Cust ${i % 3}/site-${i % 2}`,
      method: i % 2 ? 'ssh' : 'vnc', decision: denied ? 'deny' : 'allow', outcome: denied ? 'denied' : 'allowed',
    });
    if (denied) continue;
    log.append({ sessionId: id, kind: 'started', at, engineer: `Eng${i % 4}@example.com`, outcome: 'connected' });
    const ending = ENDINGS[i % ENDINGS.length];
    if (ending) log.append({ sessionId: id, kind: 'ended', at, engineer: `Eng${i % 4}@example.com`, outcome: ending });
  }
}

/** The list as it was read before migration 0020: every filter tested row by row along session_events_byAt. */
function before(db: Database.Database, f: SessionLogFilter): string[] {
  const where = ["a.kind = 'attempt'"];
  if (f.ticket) where.push('a.ticket = @ticket COLLATE NOCASE');
  if (f.engineer) where.push('a.engineer = @engineer COLLATE NOCASE');
  if (f.method) where.push('a.method = @method COLLATE NOCASE');
  if (f.site) where.push("(a.site = @site COLLATE NOCASE OR substr(a.site, 1, length(@site) + 1) = @site || '/' COLLATE NOCASE)");
  if (f.outcome) where.push('(SELECT o.outcome FROM session_events o WHERE o.session_id = a.session_id AND o.outcome IS NOT NULL ORDER BY o.seq DESC LIMIT 1) = @outcome COLLATE NOCASE');
  const { limit: _limit, kind: _kind, ...params } = f;
  return db.prepare(`SELECT a.session_id FROM session_events a WHERE ${where.join(' AND ')} ORDER BY a.at DESC, a.seq DESC`).pluck().all(params) as string[];
}

const plan = (db: Database.Database, filter: SessionLogFilter) => {
  const { sql, params } = listQuery(filter);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
};

/** Each filter, with a value that matches and one that matches nothing, and the index it must read. */
const FILTERS: [string, SessionLogFilter, SessionLogFilter, RegExp][] = [
  ['engineer', { engineer: 'eng1@EXAMPLE.com' }, { engineer: 'nobody@example.com' }, /SEARCH a USING INDEX session_events_byEngineer/],
  ['method', { method: 'VNC' }, { method: 'https' }, /SEARCH a USING INDEX session_events_byMethod/],
  ['site', { site: 'cust 1/SITE-0' }, { site: 'Cust 1/site-9' }, /SEARCH a USING INDEX session_events_bySite \(site=\?\)/],
  ['customer', { site: 'Cust 2' }, { site: 'Cust 9' }, /SEARCH a USING INDEX session_events_bySite \(site>\? AND site<\?\)/],
  ['outcome', { outcome: 'Interrupted' }, { outcome: 'disconnected' }, /SEARCH so USING .*INDEX session_outcomes_byOutcome/],
  ['ticket', { ticket: 'exo-3' }, { ticket: 'EXO-404' }, /SEARCH a USING INDEX session_events_byTicket/],
];

describe('migration 20: every log filter reads its own index, so a value that matches nothing is one probe', () => {
  it.each(FILTERS)('%s: the plan reads its index in order, never the whole log newest first', (_name, match, none, index) => {
    const { db, log } = logAt(20);
    seed(log, 40);
    db.exec('ANALYZE');
    for (const filter of [match, none]) {
      const shown = plan(db, { ...filter, kind: 'session', limit: 500 });
      expect(shown).toMatch(index);
      expect(shown).not.toMatch(/SCAN a USING INDEX session_events_byAt|SCAN a\b|SCAN so\b/);
    }
  });

  it.each(FILTERS)('%s: lists exactly what the query before the migration listed, newest first', (_name, match, none) => {
    const { db, log } = logAt(20);
    seed(log, 120);
    for (const filter of [match, none, { ...match, engineer: 'eng2@example.com' }]) {
      expect(log.list({ ...filter, kind: 'session' }).map((r) => r.sessionId)).toEqual(before(db, filter));
    }
    expect(before(db, match).length).toBeGreaterThan(0);
    expect(before(db, none)).toEqual([]);
  });

  it('keeps a session\'s latest outcome per session: filled from the log at the migration, then by the triggers', () => {
    const { db, log } = logAt(19);
    seed(log, 30);
    log.append({ sessionId: 's-2', kind: 'interrupted', engineer: 'Eng2@example.com', outcome: 'interrupted' }); // a later ending wins
    log.append({ sessionId: 's-1', kind: 'summary', engineer: 'Eng1@example.com', summary: 'no outcome: changes nothing' });
    const latest = () => db.prepare(`SELECT a.session_id, (SELECT o.outcome FROM session_events o WHERE o.session_id = a.session_id AND o.outcome IS NOT NULL ORDER BY o.seq DESC LIMIT 1) AS outcome
      FROM session_events a WHERE a.kind = 'attempt' ORDER BY a.session_id`).all();
    migrate(db, MIGRATIONS, 20);
    const kept = () => db.prepare('SELECT session_id, outcome FROM session_outcomes ORDER BY session_id').all();
    expect(kept()).toEqual(latest());
    const after = new SessionLog(db);
    seed(after, 10, 30);
    after.append({ sessionId: 's-3', kind: 'interrupted', engineer: 'Eng3@example.com', outcome: 'interrupted' });
    expect(kept()).toEqual(latest());
    expect(after.verify()).toMatchObject({ ok: true });
  });

  it('pages through a filter after a cursor: every record once, in order, and counts them', () => {
    const { log } = logAt(20);
    seed(log, 90);
    for (const filter of [{}, { outcome: 'completed' }, { site: 'Cust 1' }, { engineer: 'eng3@example.com' }] as SessionLogFilter[]) {
      const whole = log.list(filter).map((r) => r.sessionId);
      const paged: string[] = [];
      let page = log.page({ ...filter, limit: 7 });
      paged.push(...page.records.map((r) => r.sessionId));
      while (page.next) {
        page = log.page({ ...filter, limit: 7 }, page.next);
        paged.push(...page.records.map((r) => r.sessionId));
      }
      expect(paged).toEqual(whole);
      expect(log.count(filter)).toBe(whole.length);
    }
  });
});
