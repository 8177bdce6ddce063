import { stringify } from 'yaml';
import { getCustomer } from '../directory/customers';
import { getSite } from '../directory/sites';
import { getNote } from '../notes/notes';
import type { Db } from '../store/database';
import type { Host, Site } from '../../../contract/models';

/** Keys in the order PROFILE-FORMAT.md shows them; absent optional values are left out. */
function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function hostDoc(host: Host) {
  return compact({
    name: host.name,
    address: host.address,
    allow: host.allow,
    role: host.role,
    ssh: host.ssh && compact({ port: host.ssh.port, user: host.ssh.user, host_key: host.ssh.hostKey, credential: host.ssh.credential, agent: host.ssh.agent, jump: host.ssh.jump }),
    https: host.https && compact({ port: host.https.port, path: host.https.path, cert_sha256: host.https.certSha256 }),
    vnc: host.vnc && compact({
      port: host.vnc.port, credential: host.vnc.credential, view_only: host.vnc.viewOnly, jump: host.vnc.jump, clipboard: host.vnc.clipboard, tls_cert_sha256: host.vnc.tlsCertSha256,
    }),
    anydesk: host.anydesk,
    teamviewer: host.teamviewer,
  });
}

function siteDoc(db: Db, site: Site) {
  return compact({
    name: site.name,
    seats: site.seats,
    peak_calls: site.peakCalls,
    components: site.components,
    product_version: site.productVersion,
    approved_methods: site.approvedMethods,
    // Left out when off with no folders, as import reads its absence: a file (and the team store's
    // versioned document) for a site without file transfer stays as it was before the setting existed.
    files: site.files.transfer === 'off' && site.files.folders.length === 0 ? undefined : { transfer: site.files.transfer, folders: site.files.folders },
    retention: site.retention && { ameyodb_days: site.retention.ameyodbDays, reportsdb_days: site.retention.reportsdbDays },
    hosts: site.hosts.map(hostDoc),
    // The hash of Switchboard's checked copy is local: an import reads and checks the file itself.
    vpn: site.vpn && { client: site.vpn.client, profile: site.vpn.profile, gateway: site.vpn.gateway },
    notes: site.notes.filter((n) => n.hostId === undefined).map((n) => {
      const note = getNote(db, n.id);
      return { title: note.title, body: note.body };
    }),
  });
}

/**
 * One customer as the profile file writes it. Without its notes (`notes: false`) it is the document the
 * team store versions: notes keep revisions of their own there.
 */
export function customerDocument(db: Db, id: number, { notes = true } = {}) {
  const customer = getCustomer(db, id);
  const siteIds = (db.prepare('SELECT id FROM sites WHERE customer_id = ? AND deleted_at IS NULL ORDER BY id').all(id) as { id: number }[]).map((r) => r.id);
  return {
    name: customer.name,
    package: customer.package,
    timezone: customer.timezone,
    workdays: customer.workdays,
    holidays: customer.holidays,
    contacts: customer.contacts.map((c) => compact({ name: c.name, role: c.role, phone: c.phone, email: c.email })),
    sites: siteIds.map((siteId) => {
      const site = siteDoc(db, getSite(db, siteId));
      if (!notes) delete site.notes;
      return site;
    }),
  };
}

/** Customers in the order they were added (so a file's order survives a round trip). Secrets are never part of it. */
export function exportProfile(db: Db, customerIds?: number[]): string {
  const ids = customerIds ?? (db.prepare('SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  return stringify({ version: 1, customers: ids.map((id) => customerDocument(db, id)) }, { lineWidth: 0 });
}
