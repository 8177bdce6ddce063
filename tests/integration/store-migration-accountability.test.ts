import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/core/store/database';
import { migrate } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import { SessionLog } from '../../main/core/session-log/session-log';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-store-v7-');
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

const attempt = (sessionId: string) => ({ sessionId, kind: 'attempt' as const, engineer: 'asha', method: 'ssh', decision: 'allow' as const, outcome: 'allowed' as const });

describe('migration 7: the chain takes records that are not sessions', () => {
  it('keeps every stored row and hash, so the chain still verifies', () => {
    const { db, log } = logAt(6);
    for (const id of ['a', 'b']) {
      log.append(attempt(id));
      log.append({ sessionId: id, kind: 'started', engineer: 'asha', outcome: 'connected' });
    }
    log.append({ sessionId: 'a', kind: 'ended', engineer: 'asha', outcome: 'completed' });
    const before = db.prepare('SELECT * FROM session_events ORDER BY seq').all();
    migrate(db, MIGRATIONS, 7);
    expect(db.prepare('SELECT * FROM session_events ORDER BY seq').all()).toEqual(before);
    expect(new SessionLog(db).verify()).toMatchObject({ ok: true, count: 5 });
  });

  it('finds the sessions left open before it, and keeps the list as sessions start and end', () => {
    const { db, log } = logAt(6);
    log.append(attempt('left-open'));
    log.append({ sessionId: 'left-open', kind: 'started', engineer: 'asha', outcome: 'connected', detail: { ownerPid: 1 } });
    log.append(attempt('closed'));
    log.append({ sessionId: 'closed', kind: 'started', engineer: 'asha', outcome: 'connected' });
    log.append({ sessionId: 'closed', kind: 'ended', engineer: 'asha', outcome: 'completed' });
    migrate(db, MIGRATIONS, 7);
    const openIds = () => db.prepare('SELECT session_id FROM open_sessions ORDER BY session_id').pluck().all();
    expect(openIds()).toEqual(['left-open']);

    const after = new SessionLog(db);
    after.append(attempt('new'));
    after.append({ sessionId: 'new', kind: 'started', engineer: 'asha', outcome: 'connected' });
    expect(openIds()).toEqual(['left-open', 'new']);
    expect(after.recoverInterrupted({ ownerAlive: () => false })).toBe(2);
    expect(openIds()).toEqual([]);
    expect(after.recoverInterrupted()).toBe(0);
  });

  it('takes the new kinds, still refuses an unknown one, and is still append-only', () => {
    const { db, log } = logAt(7);
    log.append({ sessionId: 'change-1', kind: 'policy-change', engineer: 'asha', detail: { entity: 'site' } });
    expect(() => db.prepare("UPDATE session_events SET kind = 'bogus'").run()).toThrow(/append-only/);
    db.exec('DROP TRIGGER session_events_noUpdate');
    expect(() => db.prepare("UPDATE session_events SET kind = 'bogus'").run()).toThrow(/CHECK constraint/);
  });

  it('gives each data dir its own store id and log id', () => {
    const ids = [logAt(7).db, logAt(7).db].map((db) => db.prepare("SELECT value FROM store_meta WHERE key = 'store_id'").pluck().get());
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
