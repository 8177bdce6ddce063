import { randomUUID } from 'node:crypto';
import { SessionLog } from '../session-log/session-log';
import type { SessionEvent } from '../session-log/types';
import type { Db } from '../store/database';
import { describeChange } from './describe';
import {
  changedFields, entityKey, entityView, entryEntity, JOURNALED_COLUMNS, POLICY_TABLES, rowsBefore,
  type EntityRows, type JournalEntry, type PolicyEntityKind, type Row,
} from './entities';

/**
 * The path a change came by. `form`: the window's forms; `cli`: a CLI setting (`sites set`); `import`:
 * a profile file; `remove`/`restore`: to and from the trash (the window's Undo is a restore); `purge`:
 * the trash emptied after 30 days; `pin-first-use`/`pin-replace`: an SSH host key pinned; `approval`:
 * an exception recorded; `team-store`: a newer version of a profile taken from the team store;
 * `team-store-redo`: an edit the team store did not take, redone by the engineer; `unattributed`: found in the journal at start, made by something that did not
 * record it (raw SQL, an older build).
 */
export type PolicyChangeVia =
  | 'form' | 'cli' | 'import' | 'remove' | 'restore' | 'purge' | 'pin-first-use' | 'pin-replace' | 'approval'
  | 'team-store' | 'team-store-redo' | 'unattributed';

export interface PolicyChangeContext {
  /** Who is on the record for the change (the core's engineer). */
  engineer: string;
  via: PolicyChangeVia;
  /** The vendor ticket the change was made for, when one was given. */
  ticket?: string | null | undefined;
  /** The session the change happened in (a host key pinned on first use). */
  session?: string | undefined;
}

const logs = new WeakMap<Db, SessionLog>();
function logOf(db: Db): SessionLog {
  let log = logs.get(db);
  if (!log) logs.set(db, (log = new SessionLog(db)));
  return log;
}

/**
 * Runs `change` and writes what it changed in the policy as 'policy-change' records of the session log,
 * in one transaction: the change and its record are committed together or not at all.
 */
export function recordPolicyChange<T>(db: Db, context: PolicyChangeContext, change: () => T): T {
  return db.transaction(() => {
    // Whatever was changed behind the core's back since (raw SQL while it runs) is not this change's.
    drainPolicyJournal(db, { engineer: context.engineer, via: 'unattributed' });
    const result = change();
    drainPolicyJournal(db, context);
    return result;
  }).immediate();
}

/**
 * Turns every entry of the policy journal (migration 0008) into records — one per changed customer,
 * site, host or approval, with its fields before and after — and empties the journal. A save that
 * changed nothing a person would see (rows rewritten as they were) leaves no record.
 */
export function drainPolicyJournal(db: Db, context: PolicyChangeContext): SessionEvent[] {
  return db.transaction(() => {
    const entries = readJournal(db);
    if (entries.length === 0) return [];
    const byEntity = new Map<string, { kind: PolicyEntityKind; id: number; entries: JournalEntry[] }>();
    for (const entry of entries) {
      const entity = entryEntity(entry);
      if (!entity) continue;
      const key = entityKey(entity.kind, entity.id);
      if (!byEntity.has(key)) byEntity.set(key, { ...entity, entries: [] });
      byEntity.get(key)!.entries.push(entry);
    }
    const names = new NameLookup(db, entries);
    const written: SessionEvent[] = [];
    for (const { kind, id, entries: own } of byEntity.values()) {
      const afterRows = currentRows(db, kind, id);
      const before = entityView(kind, rowsBefore(afterRows, own));
      const after = entityView(kind, afterRows);
      const fields = changedFields(before, after);
      if (fields.length === 0) continue;
      const where = names.place(kind, id, after ?? before!);
      const change = changeKind(before, after);
      const detail = {
        entity: kind, entityId: id, change, path: where.path, via: context.via, ...(context.session ? { session: context.session } : {}), fields,
        before: pick(before, fields), after: pick(after, fields),
        description: describeChange({ entity: kind, change, path: where.path, fields, before, after }),
      };
      written.push(logOf(db).append({
        sessionId: randomUUID(), kind: 'policy-change', engineer: context.engineer, ticket: context.ticket ?? null,
        site: where.site, siteId: where.siteId, host: where.host, detail,
      }));
    }
    db.prepare('DELETE FROM policy_journal WHERE id <= ?').run(entries.at(-1)!.id);
    return written;
  }).immediate();
}

