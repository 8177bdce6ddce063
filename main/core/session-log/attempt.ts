import type { AttemptOutcome } from '../../../contract/domain/outcomes';
import type { PolicyDecision } from '../../../contract/models';
import type { NewSessionEvent } from './types';

/** What every event of one session repeats: who, which ticket and site, which host, method and address. */
export type LogBase = Omit<NewSessionEvent, 'kind'> & { sessionId: string; engineer: string };

/** The session's common fields, from the request and the policy's decision about it. */
export function logBase(
  sessionId: string,
  engineer: string,
  request: { ticket: string; siteId: number; target: string },
  decision: PolicyDecision,
  method: string,
): LogBase {
  return {
    sessionId, engineer, ticket: request.ticket, ticketId: decision.ticketId, site: decision.site, siteId: request.siteId,
    host: decision.host, method, target: request.target, address: decision.address,
  };
}

/** The session's first event: the decision and its reasons (a reason is stored as one line). */
export function attemptEvent(base: LogBase, decision: PolicyDecision, extra: { outcome?: AttemptOutcome; detail?: Record<string, unknown> } = {}): NewSessionEvent {
  return {
    ...base, kind: 'attempt', decision: decision.allowed ? 'allow' : 'deny', reasons: decision.reasons.map((r) => r.replace(/[\r\n]+/g, ' ')),
    outcome: extra.outcome ?? (decision.allowed ? 'allowed' : 'denied'),
    ...(extra.detail ? { detail: extra.detail } : {}),
  };
}
