import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_OUTCOMES } from '../../contract/domain/outcomes';
import { ApiError } from '../../contract/errors';
import type { PolicyDecision } from '../../contract/models';
import { SessionLog } from '../../main/core/session-log/session-log';
import type { AccessPolicy, AccessRequest } from '../../main/core/services/access-policy';
import { SessionLifecycle } from '../../main/core/sessions/lifecycle';
import { openDatabase, type Db } from '../../main/core/store/database';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * The one shape every access method's record takes (sessions/lifecycle.ts), on a real SQLite log:
 * attempt → started → one end with a typed outcome. The policy here decides by the target's name,
 * so each path can be reached on purpose.
 */
const tempDir = useTempDirs('switchboard-lifecycle-');
let db: Db | null = null;
afterEach(() => { db?.close(); db = null; });

const policy: AccessPolicy = {
  check: async (request: AccessRequest): Promise<PolicyDecision> => {
    const allowed = request.target !== 'outsider';
    return {
      allowed, reasons: [allowed ? `${request.target} is a trusted host` : 'outsider is not a trusted host of this site'],
      address: allowed ? '10.40.1.12' : null, host: allowed ? request.target : null, target: request.target, method: request.method,
      ticketId: 7, site: 'Acme/mumbai',
      ...(request.method === 'teamviewer' ? { approval: { id: '3f0c2a4e-1111-4222-8333-944455556666', approvedBy: 'Lena Park', leadFingerprint: 'SHA256:lead', ticket: 'EXO-1', host: null, reason: 'no SSH to the PBX', validUntil: '2999-01-01T00:00:00Z', sha256: 'ab'.repeat(32) } } : {}),
    };
  },
};

function lab(): { log: SessionLog; lifecycle: SessionLifecycle } {
  db = openDatabase(tempDir());
  const log = new SessionLog(db);
  return { log, lifecycle: new SessionLifecycle({ log, policy, engineer: () => 'asha' }) };
}

const request = (target: string, method: AccessRequest['method'] = 'ssh'): AccessRequest => ({ siteId: 1, ticket: 'EXO-1', target, method });

describe('SessionLifecycle', () => {
  it('a denial is an attempt and nothing more, with the reasons', async () => {
    const { log, lifecycle } = lab();
    const run = await lifecycle.begin(request('outsider'));
    expect(run.allowed).toBe(false);
    expect(run.ended).toBe(true);
    expect(() => run.address).toThrow(ApiError);
    run.end('completed');
    const { record, events } = log.get(run.sessionId);
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'denied']]);
    expect(record).toMatchObject({ decision: 'deny', outcome: 'denied', engineer: 'asha', ticket: 'EXO-1', reasons: ['outsider is not a trusted host of this site'] });
  });

  it('an allowed run is attempted, started once and ended once, whatever races to end it', async () => {
    const { log, lifecycle } = lab();
    const run = await lifecycle.begin(request('app01'), { detail: { print: false } });
    expect(run.address).toBe('10.40.1.12');
    run.started('connected', { ownerPid: process.pid });
    expect(() => run.started('connected', {})).toThrow(/cannot start/);
    run.end('disconnected', { closedBy: 'engineer' }, { bytesIn: 10, bytesOut: 20 });
    run.end('failed', { error: 'lost afterwards' });
    const { record, events } = log.get(run.sessionId);
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['started', 'connected'], ['ended', 'disconnected']]);
    expect(events[0]!.detail).toEqual({ print: false });
    expect(record).toMatchObject({ outcome: 'disconnected', bytesIn: 10, bytesOut: 20, address: '10.40.1.12' });
  });

  it('fail() ends the run with the sentence and its code, and hands back an ApiError to throw', async () => {
    const { log, lifecycle } = lab();
    const run = await lifecycle.begin(request('app01'));
    const thrown = run.fail(new Error('socket hang up'), { failure: 'connection-lost' });
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown.code).toBe('INTERNAL');
    const typed = new ApiError('SSH_TIMED_OUT', 'app01 did not answer');
    const second = await lifecycle.begin(request('app01'));
    expect(second.fail(typed)).toBe(typed);
    expect(log.get(run.sessionId).events.at(-1)).toMatchObject({ kind: 'ended', outcome: 'failed', detail: { error: 'socket hang up', code: 'INTERNAL', failure: 'connection-lost' } });
    expect(log.get(second.sessionId).events.at(-1)).toMatchObject({ outcome: 'failed', detail: { code: 'SSH_TIMED_OUT' } });
  });

  it("refine() lets a method's own rule turn an allow into a deny, and the record says why", async () => {
    const { log, lifecycle } = lab();
    const run = await lifecycle.begin(request('app01'), {
      refine: (decision) => ({ ...decision, allowed: false, address: null, reasons: ['app01 does not expose port 8443 for forwarding.'] }),
    });
    expect(run.allowed).toBe(false);
    expect(log.get(run.sessionId).record).toMatchObject({ decision: 'deny', outcome: 'denied', reasons: ['app01 does not expose port 8443 for forwarding.'] });
  });

  it('an exception approval that let a method through is part of its attempt', async () => {
    const { log, lifecycle } = lab();
    const run = await lifecycle.begin(request('app01', 'teamviewer'));
    expect(log.get(run.sessionId).events[0]!.detail).toEqual({ approval: { id: '3f0c2a4e-1111-4222-8333-944455556666', approvedBy: 'Lena Park', leadFingerprint: 'SHA256:lead', ticket: 'EXO-1', host: null, reason: 'no SSH to the PBX', validUntil: '2999-01-01T00:00:00Z', sha256: 'ab'.repeat(32) } });
  });

  it('the session log refuses an outcome outside the typed set', () => {
    const { log } = lab();
    expect(SESSION_OUTCOMES).toContain('idle-timeout');
    expect(() => log.append({ sessionId: 's1', kind: 'ended', engineer: 'asha', outcome: 'kinda-worked' as never })).toThrow();
    expect(log.list({})).toEqual([]);
  });
});
