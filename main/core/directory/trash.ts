import { ApiError } from '../../../contract/errors';
import type { Deleted } from '../../../contract/models';
import { nowIso, type Db } from '../store/database';
import { hostDependents } from './hosts';
import { notFound } from './sql-errors';

/**
 * Deletes are soft so they can be undone: the row gets deleted_at and disappears from every view
 * (children of a deleted parent disappear with it). Rows stay in the trash for TRASH_DAYS, then
 * `purgeTrash` removes them for good, children cascading.
 */
export type TrashKind = Deleted['kind'];

const TABLE: Record<TrashKind, string> = { customer: 'customers', site: 'sites', host: 'hosts', note: 'notes' };
/** The label of a live row, for the "Deleted X — Undo" message. */
const LIVE_LABEL_SQL: Record<TrashKind, string> = {
  customer: 'SELECT name AS label FROM customers WHERE id = ? AND deleted_at IS NULL',
  site: "SELECT c.name || '/' || s.name AS label FROM sites s JOIN customers c ON c.id = s.customer_id WHERE s.id = ? AND s.deleted_at IS NULL",
  host: 'SELECT name AS label FROM hosts WHERE id = ? AND deleted_at IS NULL',
  note: 'SELECT title AS label FROM notes WHERE id = ? AND deleted_at IS NULL',
};
export const TRASH_DAYS = 30;

export function softDelete(db: Db, kind: TrashKind, id: number): Deleted {
  return db.transaction(() => {
    const row = db.prepare(LIVE_LABEL_SQL[kind]).get(id) as { label: string } | undefined;
    if (!row) throw notFound(kind[0]!.toUpperCase() + kind.slice(1), id);
    if (kind === 'host') {
      const dependents = hostDependents(db, id);
      if (dependents.length > 0) throw new ApiError('IN_USE', `Cannot delete ${row.label}: ${dependents.join('; ')}. Change those first.`);
    }
    db.prepare(`UPDATE ${TABLE[kind]} SET deleted_at = ? WHERE id = ?`).run(nowIso(), id);
    return { kind, id, label: row.label };
  })();
}

export function restoreDeleted(db: Db, kind: TrashKind, id: number): void {
  const result = (() => {
    try {
      return db.prepare(`UPDATE ${TABLE[kind]} SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL`).run(id);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new ApiError('CONFLICT', `Cannot restore: something with the same name was created since. Rename it first.`);
      }
      throw error;
    }
  })();
  if (result.changes === 0) throw new ApiError('NOT_FOUND', `Nothing to restore: that ${kind} is not in the trash any more.`);
}

export function purgeTrash(db: Db, olderThanDays = TRASH_DAYS): void {
  const cutoff = new Date(Date.now() - olderThanDays * 86_400_000).toISOString();
  // A site that tickets were opened against stays (hidden) for the audit trail. A host with a pinned
  // SSH key stays too: creating or importing it again takes the pin over (host-key-pin-store.ts), so
  // waiting out the trash is not a way to have a different key accepted.
  const pinned = 'SELECT 1 FROM host_key_pins p JOIN hosts h ON h.id = p.host_id';
  const keep = {
    notes: '',
    hosts: `AND NOT EXISTS (${pinned} WHERE h.id = hosts.id)`,
    sites: `AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.site_id = sites.id) AND NOT EXISTS (${pinned} WHERE h.site_id = sites.id)`,
    customers: 'AND NOT EXISTS (SELECT 1 FROM tickets t JOIN sites s ON s.id = t.site_id WHERE s.customer_id = customers.id) '
      + `AND NOT EXISTS (${pinned} JOIN sites s ON s.id = h.site_id WHERE s.customer_id = customers.id)`,
  };
  db.transaction(() => {
    for (const [table, condition] of Object.entries(keep)) {
      db.prepare(`DELETE FROM ${table} WHERE deleted_at IS NOT NULL AND deleted_at < ? ${condition}`).run(cutoff);
    }
  })();
}
