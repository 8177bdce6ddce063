import type { z } from 'zod';
import { ApiError } from '../../../contract/errors';
import type { siteFields } from '../../../contract/inputs';
import type { Component, CredentialKind, Method, VpnClient } from '../../../contract/domain/vocabulary';
import { FILE_TRANSFER_OFF, type FileTransfer, type FileTransferSetting } from '../../../contract/domain/file-transfer';
import type { CredentialStatus, NoteSummary, Site, SiteSettingChange } from '../../../contract/models';
import { nowIso, type Db } from '../store/database';
import { listHosts } from './hosts';
import { notFound, rethrowConflict } from './sql-errors';

export type SiteInput = z.output<typeof siteFields>;

interface SiteRow {
  id: number; customer_id: number; customer_name: string; name: string; seats: number; peak_calls: number;
  product_version: string | null; ameyodb_days: number | null; reportsdb_days: number | null; record_input: 0 | 1; file_transfer: FileTransfer;
}

export function findSiteId(db: Db, customerName: string, siteName: string): number | undefined {
  const row = db
    .prepare(
      `SELECT s.id FROM sites s JOIN customers c ON c.id = s.customer_id
        WHERE c.name = ? COLLATE NOCASE AND s.name = ? COLLATE NOCASE AND s.deleted_at IS NULL AND c.deleted_at IS NULL`,
    )
    .get(customerName, siteName) as { id: number } | undefined;
  return row?.id;
}

export function listSiteNotes(db: Db, siteId: number): NoteSummary[] {
  return (
    db
      .prepare(
        `SELECT n.id, n.site_id AS siteId, n.host_id AS hostId, h.name AS hostName, n.title, n.updated_at AS updatedAt,
                (SELECT count(*) FROM note_revisions r WHERE r.note_id = n.id) AS revisionCount
           FROM notes n LEFT JOIN hosts h ON h.id = n.host_id
          WHERE n.site_id = ? AND n.deleted_at IS NULL AND (n.host_id IS NULL OR h.deleted_at IS NULL)
          ORDER BY n.position, n.id`,
      )
      .all(siteId) as (NoteSummary & { hostId: number | null; hostName: string | null })[]
  ).map(({ hostId, hostName, ...rest }) => ({ ...rest, ...(hostId ? { hostId, hostName: hostName ?? '' } : {}) }));
}

function siteCredentials(db: Db, site: Pick<Site, 'hosts'>): CredentialStatus[] {
  const names = new Set<string>();
  for (const h of site.hosts) {
    if (h.ssh?.credential) names.add(h.ssh.credential);
    if (h.vnc?.credential) names.add(h.vnc.credential);
  }
  const lookup = db.prepare('SELECT kind, updated_at FROM credentials WHERE name = ?');
  return [...names].sort().map((name) => {
    const row = lookup.get(name) as { kind: CredentialKind; updated_at: string } | undefined;
    return row ? { name, kind: row.kind, stored: true, updatedAt: row.updated_at } : { name, stored: false };
  });
}

export function getSite(db: Db, id: number): Site {
  const row = db
    .prepare(
      `SELECT s.*, c.name AS customer_name FROM sites s JOIN customers c ON c.id = s.customer_id
        WHERE s.id = ? AND s.deleted_at IS NULL AND c.deleted_at IS NULL`,
    )
    .get(id) as SiteRow | undefined;
  if (!row) throw notFound('Site', id);
  const components = (db.prepare('SELECT component FROM site_components WHERE site_id = ? ORDER BY position').all(id) as { component: Component }[]).map((r) => r.component);
  const approvedMethods = (db.prepare('SELECT method FROM site_methods WHERE site_id = ? ORDER BY position').all(id) as { method: Method }[]).map((r) => r.method);
  const vpn = db.prepare('SELECT client, profile_path, gateway_host, profile_sha256 FROM vpn_profiles WHERE site_id = ?').get(id) as
    | { client: VpnClient; profile_path: string; gateway_host: string; profile_sha256: string | null }
    | undefined;
  const hosts = listHosts(db, id);
  const site: Site = {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    name: row.name,
    seats: row.seats,
    peakCalls: row.peak_calls,
    components,
    approvedMethods,
    hosts,
    notes: listSiteNotes(db, id),
    credentials: [],
    recordInput: row.record_input === 1,
    recordInputChanges: recordInputChanges(db, id),
    files: { transfer: row.file_transfer, folders: siteFileFolders(db, id) },
  };
  if (row.product_version !== null) site.productVersion = row.product_version;
  if (row.ameyodb_days !== null && row.reportsdb_days !== null) site.retention = { ameyodbDays: row.ameyodb_days, reportsdbDays: row.reportsdb_days };
  if (vpn) {
    site.vpn = { client: vpn.client, profile: vpn.profile_path, gateway: vpn.gateway_host };
    if (vpn.profile_sha256) site.vpn.profileSha256 = vpn.profile_sha256;
  }
  site.credentials = siteCredentials(db, site);
  return site;
}

function siteFileFolders(db: Db, siteId: number): string[] {
  return db.prepare('SELECT folder FROM site_file_folders WHERE site_id = ? ORDER BY position').pluck().all(siteId) as string[];
}

/** The site's file-transfer setting, as the transfer policy reads it (off for a site in the trash or gone). */
export function siteFileTransfer(db: Db, siteId: number): FileTransferSetting {
  const transfer = db.prepare('SELECT file_transfer FROM sites WHERE id = ? AND deleted_at IS NULL').pluck().get(siteId) as FileTransfer | undefined;
  return transfer === undefined ? FILE_TRANSFER_OFF : { transfer, folders: siteFileFolders(db, siteId) };
}

