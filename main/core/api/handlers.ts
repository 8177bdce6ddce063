import type { ApiHandlers } from '../../../contract/api';
import type { AppInfo } from '../../../contract/models';
import { createCustomer, getCustomer, listCustomers, updateCustomer } from '../directory/customers';
import { createHost, getHost, updateHost } from '../directory/hosts';
import { navigationIndex } from '../directory/navigation';
import { createSite, getSite, updateSite } from '../directory/sites';
import { createSiteGateway, setSiteVpn } from '../directory/site-vpn';
import type { VpnProfileStore } from '../launchers/vpn-profile-store';
import { restoreDeleted, softDelete } from '../directory/trash';
import type { Credentials } from '../credentials/credentials';
import { createNote, getNote, listRevisions, restoreRevision, updateNote } from '../notes/notes';
import { searchNotes } from '../notes/search';
import { exportProfile } from '../profiles/export';
import { importProfile } from '../profiles/import';
import { parseProfile } from '../profiles/parse';
import { replaceHostKey } from '../sessions/host-key-pins';
import { createAccessHandlers, type AccessDeps } from './access-handlers';
import { createConsoleHandlers, type ConsoleDeps } from './console-handlers';
import { createTerminalHandlers, type TerminalDeps } from './terminal-handlers';
import { createForwardHandlers, type ForwardDeps } from './forward-handlers';

export interface HandlerDeps extends AccessDeps, Omit<TerminalDeps, 'log'>, ForwardDeps, ConsoleDeps {
  credentials: Credentials;
  appInfo: () => Promise<AppInfo>;
  /** Checked copies of VPN profiles, kept in the data dir. */
  vpnProfiles: VpnProfileStore;
}

/** The contract's methods, each a line or two over the core's services. */
export function createHandlers(deps: HandlerDeps): ApiHandlers {
  const { db, credentials, appInfo, vpnProfiles } = deps;
  return {
    ...createAccessHandlers(deps),
    ...createTerminalHandlers(deps),
    ...createConsoleHandlers(deps),
    ...createForwardHandlers(deps),
    'app.info': () => appInfo(),
    'navigation.index': () => navigationIndex(db),

    'customers.list': () => listCustomers(db),
    'customers.get': ({ id }) => getCustomer(db, id),
    'customers.create': (fields) => getCustomer(db, createCustomer(db, fields)),
    'customers.update': ({ id, fields }) => (updateCustomer(db, id, fields), getCustomer(db, id)),
    'customers.delete': ({ id }) => softDelete(db, 'customer', id),

    'sites.get': ({ id }) => getSite(db, id),
    'sites.create': ({ customerId, fields, gatewayHost }) =>
      db.transaction(() => {
        const id = createSite(db, customerId, fields, deps.engineer);
        if (gatewayHost) createSiteGateway(db, id, fields.vpn?.gateway, gatewayHost);
        setSiteVpn(db, vpnProfiles, id, fields.vpn);
        return getSite(db, id);
      })(),
    'sites.update': ({ id, fields }) =>
      db.transaction(() => {
        updateSite(db, id, fields, deps.engineer);
        setSiteVpn(db, vpnProfiles, id, fields.vpn);
        return getSite(db, id);
      })(),
    'sites.delete': ({ id }) => softDelete(db, 'site', id),

    'hosts.create': ({ siteId, fields }) => {
      getSite(db, siteId);
      return getHost(db, createHost(db, siteId, fields));
    },
    'hosts.update': ({ id, fields }) => (updateHost(db, id, fields), getHost(db, id)),
    'hosts.replaceHostKey': (input) => replaceHostKey({ db, log: deps.log, engineer: deps.engineer, check: (request) => deps.sessions.check(request) }, input),
    'hosts.delete': ({ id }) => softDelete(db, 'host', id),

    'trash.restore': ({ kind, id }) => (restoreDeleted(db, kind, id), { restored: true }),

    'notes.get': ({ id }) => getNote(db, id),
    'notes.create': ({ siteId, hostId, fields }) => getNote(db, createNote(db, siteId, hostId, fields)),
    'notes.update': ({ id, fields }) => (updateNote(db, id, fields), getNote(db, id)),
    'notes.delete': ({ id }) => softDelete(db, 'note', id),
    'notes.search': ({ query, limit }) => searchNotes(db, query, limit),
    'notes.revisions': ({ id }) => listRevisions(db, id),
    'notes.restoreRevision': ({ noteId, revisionId }) => (restoreRevision(db, noteId, revisionId), getNote(db, noteId)),

    'credentials.list': () => credentials.list(),
    'credentials.set': ({ name, kind, secret }) => credentials.set(name, kind, secret),
    'credentials.delete': async ({ name }) => (await credentials.delete(name), { deleted: true }),
    'credentials.test': ({ name }) => credentials.test(name),

    'profiles.import': ({ text }) => {
      const { customerIds: _ids, ...summary } = importProfile(db, parseProfile(text), vpnProfiles);
      return summary;
    },
    'profiles.export': ({ customerIds }) => ({ text: exportProfile(db, customerIds), fileName: `switchboard-profiles-${new Date().toISOString().slice(0, 10)}.yaml` }),
  };
}
