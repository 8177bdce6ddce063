import { afterEach, describe, expect, it } from 'vitest';
import type { LogKind } from '../../contract/domain/log-kinds';
import { listQuery } from '../../main/core/session-log/list-query';
import { SessionLog } from '../../main/core/session-log/session-log';
import type { NewSessionEvent } from '../../main/core/session-log/types';
import { openDatabase, type Db } from '../../main/core/store/database';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-log-kinds-');
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

const at = (minute: number) => `2026-11-25T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** A log with two sessions and one record of every other kind, a minute apart (approval: three steps of one request). */
function seeded(): { db: Db; log: SessionLog } {
  const db = openDatabase(tempDir());
  open.push(db);
  const log = new SessionLog(db);
  const events: NewSessionEvent[] = [
    { sessionId: 'identity-SHA256:abc', kind: 'identity', at: at(1), engineer: 'asha@example.com', detail: { name: 'Asha Rao', email: 'asha@example.com', role: 'engineer', fingerprint: 'SHA256:abc' } },
    { sessionId: 'roster-1', kind: 'roster', at: at(2), engineer: 'asha@example.com', summary: 'Team roster of EMEA imported, signed by Lena Park (SHA256:lead)', detail: { team: 'EMEA' } },
    { sessionId: 's1', kind: 'attempt', at: at(3), engineer: 'asha@example.com', ticket: 'EXO-1', site: 'Acme/Pune', host: 'pbx1', method: 'ssh', decision: 'allow', outcome: 'allowed' },
    { sessionId: 's1', kind: 'ended', at: at(4), engineer: 'asha@example.com', outcome: 'completed' },
    { sessionId: 'pc-1', kind: 'policy-change', at: at(5), engineer: 'asha@example.com', ticket: 'EXO-2', site: 'Acme/Pune', host: 'pbx1',
      detail: { entity: 'host', change: 'changed', fields: ['allow'], before: { allow: ['10.0.0.0/24'] }, after: { allow: ['10.0.0.0/24', '10.0.1.5'] }, description: 'host Acme/Pune/pbx1 changed: allow 10.0.0.0/24 → 10.0.0.0/24, 10.0.1.5' } },
    { sessionId: 'approval-r1', kind: 'approval', at: at(6), engineer: 'asha@example.com', ticket: 'EXO-3', site: 'Acme/Pune', method: 'anydesk', summary: 'Exception requested: AnyDesk for Acme/Pune', detail: { step: 'request' } },
    { sessionId: 'approval-r1', kind: 'approval', at: at(7), engineer: 'lena@example.com', ticket: 'EXO-3', site: 'Acme/Pune', method: 'anydesk', detail: { step: 'sign' } },
    { sessionId: 'approval-r1', kind: 'approval', at: at(8), engineer: 'asha@example.com', ticket: 'EXO-3', site: 'Acme/Pune', method: 'anydesk', summary: 'Exception approval imported', detail: { step: 'import' } },
    { sessionId: 's2', kind: 'attempt', at: at(9), engineer: 'ravi@example.com', ticket: 'EXO-4', site: 'Acme/Delhi', method: 'vnc', decision: 'deny', outcome: 'denied' },
    { sessionId: 'review-1', kind: 'review', at: at(10), engineer: 'lena@example.com', summary: 'Session s1 marked reviewed', detail: { state: 'reviewed' } },
    { sessionId: 'viewing-1', kind: 'viewing', at: at(11), engineer: 'lena@example.com', detail: { description: 'Lena watched the recording of s1' } },
    { sessionId: 'bundle-1', kind: 'bundle', at: at(12), engineer: 'asha@example.com', detail: { step: 'export' } },
  ];
  for (const event of events) log.append(event);
  return { db, log };
}

describe('SessionLog.list by kind', () => {
  it.each<[LogKind | undefined, string[]]>([
    ['session', ['session s2', 'session s1']],
    ['policy-change', ['policy-change pc-1']],
    ['approval', ['approval approval-r1', 'approval approval-r1', 'approval approval-r1']],
    ['team', ['roster roster-1', 'identity identity-SHA256:abc']],
    ['review', ['bundle bundle-1', 'viewing viewing-1', 'review review-1']],
    [undefined, ['bundle bundle-1', 'viewing viewing-1', 'review review-1', 'session s2', 'approval approval-r1', 'approval approval-r1', 'approval approval-r1',
      'policy-change pc-1', 'session s1', 'roster roster-1', 'identity identity-SHA256:abc']],
  ])('kind %s lists %j, newest first', (kind, expected) => {
    const { log } = seeded();
    expect(log.list(kind ? { kind } : {}).map((r) => `${r.kind} ${r.sessionId}`)).toEqual(expected);
  });

  it('gives each record that is not a session its seq and a one-line description; sessions keep their shape', () => {
    const { log } = seeded();
    const records = log.list();
    const by = (kind: string) => records.filter((r) => r.kind === kind);
    expect(by('approval').map((r) => [r.seq, r.description])).toEqual([
      [8, 'Exception approval imported'], [7, 'Approval sign'], [6, 'Exception requested: AnyDesk for Acme/Pune'],
    ]);
    expect(by('identity')[0]!.description).toBe('Identity Asha Rao <asha@example.com> created as engineer, key SHA256:abc');
    expect(by('policy-change')[0]).toMatchObject({ seq: 5, ticket: 'EXO-2', site: 'Acme/Pune', host: 'pbx1', description: 'host Acme/Pune/pbx1 changed: allow 10.0.0.0/24 → 10.0.0.0/24, 10.0.1.5' });
    expect(by('viewing')[0]!.description).toBe('Lena watched the recording of s1');
    expect(by('bundle')[0]!.description).toBe('Bundle export');
    const session = by('session').find((r) => r.sessionId === 's1')!;
    expect(Object.keys(session)).not.toContain('seq');
    expect(Object.keys(session)).not.toContain('description');
    expect(session).toMatchObject({ outcome: 'completed', endedAt: at(4) });
  });

  it('applies the other filters to every kind; an outcome lists sessions only', () => {
    const { log } = seeded();
    expect(log.list({ site: 'Acme/Pune' }).map((r) => r.kind)).toEqual(['approval', 'approval', 'approval', 'policy-change', 'session']);
    expect(log.list({ engineer: 'lena@example.com' }).map((r) => r.kind)).toEqual(['viewing', 'review', 'approval']);
    expect(log.list({ ticket: 'EXO-2' }).map((r) => r.kind)).toEqual(['policy-change']);
    expect(log.list({ outcome: 'completed' }).map((r) => r.sessionId)).toEqual(['s1']);
    expect(log.list({ limit: 2 }).map((r) => r.kind)).toEqual(['bundle', 'viewing']);
  });

  it.each<[LogKind | undefined, RegExp]>([
    ['session', /session_events_byAt/],
    [undefined, /session_events_byAt/],
    ['policy-change', /session_events_byKind/],
    ['approval', /session_events_byKind/],
    ['team', /session_events_byKind/],
    ['review', /session_events_byKind/],
  ])('kind %s reads through %s, not a scan of the whole log', (kind, index) => {
    const { db } = seeded();
    const { sql, params } = listQuery({ ...(kind ? { kind } : {}), limit: 50 });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(index);
  });
});