/** Who turned input recording on or off for a site, newest first. */
export function recordInputChanges(db: Db, siteId: number): SiteSettingChange[] {
  return (
    db.prepare("SELECT value, changed_by, changed_at FROM site_setting_changes WHERE site_id = ? AND setting = 'record_input' ORDER BY id DESC").all(siteId) as
      { value: string; changed_by: string; changed_at: string }[]
  ).map((r) => ({ on: r.value === 'on', by: r.changed_by, at: r.changed_at }));
}

/** Whether the site's SSH recordings also record keystrokes. */
export function siteRecordsInput(db: Db, siteId: number): boolean {
  const row = db.prepare('SELECT record_input FROM sites WHERE id = ? AND deleted_at IS NULL').get(siteId) as { record_input: 0 | 1 } | undefined;
  if (!row) throw notFound('Site', siteId);
  return row.record_input === 1;
}

/**
 * Turns input recording on or off; a real change is kept with who made it and when (a team lead
 * sees the history on the site page). Returns whether anything changed.
 */
export function setRecordInput(db: Db, siteId: number, on: boolean, changedBy: string): boolean {
  if (!changedBy.trim()) throw new ApiError('INTERNAL', 'Changing input recording needs the name of the engineer who changes it.');
  return db.transaction(() => {
    if (siteRecordsInput(db, siteId) === on) return false;
    const now = nowIso();
    db.prepare('UPDATE sites SET record_input = ?, updated_at = ? WHERE id = ?').run(on ? 1 : 0, now, siteId);
    db.prepare("INSERT INTO site_setting_changes (site_id, setting, value, changed_by, changed_at) VALUES (?, 'record_input', ?, ?, ?)").run(siteId, on ? 'on' : 'off', changedBy, now);
    return true;
  })();
}

/** A site form that says nothing about input recording leaves it as it is (off on a new site). */
function applyRecordInput(db: Db, siteId: number, input: SiteInput, changedBy: string | undefined): void {
  if (input.recordInput === undefined) return;
  if (changedBy === undefined) {
    if (input.recordInput) throw new ApiError('INTERNAL', 'Turning input recording on needs the name of the engineer who does it.');
    if (siteRecordsInput(db, siteId)) throw new ApiError('INTERNAL', 'Turning input recording off needs the name of the engineer who does it.');
    return;
  }
  setRecordInput(db, siteId, input.recordInput, changedBy);
}

function writeChildren(db: Db, id: number, input: SiteInput): void {
  db.prepare('DELETE FROM site_components WHERE site_id = ?').run(id);
  db.prepare('DELETE FROM site_methods WHERE site_id = ?').run(id);
  const component = db.prepare('INSERT INTO site_components (site_id, position, component) VALUES (?, ?, ?)');
  input.components.forEach((c, i) => component.run(id, i, c));
  const method = db.prepare('INSERT INTO site_methods (site_id, position, method) VALUES (?, ?, ?)');
  input.approvedMethods.forEach((m, i) => method.run(id, i, m));
  // File transfer is policy like the methods: a form or file that says nothing about it means off.
  db.prepare('DELETE FROM site_file_folders WHERE site_id = ?').run(id);
  const folder = db.prepare('INSERT INTO site_file_folders (site_id, position, folder) VALUES (?, ?, ?)');
  (input.files ?? FILE_TRANSFER_OFF).folders.forEach((f, i) => folder.run(id, i, f));
}

const fileTransferOf = (input: SiteInput): FileTransfer => (input.files ?? FILE_TRANSFER_OFF).transfer;

const conflict = (name: string) => `This customer already has a site named "${name}".`;

/**
 * Creates the site row and its lists; the VPN profile is set by the caller once hosts exist (site-vpn.ts).
 * Input recording starts off; `changedBy` is needed only to create a site with it on.
 */
export function createSite(db: Db, customerId: number, input: SiteInput, changedBy?: string): number {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM customers WHERE id = ? AND deleted_at IS NULL').get(customerId)) throw notFound('Customer', customerId);
    const now = nowIso();
    let id: number;
    try {
      id = Number(
        db.prepare(
          `INSERT INTO sites (customer_id, name, seats, peak_calls, product_version, ameyodb_days, reportsdb_days, file_transfer, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(customerId, input.name, input.seats, input.peakCalls, input.productVersion ?? null, input.retention?.ameyodbDays ?? null, input.retention?.reportsdbDays ?? null, fileTransferOf(input), now, now)
          .lastInsertRowid,
      );
    } catch (error) {
      rethrowConflict(error, conflict(input.name));
    }
    writeChildren(db, id, input);
    applyRecordInput(db, id, input, changedBy);
    return id;
  })();
}

/**
 * `changedBy` is needed only when `input.recordInput` changes the setting. The VPN profile is set by
 * the caller (site-vpn.ts), which needs the data dir for its checked copy.
 */
export function updateSite(db: Db, id: number, input: SiteInput, changedBy?: string): void {
  db.transaction(() => {
    try {
      const result = db
        .prepare(
          `UPDATE sites SET name = ?, seats = ?, peak_calls = ?, product_version = ?, ameyodb_days = ?, reportsdb_days = ?, file_transfer = ?, updated_at = ?
            WHERE id = ? AND deleted_at IS NULL`,
        )
        .run(input.name, input.seats, input.peakCalls, input.productVersion ?? null, input.retention?.ameyodbDays ?? null, input.retention?.reportsdbDays ?? null, fileTransferOf(input), nowIso(), id);
      if (result.changes === 0) throw notFound('Site', id);
    } catch (error) {
      rethrowConflict(error, conflict(input.name));
    }
    writeChildren(db, id, input);
    applyRecordInput(db, id, input, changedBy);
  })();
}
