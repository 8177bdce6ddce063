import { ApiError } from '../../../contract/errors';
import { createCustomer, findCustomerIdByName, updateCustomer } from '../directory/customers';
import { pinnedHostKey, replacePinnedHostKey } from '../directory/host-key-pin-store';
import { createHost, updateHost } from '../directory/hosts';
import { createSite, updateSite } from '../directory/sites';
import { softDelete } from '../directory/trash';
import { customerDocument } from '../profiles/export';
import { toHostInput } from '../profiles/import';
import { parseProfile } from '../profiles/parse';
import type { ProfileCustomer, ProfileSite } from '../profiles/schema';
import type { Db } from '../store/database';

/**
 * A customer as the team store versions it: the profile file's customer without notes (they keep
 * revisions of their own) and without the sites' VPN profiles (a file path on one laptop, and its
 * checked copy, mean nothing on another; each laptop keeps its own).
 */
export function teamDocument(db: Db, customerId: number): Record<string, unknown> {
  const document = customerDocument(db, customerId, { notes: false });
  for (const site of document.sites) delete site.vpn;
  return document;
}

/** JSON with the keys of every object sorted: a document reads the same from SQLite and from jsonb. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** The live customers of this data dir by name (lower-case, as names are unique without case). */
export function liveCustomers(db: Db): Map<string, { id: number; name: string }> {
  const rows = db.prepare('SELECT id, name FROM customers WHERE deleted_at IS NULL ORDER BY id').all() as { id: number; name: string }[];
  return new Map(rows.map((row) => [row.name.toLowerCase(), row]));
}

/**
 * A document from the team store, read as strictly as a profile file: the store is another party, and
 * what it says becomes this laptop's policy.
 */
export function parseTeamDocument(document: unknown): ProfileCustomer {
  try {
    return parseProfile(JSON.stringify({ version: 1, customers: [document] })).customers[0]!;
  } catch (error) {
    throw new ApiError('TEAM_STORE_REFUSED', `A profile from the team store is not a valid profile (${(error as Error).message}); it was not applied.`);
  }
}

const siteInput = (site: ProfileSite) => ({
  name: site.name, seats: site.seats, peakCalls: site.peak_calls, components: site.components,
  productVersion: site.product_version, approvedMethods: site.approved_methods,
  retention: site.retention && { ameyodbDays: site.retention.ameyodb_days, reportsdbDays: site.retention.reportsdb_days },
  files: site.files,
});

/**
 * Makes this data dir's customer what the document says, in place: sites and hosts matched by name are
 * updated (their ids — and the tickets and log records that refer to them — stay), new ones created,
 * missing ones moved to the trash. Runs inside the caller's transaction. Returns the customer's id.
 */
export function applyTeamDocument(db: Db, customer: ProfileCustomer): number {
  const fields = {
    name: customer.name, package: customer.package, timezone: customer.timezone,
    workdays: customer.workdays, holidays: customer.holidays, contacts: customer.contacts,
  };
  let customerId = findCustomerIdByName(db, customer.name);
  if (customerId === undefined) customerId = createCustomer(db, fields);
  else updateCustomer(db, customerId, fields);
  const sites = namedRows(db, 'SELECT id, name FROM sites WHERE customer_id = ? AND deleted_at IS NULL', customerId);
  for (const site of customer.sites) {
    const existing = sites.get(site.name.toLowerCase());
    sites.delete(site.name.toLowerCase());
    const siteId = existing ?? createSite(db, customerId, siteInput(site));
    if (existing !== undefined) updateSite(db, siteId, siteInput(site));
    applyHosts(db, siteId, site);
  }
  for (const siteId of sites.values()) softDelete(db, 'site', siteId);
  return customerId;
}

function applyHosts(db: Db, siteId: number, site: ProfileSite): void {
  const hosts = namedRows(db, 'SELECT id, name FROM hosts WHERE site_id = ? AND deleted_at IS NULL', siteId);
  const updates: [number, ReturnType<typeof toHostInput>][] = [];
  // New hosts first (a jump host may be one of them), then the updates, then what the document dropped
  // (once nothing kept refers to it as its jump host any more).
  for (const host of site.hosts) {
    const existing = hosts.get(host.name.toLowerCase());
    hosts.delete(host.name.toLowerCase());
    if (existing === undefined) createHost(db, siteId, toHostInput(host), { skipJumpCheck: true });
    else updates.push([existing, toHostInput(host)]);
  }
  for (const [hostId, input] of updates) {
    const pinned = pinnedHostKey(db, hostId);
    const teamKey = input.ssh?.hostKey;
    // The team's pin was replaced on someone's laptop (a recorded repin) and came with the profile;
    // a pin this laptop learned on first use, which the team's profile does not name, is kept.
    if (pinned && teamKey && teamKey !== pinned) replacePinnedHostKey(db, hostId, teamKey);
    if (pinned && input.ssh && !teamKey) input.ssh = { ...input.ssh, hostKey: pinned };
    updateHost(db, hostId, input);
  }
  for (const hostId of hosts.values()) softDelete(db, 'host', hostId);
}

function namedRows(db: Db, sql: string, owner: number): Map<string, number> {
  const rows = db.prepare(sql).all(owner) as { id: number; name: string }[];
  return new Map(rows.map((row) => [row.name.toLowerCase(), row.id]));
}
