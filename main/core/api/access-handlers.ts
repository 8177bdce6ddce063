import type { ApiHandlers } from '../../../contract/api';
import { ApiError } from '../../../contract/errors';
import { getSite } from '../directory/sites';
import { listApprovals, recordApproval } from '../policy/approvals';
import type { SessionLog } from '../session-log/session-log';
import type { SessionManager } from '../sessions/session-manager';
import type { Db } from '../store/database';
import { classifySeverity } from '../tickets/severity';
import { getTicket, listTickets, openTicket, ticketActions } from '../tickets/tickets';

type AccessMethods =
  | 'tickets.list' | 'tickets.get' | 'tickets.open' | 'tickets.classify' | 'tickets.act'
  | 'approvals.list' | 'approvals.record'
  | 'policy.check' | 'sessions.connect' | 'sessions.disconnect' | 'sessions.summarize' | 'sessions.running'
  | 'log.list' | 'log.get' | 'log.verify' | 'log.export';

export interface AccessDeps { db: Db; sessions: SessionManager; log: SessionLog; engineer: string }

/** Tickets, the policy, sessions and the session log, as contract methods. */
export function createAccessHandlers({ db, sessions, log, engineer }: AccessDeps): Pick<ApiHandlers, AccessMethods> {
  const siteLabel = (siteId: number) => {
    const site = getSite(db, siteId);
    return `${site.customerName}/${site.name}`;
  };
  return {
    'tickets.list': (filter) => listTickets(db, filter),
    'tickets.get': ({ id }) => getTicket(db, id),
    'tickets.open': (input) => getTicket(db, openTicket(db, input, engineer)),
    'tickets.classify': ({ component, impact }) => classifySeverity({ ...impact, component }),
    'tickets.act': (input) => {
      switch (input.action) {
        case 'respond': ticketActions.respond(db, input.id, engineer); break;
        case 'resolve': ticketActions.resolve(db, input.id, engineer, input.reason); break;
        case 'close': ticketActions.close(db, input.id, engineer); break;
        case 'reopen': ticketActions.reopen(db, input.id, engineer, input.reason); break;
        case 'escalate': ticketActions.escalate(db, input.id, engineer, input.to, input.reason); break;
        case 'overrideSeverity': ticketActions.overrideSeverity(db, input.id, engineer, input.severity, input.reason); break;
        case 'setCause': ticketActions.setCause(db, input.id, engineer, input.cause, input.reason); break;
        case 'rcaWait': ticketActions.rcaWait(db, input.id, engineer, input.waiting, input.reason); break;
        case 'rcaDelivered': ticketActions.rcaDelivered(db, input.id, engineer); break;
      }
      return getTicket(db, input.id);
    },

    'approvals.list': ({ siteId }) => listApprovals(db, siteId),
    'approvals.record': (input) => {
      getSite(db, input.siteId);
      const id = recordApproval(db, { ...input, recordedBy: engineer });
      return listApprovals(db, input.siteId).find((a) => a.id === id)!;
    },

    'policy.check': (request) => sessions.check(request),
    'sessions.connect': ({ print, ...request }) => sessions.connect(request, { print: Boolean(print) }),
    'sessions.disconnect': async ({ sessionId }) => (await sessions.disconnect(sessionId), { disconnected: true }),
    'sessions.summarize': ({ sessionId, summary }) => {
      sessions.summarize(sessionId, summary);
      return log.get(sessionId).record;
    },
    'sessions.running': () => sessions.runningSessions(),

    'log.list': ({ siteId, ...filter }) => log.list({ ...filter, ...(siteId ? { site: siteLabel(siteId) } : {}) }),
    'log.get': ({ sessionId }) => {
      const found = log.get(sessionId);
      if (!found) throw new ApiError('NOT_FOUND', `There is no session ${sessionId} in the log.`);
      return { record: found.record, events: found.events.map((e) => ({ seq: e.seq, kind: e.kind, at: e.at, engineer: e.engineer, outcome: e.outcome, detail: e.detail, summary: e.summary, hash: e.hash })) };
    },
    'log.verify': () => log.verify(),
    'log.export': ({ format }) => ({
      text: format === 'csv' ? log.exportCsv() : log.exportJson(),
      fileName: `switchboard-session-log-${new Date().toISOString().slice(0, 10)}.${format}`,
    }),
  };
}
