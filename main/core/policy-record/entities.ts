import { POLICY_JOURNAL_COLUMNS_0008 } from '../store/migrations/0008-policy-journal';
import { HOST_VNC_JOURNAL_COLUMNS_0011 } from '../store/migrations/0011-vnc-endpoint';
import { SITE_FILE_FOLDERS_JOURNAL_COLUMNS_0016, SITES_JOURNAL_COLUMNS_0016 } from '../store/migrations/0016-site-files';

/** What a policy change is about: one customer, site, host or exception approval with all its parts. */
export type PolicyEntityKind = 'customer' | 'site' | 'host' | 'approval';

export type Row = Record<string, unknown>;

/**
 * How each journaled table belongs to an entity: its own row (`main`), a list of values (approved
 * methods, allow-list ranges) or one row at most (an endpoint, the VPN profile, the pinned key).
 */
type TablePart =
  | { entity: PolicyEntityKind; owner: string; shape: 'main' }
  | { entity: PolicyEntityKind; owner: string; shape: 'list'; field: string; value: string }
  | { entity: PolicyEntityKind; owner: string; shape: 'one'; field: string; value?: string };

export const POLICY_TABLES: Readonly<Record<string, TablePart>> = {
  customers: { entity: 'customer', owner: 'id', shape: 'main' },
  sites: { entity: 'site', owner: 'id', shape: 'main' },
  site_methods: { entity: 'site', owner: 'site_id', shape: 'list', field: 'approvedMethods', value: 'method' },
  vpn_profiles: { entity: 'site', owner: 'site_id', shape: 'one', field: 'vpn' },
  site_file_folders: { entity: 'site', owner: 'site_id', shape: 'list', field: 'fileFolders', value: 'folder' },
  hosts: { entity: 'host', owner: 'id', shape: 'main' },
  host_allow: { entity: 'host', owner: 'host_id', shape: 'list', field: 'allow', value: 'cidr' },
  host_ssh: { entity: 'host', owner: 'host_id', shape: 'one', field: 'ssh' },
  host_https: { entity: 'host', owner: 'host_id', shape: 'one', field: 'https' },
  host_vnc: { entity: 'host', owner: 'host_id', shape: 'one', field: 'vnc' },
  host_key_pins: { entity: 'host', owner: 'host_id', shape: 'one', field: 'hostKeyPin', value: 'fingerprint' },
  method_approvals: { entity: 'approval', owner: 'id', shape: 'main' },
};

/** The columns journaled per table (migration 0008, host_vnc's since 0011, sites' and site_file_folders since 0016); the current rows are read with the same ones. */
export const JOURNALED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  ...POLICY_JOURNAL_COLUMNS_0008, host_vnc: HOST_VNC_JOURNAL_COLUMNS_0011, sites: SITES_JOURNAL_COLUMNS_0016, site_file_folders: SITE_FILE_FOLDERS_JOURNAL_COLUMNS_0016,
};

/** An entity's rows, table by table, as stored (journaled columns only). */
export type EntityRows = Map<string, Row[]>;

/** One entry of policy_journal, parsed. */
export interface JournalEntry { id: number; tbl: string; op: 'insert' | 'update' | 'delete'; old: Row | null; new: Row | null }

export function entityKey(kind: PolicyEntityKind, id: number): string {
  return `${kind}:${id}`;
}

export function entryEntity(entry: JournalEntry): { kind: PolicyEntityKind; id: number } | null {
  const part = POLICY_TABLES[entry.tbl];
  const row = entry.new ?? entry.old;
  const id = row?.[part?.owner ?? ''];
  if (!part || typeof id !== 'number') return null;
  return { kind: part.entity, id };
}

/** Two rows of one table are the same item: the owner's one row, or the same value in a list. */
function sameItem(table: string, a: Row, b: Row): boolean {
  const part = POLICY_TABLES[table]!;
  return part.shape !== 'list' || a[part.value] === b[part.value];
}

/**
 * The entity as it was before the journaled changes: its rows now, with the journal undone newest first
 * (an insert taken out, a delete put back, an update's old row put back in place of its new one).
 */
export function rowsBefore(after: EntityRows, entries: readonly JournalEntry[]): EntityRows {
  const before: EntityRows = new Map([...after].map(([table, rows]) => [table, [...rows]]));
  for (const entry of [...entries].reverse()) {
    const rows = before.get(entry.tbl) ?? [];
    const at = entry.new ? rows.findIndex((r) => sameItem(entry.tbl, r, entry.new!)) : -1;
    if (entry.op === 'insert' && at >= 0) rows.splice(at, 1);
    if (entry.op === 'delete' && entry.old) rows.push(entry.old);
    if (entry.op === 'update' && entry.old) {
      if (at >= 0) rows.splice(at, 1, entry.old);
      else rows.push(entry.old);
    }
    before.set(entry.tbl, rows);
  }
  return before;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function fieldsOf(row: Row, skip: readonly string[]): Row {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !skip.includes(k)).map(([k, v]) => [camel(k), v]));
}

/**
 * What a person reads in the record: the entity's own fields (camelCase) with its parts as fields of
 * their own — `allow: ['10.0.0.0/24']`, `ssh: {port: 22, …} | null`, `hostKeyPin: 'SHA256:…' | null`.
 * Null when the entity has no row of its own (not created yet, or purged).
 */
export function entityView(kind: PolicyEntityKind, rows: EntityRows): Row | null {
  const mainTable = Object.entries(POLICY_TABLES).find(([, p]) => p.entity === kind && p.shape === 'main')![0];
  const main = rows.get(mainTable)?.[0];
  if (!main) return null;
  const view: Row = fieldsOf(main, ['id']);
  for (const [table, part] of Object.entries(POLICY_TABLES)) {
    if (part.entity !== kind || part.shape === 'main') continue;
    const items = rows.get(table) ?? [];
    if (part.shape === 'list') {
      view[part.field] = [...items].sort((a, b) => Number(a.position) - Number(b.position)).map((r) => r[part.value]);
    } else {
      const item = items[0];
      view[part.field] = item === undefined ? null : part.value ? item[part.value] : fieldsOf(item, [part.owner]);
    }
  }
  return view;
}

/** The fields whose values differ, in the view's order. */
export function changedFields(before: Row | null, after: Row | null): string[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys.filter((k) => JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null));
}
