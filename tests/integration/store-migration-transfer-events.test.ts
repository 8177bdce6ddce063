import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../main/core/store/database';
import { migrate } from '../../main/core/store/migrate';
import { MIGRATIONS } from '../../main/core/store/migrations';
import { SessionLog } from '../../main/core/session-log/session-log';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-store-v17-');
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
const transfer = (sessionId: string) => ({ sessionId, kind: 'transfer' as const, engineer: 'asha', decision: 'allow' as const, detail: { direction: 'download', remotePath: '/var/log/ameyo/acd.log', size: 3, sha256: 'ab'.repeat(32), result: 'complete' } });

describe('migration 17: a file transfer is an event of its SSH session', () => {
  it('keeps every stored row and hash, and the session log takes transfer events only from then on', () => {
    const { db, log } = logAt(16);
    log.append(attempt('a'));
    log.append({ sessionId: 'a', kind: 'started', engineer: 'asha', outcome: 'connected' });
    expect(() => log.append(transfer('a'))).toThrow(/CHECK constraint/);
    const before = db.prepare('SELECT * FROM session_events ORDER BY seq').all();
    migrate(db, MIGRATIONS, 17);
    expect(db.prepare('SELECT * FROM session_events ORDER BY seq').all()).toEqual(before);
    const after = new SessionLog(db);
    after.append(transfer('a'));
    expect(after.verify()).toMatchObject({ ok: true, count: 3 });
  });

  it('keeps the table append-only and the open sessions list kept by its triggers', () => {
    const { db, log } = logAt(16);
    log.append(attempt('left-open'));
    log.append({ sessionId: 'left-open', kind: 'started', engineer: 'asha', outcome: 'connected' });
    migrate(db, MIGRATIONS, 17);
    const after = new SessionLog(db);
    const openIds = () => db.prepare('SELECT session_id FROM open_sessions ORDER BY session_id').pluck().all();
    after.append(attempt('new'));
    after.append({ sessionId: 'new', kind: 'started', engineer: 'asha', outcome: 'connected' });
    expect(openIds()).toEqual(['left-open', 'new']);
    after.append({ sessionId: 'new', kind: 'ended', engineer: 'asha', outcome: 'completed' });
    expect(openIds()).toEqual(['left-open']);
    expect(() => db.prepare("UPDATE session_events SET kind = 'transfer'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM session_events').run()).toThrow(/append-only/);
    db.exec('DROP TRIGGER session_events_noUpdate');
    expect(() => db.prepare("UPDATE session_events SET kind = 'bogus'").run()).toThrow(/CHECK constraint/);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM session_events WHERE session_id = ? ORDER BY seq").all('new') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/session_events_bySession/);
  });
});
