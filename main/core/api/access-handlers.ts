import type { ApiHandlers } from '../../../contract/api';
import type { CoreServices } from '../services';
import type { Launches } from '../sessions/launches';
import { exportFileName } from '../services/session-log';

type AccessMethods =
  | 'tickets.list' | 'tickets.get' | 'tickets.open' | 'tickets.classify' | 'tickets.act'
  | 'approvals.list' | 'approvals.request' | 'approvals.inspect' | 'approvals.sign' | 'approvals.import'
  | 'policy.check' | 'launches.open' | 'launches.stop' | 'log.summarize' | 'launches.running'
  | 'log.list' | 'log.get' | 'log.verify' | 'log.verifyStart' | 'log.verifyJob' | 'log.verifyCancel' | 'log.export' | 'log.engineers'
  | 'log.exportStart' | 'log.exportJob' | 'log.exportCancel' | 'log.exportText';

export interface AccessDeps { services: CoreServices; launches: Launches }

/** Tickets, the policy, launched sessions and the session log, as contract methods. */
export function createAccessHandlers({ services, launches }: AccessDeps): Pick<ApiHandlers, AccessMethods> {
  const { tickets, approvals, policy, sessionLog, directory } = services;
  return {
    'tickets.list': (filter) => tickets.list(filter),
    'tickets.get': ({ id }) => tickets.get(id),
    'tickets.open': (input) => tickets.open(input),
    'tickets.classify': (input) => tickets.classify(input),
    'tickets.act': (input) => tickets.act(input),

    'approvals.list': ({ siteId }) => approvals.list(siteId),
    'approvals.request': (input) => approvals.request(input),
    'approvals.inspect': ({ text }) => approvals.inspect(text),
    'approvals.sign': ({ text }) => approvals.sign(text),
    'approvals.import': ({ text }) => approvals.import(text),

    'policy.check': (request) => policy.check(request),
    'launches.open': ({ print, ...request }) => launches.open(request, { print: Boolean(print) }),
    'launches.stop': async ({ sessionId }) => (await launches.stop(sessionId), { disconnected: true }),
    'log.summarize': ({ sessionId, summary }) => sessionLog.summarize(sessionId, summary),
    'launches.running': () => launches.running(),

    'log.list': async ({ siteId, ...filter }) => {
      const site = siteId ? await directory.getSite(siteId) : null;
      return sessionLog.list({ ...filter, ...(site ? { site: `${site.customerName}/${site.name}` } : {}) });
    },
    'log.get': ({ sessionId }) => sessionLog.get(sessionId),
    'log.verify': () => sessionLog.verify(),
    'log.verifyStart': () => sessionLog.verifyStart(),
    'log.verifyJob': ({ jobId }) => sessionLog.verifyJob(jobId),
    'log.verifyCancel': ({ jobId }) => sessionLog.verifyCancel(jobId),
    'log.exportStart': ({ format }) => sessionLog.exportStart(format),
    'log.exportJob': ({ jobId }) => sessionLog.exportJob(jobId),
    'log.exportCancel': ({ jobId }) => sessionLog.exportCancel(jobId),
    'log.exportText': ({ jobId }) => sessionLog.exportText(jobId),
    'log.export': async ({ format }) => ({
      text: await sessionLog.export(format),
      fileName: exportFileName(format),
    }),
    'log.engineers': () => sessionLog.engineers(),
  };
}
