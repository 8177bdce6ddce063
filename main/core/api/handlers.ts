import type { ApiHandlers } from '../../../contract/api';
import type { AppInfo, HostKeyReplaced } from '../../../contract/models';
import type { ReplaceHostKeyRequest } from '../sessions/host-key-pins';
import type { CoreServices } from '../services';
import { createAccessHandlers, type AccessDeps } from './access-handlers';
import { createAccountabilityHandlers } from './accountability-handlers';
import { createConnectFlowHandlers, type ConnectFlowDeps } from './connect-flow-handlers';
import { createReviewHandlers } from './review-handlers';
import { createConsoleHandlers, type ConsoleDeps } from './console-handlers';
import { createTerminalHandlers, type TerminalDeps } from './terminal-handlers';
import { createForwardHandlers, type ForwardDeps } from './forward-handlers';
import { createFileHandlers, type FileDeps } from './file-handlers';
import { createVncHandlers, type VncDeps } from './vnc-handlers';
import { createEvidenceHandlers } from './evidence-handlers';
import { createTeamStoreHandlers, type TeamStoreDeps } from './team-store-handlers';

export interface HandlerDeps extends AccessDeps, TerminalDeps, ForwardDeps, FileDeps, ConsoleDeps, ConnectFlowDeps, VncDeps, TeamStoreDeps {
  services: CoreServices;
  appInfo: () => Promise<AppInfo>;
  /** Replacing a pinned SSH host key: a deliberate, logged act (sessions/host-key-pins.ts). */
  replaceHostKey(request: ReplaceHostKeyRequest): Promise<HostKeyReplaced>;
}

/** The contract's methods, each a line or two over the core's services. */
export function createHandlers(deps: HandlerDeps): ApiHandlers {
  const { directory, notes, credentials, profiles } = deps.services;
  return {
    ...createAccessHandlers(deps),
    ...createTerminalHandlers(deps),
    ...createVncHandlers(deps),
    ...createEvidenceHandlers(deps),
    ...createTeamStoreHandlers(deps),
    ...createConsoleHandlers(deps),
    ...createForwardHandlers(deps),
    ...createFileHandlers(deps),
    ...createConnectFlowHandlers(deps),
    ...createAccountabilityHandlers(deps),
    ...createReviewHandlers(deps),
    'app.info': () => deps.appInfo(),
    'navigation.index': () => directory.navigationIndex(),

    'customers.list': () => directory.listCustomers(),
    'customers.get': ({ id }) => directory.getCustomer(id),
    'customers.create': (fields) => directory.createCustomer(fields),
    'customers.update': ({ id, fields, ticket }) => directory.updateCustomer(id, fields, ticket),
    'customers.delete': ({ id }) => directory.remove('customer', id),

    'sites.get': ({ id }) => directory.getSite(id),
    'sites.create': (input) => directory.createSite(input),
    'sites.update': ({ id, fields, ticket }) => directory.updateSite(id, fields, ticket),
    'sites.delete': ({ id }) => directory.remove('site', id),

    'hosts.create': ({ siteId, fields, ticket }) => directory.createHost(siteId, fields, ticket),
    'hosts.update': ({ id, fields, ticket }) => directory.updateHost(id, fields, ticket),
    'hosts.replaceHostKey': (input) => deps.replaceHostKey(input),
    'hosts.delete': ({ id }) => directory.remove('host', id),

    'trash.restore': async ({ kind, id, ticket }) => (await directory.restore(kind, id, ticket), { restored: true }),

    'notes.get': ({ id }) => notes.get(id),
    'notes.create': (input) => notes.create(input),
    'notes.update': ({ id, fields }) => notes.update(id, fields),
    'notes.delete': ({ id }) => notes.remove(id),
    'notes.search': ({ query, limit }) => notes.search(query, limit),
    'notes.revisions': ({ id }) => notes.revisions(id),
    'notes.restoreRevision': ({ noteId, revisionId }) => notes.restoreRevision(noteId, revisionId),

    'credentials.list': () => credentials.list(),
    'credentials.set': ({ name, kind, secret }) => credentials.set(name, kind, secret),
    'credentials.delete': async ({ name }) => (await credentials.delete(name), { deleted: true }),
    'credentials.test': ({ name }) => credentials.test(name),

    'profiles.import': ({ text, ticket }) => profiles.import(text, undefined, ticket),
    'profiles.export': async ({ customerIds }) => ({ text: await profiles.export(customerIds), fileName: `switchboard-profiles-${new Date().toISOString().slice(0, 10)}.yaml` }),
  };
}