function readJournal(db: Db): JournalEntry[] {
  const rows = db.prepare('SELECT id, tbl, op, old_row, new_row FROM policy_journal ORDER BY id').all() as
    { id: number; tbl: string; op: JournalEntry['op']; old_row: string | null; new_row: string | null }[];
  return rows.map((r) => ({
    id: r.id, tbl: r.tbl, op: r.op,
    old: r.old_row === null ? null : (JSON.parse(r.old_row) as Row),
    new: r.new_row === null ? null : (JSON.parse(r.new_row) as Row),
  }));
}

/** Every row of the entity now, read as the journal writes them (json_object of the same columns). */
function currentRows(db: Db, kind: PolicyEntityKind, id: number): EntityRows {
  const rows: EntityRows = new Map();
  for (const [table, part] of Object.entries(POLICY_TABLES)) {
    if (part.entity !== kind) continue;
    const json = `json_object(${JOURNALED_COLUMNS[table]!.map((c) => `'${c}', ${c}`).join(', ')})`;
    const found = db.prepare(`SELECT ${json} FROM ${table} WHERE ${part.owner} = ?`).pluck().all(id) as string[];
    rows.set(table, found.map((text) => JSON.parse(text) as Row));
  }
  return rows;
}

/** A row in the trash counts as gone: moving it there is a removal, taking it out an addition. */
function changeKind(before: Row | null, after: Row | null): 'added' | 'changed' | 'removed' {
  const live = (view: Row | null) => view !== null && (view.deletedAt ?? null) === null;
  if (!live(before) && live(after)) return 'added';
  if (live(before) && !live(after)) return 'removed';
  return after === null ? 'removed' : 'changed';
}

function pick(view: Row | null, fields: readonly string[]): Row | null {
  return view === null ? null : Object.fromEntries(fields.map((f) => [f, view[f] ?? null]));
}

/**
 * Names for the record's site, host and path ("Acme/Pune/pbx1"), from the database (trashed rows too)
 * or, for rows purged in this very change, from the journal's copy of them.
 */
class NameLookup {
  constructor(private readonly db: Db, private readonly entries: readonly JournalEntry[]) {}

  place(kind: PolicyEntityKind, id: number, view: Row): { path: string; site: string | null; siteId: number | null; host: string | null } {
    if (kind === 'customer') return { path: String(view.name), site: String(view.name), siteId: null, host: null };
    const siteId = kind === 'site' ? id : Number(view.siteId);
    const site = kind === 'site' ? view : this.row('sites', siteId);
    const customer = this.row('customers', Number(site?.customer_id ?? site?.customerId));
    const sitePath = `${String(customer?.name ?? '?')}/${String(site?.name ?? '?')}`;
    if (kind === 'host') return { path: `${sitePath}/${String(view.name)}`, site: sitePath, siteId, host: String(view.name) };
    if (kind === 'approval') return { path: `${sitePath} (${String(view.method)})`, site: sitePath, siteId, host: null };
    return { path: sitePath, site: sitePath, siteId, host: null };
  }

  private row(table: 'sites' | 'customers', id: number): Row | undefined {
    const stored = this.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row | undefined;
    if (stored) return stored;
    const entry = this.entries.find((e) => e.tbl === table && (e.old ?? e.new)?.id === id);
    return entry ? (entry.old ?? entry.new)! : undefined;
  }
}
