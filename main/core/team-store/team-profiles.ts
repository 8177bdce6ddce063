import type { ClientBase } from 'pg';
import { ApiError } from '../../../contract/errors';
import type { TeamProfileConflict } from '../../../contract/models';
import { softDelete } from '../directory/trash';
import { recordPolicyChange } from '../policy-record/recorder';
import { nowIso, type Db } from '../store/database';
import { isConnectionLost } from './connection';
import { refusal } from './membership';
import { applyTeamDocument, canonicalJson, liveCustomers, parseTeamDocument, teamDocument } from './team-profile-documents';

/**
 * What a profile sync did: versions pushed, versions taken from the store, edits kept as conflicts,
 * customers it could not apply, and customers only this laptop has that it may not add to the team's.
 */
export interface ProfilesSynced { pushed: number; taken: number; conflicts: number; failed: string[]; localOnly: string[] }

interface StoreProfile { customer: string; version: number; deleted: boolean; updated_by: string }
interface Base { customer: string; version: number; document: string | null }

const PG_UNIQUE_VIOLATION = '23505';
const PG_SERIALIZATION_FAILURE = '40001';

/** The store's version moved under the push: someone else's edit came first. */
class NewerInStore extends Error {}

/**
 * Site profiles are authoritative in the team store, with a version per customer. Each sync, per customer:
 * - the store has nothing newer than what this laptop last agreed with, and it was edited here: the edit
 *   is pushed as the next version (the database takes it only on the version it was made on, and only
 *   from someone the team's `profile_editors` setting allows);
 * - the store has a newer version: it is applied here; an edit made here meanwhile is not lost but kept
 *   as a conflict, for the engineer to redo on the new version or drop. So is an edit the store refused;
 * - a customer the store has never had, which this person may not add: it stays on this laptop only.
 * Every change applied here from the store is a policy change on the record ('team-store').
 */
export async function syncProfiles(client: ClientBase, db: Db, engineer: string): Promise<ProfilesSynced> {
  const result: ProfilesSynced = { pushed: 0, taken: 0, conflicts: 0, failed: [], localOnly: [] };
  const store = new Map((await client.query<StoreProfile>('SELECT customer, version, deleted, updated_by FROM switchboard.profiles')).rows
    .map((row) => [row.customer.toLowerCase(), row]));
  const mayEdit = (await client.query<{ may: boolean }>('SELECT switchboard.may_edit_profiles() AS may')).rows[0]?.may === true;
  const bases = new Map((db.prepare('SELECT customer, version, document FROM team_profiles').all() as Base[]).map((row) => [row.customer.toLowerCase(), row]));
  const live = liveCustomers(db);
  const keys = new Set([...store.keys(), ...bases.keys(), ...live.keys()]);
  for (const key of keys) {
    const base = bases.get(key);
    let theirs = store.get(key);
    const here = live.get(key);
    const mine = here ? canonicalJson(teamDocument(db, here.id)) : null;
    const edited = mine !== (base?.document ?? null);
    const storeMoved = theirs !== undefined && theirs.version !== base?.version;
    let reason: 'newer' | 'not-allowed' = 'newer';
    if (!storeMoved) {
      if (!edited) continue;
      if (!theirs && mine === null) {
        db.prepare('DELETE FROM team_profiles WHERE customer = ?').run(key);
        continue;
      }
      if (mayEdit) {
        try {
          const version = await push(client, here?.name ?? base!.customer, base, theirs, mine);
          setBase(db, { customer: here?.name ?? base!.customer, version, document: mine });
          result.pushed += 1;
          continue;
        } catch (error) {
          if (!(error instanceof NewerInStore)) throw error;
          theirs = (await client.query<StoreProfile>('SELECT customer, version, deleted, updated_by FROM switchboard.profiles WHERE lower(customer) = $1', [key])).rows[0];
        }
      } else if (!theirs && !base) {
        // A customer the team has never had stays this laptop's own (its sessions and policy changes are
        // on the record all the same) until someone allowed to edit the team's profiles adds it.
        result.localOnly.push(here!.name);
        continue;
      } else {
        reason = 'not-allowed';
      }
    }
    try {
      const document = theirs ? await storeDocument(client, theirs) : null;
      const theirsJson = document === null ? null : canonicalJson(document);
      const keep = edited && mine !== theirsJson;
      recordPolicyChange(db, { engineer, via: 'team-store' }, () => {
        if (keep) keepConflict(db, { customer: here?.name ?? theirs?.customer ?? base!.customer, mine, reason, theirs });
        takeTheirs(db, key, here?.id, theirs, document);
      });
      if (keep) result.conflicts += 1;
      if (storeMoved) result.taken += 1;
    } catch (error) {
      if (isConnectionLost(error)) throw error;
      result.failed.push(`${theirs?.customer ?? here?.name ?? key}: ${(error as Error).message}`);
    }
  }
  return result;
}

/** The next version of the customer in the store (1 for a new one); `NewerInStore` when another edit came first. */
async function push(client: ClientBase, customer: string, base: Base | undefined, theirs: StoreProfile | undefined, mine: string | null): Promise<number> {
  try {
    if (!theirs) {
      if (mine === null) return base?.version ?? 0;
      await client.query('INSERT INTO switchboard.profiles (customer, version, document) VALUES ($1, 1, $2::jsonb)', [customer, mine]);
      return 1;
    }
    const version = theirs.version + 1;
    const updated = mine === null
      ? await client.query('UPDATE switchboard.profiles SET version = $2, deleted = true WHERE customer = $1 AND version = $3', [theirs.customer, version, theirs.version])
      : await client.query('UPDATE switchboard.profiles SET version = $2, deleted = false, document = $4::jsonb WHERE customer = $1 AND version = $3', [theirs.customer, version, theirs.version, mine]);
    if (updated.rowCount === 0) throw new NewerInStore();
    return version;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof NewerInStore || code === PG_UNIQUE_VIOLATION || code === PG_SERIALIZATION_FAILURE) throw new NewerInStore();
    if (isConnectionLost(error)) throw error;
    throw refusal(error, `save the profile of ${customer}`);
  }
}

async function storeDocument(client: ClientBase, theirs: StoreProfile): Promise<unknown> {
  if (theirs.deleted) return null;
  const row = (await client.query<{ document: unknown }>('SELECT document FROM switchboard.profiles WHERE customer = $1 AND version = $2', [theirs.customer, theirs.version])).rows[0];
  // Changed again between the two reads: the next sync takes the newer one.
  if (!row) throw new ApiError('CONFLICT', `the profile of ${theirs.customer} changed again while it was read; the next sync takes it`);
  return row.document;
}

/** This data dir's customer (`hereId`) made the store's version, or removed (deleted there, or — never in the store — left to the trash). */
function takeTheirs(db: Db, key: string, hereId: number | undefined, theirs: StoreProfile | undefined, document: unknown): void {
  let applied: number | undefined;
  if (document !== null) applied = applyTeamDocument(db, parseTeamDocument(document));
  else if (hereId !== undefined) softDelete(db, 'customer', hereId);
  if (!theirs) {
    db.prepare('DELETE FROM team_profiles WHERE customer = ?').run(key);
    return;
  }
  // What this laptop now agrees with is the customer as it reads here after the apply (a pin this laptop
  // learned on first use stays), so applying a version never looks like an edit of its own.
  setBase(db, { customer: theirs.customer, version: theirs.version, document: applied === undefined ? null : canonicalJson(teamDocument(db, applied)) });
}

function setBase(db: Db, base: Base): void {
  db.prepare(`INSERT INTO team_profiles (customer, version, document, updated_by, updated_at) VALUES (@customer, @version, @document, '', @at)
    ON CONFLICT (customer) DO UPDATE SET customer = excluded.customer, version = excluded.version, document = excluded.document, updated_at = excluded.updated_at`)
    .run({ ...base, at: nowIso() });
}

function keepConflict(db: Db, conflict: { customer: string; mine: string | null; reason: 'newer' | 'not-allowed'; theirs: StoreProfile | undefined }): void {
  const { customer, mine, reason, theirs } = conflict;
  const message = reason === 'not-allowed'
    ? `The team store did not take this laptop's edit of ${customer}: the team's setting lets only leads edit profiles. `
      + (theirs ? `${customer} is back to the store's version ${theirs.version}; ` : `${customer} was removed from the team store and went to the trash here; `)
      + 'your edit is kept here: redo it once you may edit profiles, or drop it.'
    : `${theirs?.updated_by ?? 'Someone'} saved version ${theirs?.version ?? '?'} of ${customer} in the team store before this laptop's edit reached it. `
      + `${customer} now reads as that version; your edit is kept here: redo it on top, or drop it.`;
  db.prepare(`INSERT INTO team_profile_conflicts (customer, mine, reason, theirs_version, theirs_by, message, found_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(customer, mine, reason, theirs?.version ?? null, theirs?.updated_by ?? null, message, nowIso());
}

interface ConflictRow {
  id: number; customer: string; mine: string | null; reason: 'newer' | 'not-allowed'; theirs_version: number | null; theirs_by: string | null;
  message: string; found_at: string; resolution: 'redone' | 'dropped' | null; resolved_at: string | null;
}

/** The edits the team store did not take, newest first; `all` includes the ones already redone or dropped. */
export function listProfileConflicts(db: Db, { all = false } = {}): TeamProfileConflict[] {
  const rows = db.prepare(`SELECT * FROM team_profile_conflicts ${all ? '' : 'WHERE resolution IS NULL'} ORDER BY id DESC`).all() as ConflictRow[];
  const live = liveCustomers(db);
  return rows.map((row) => {
    const here = live.get(row.customer.toLowerCase());
    const now = here ? canonicalJson(teamDocument(db, here.id)) : null;
    return {
      id: row.id, customer: row.customer, reason: row.reason, theirsVersion: row.theirs_version, theirsBy: row.theirs_by,
      message: row.message, foundAt: row.found_at, resolution: row.resolution, resolvedAt: row.resolved_at,
      mineDeletes: row.mine === null,
      differences: differences(row.mine === null ? null : JSON.parse(row.mine), now === null ? null : JSON.parse(now)),
    };
  });
}

/**
 * Redo: the kept edit applied again on top of what the store's version made of the customer here; the
 * next sync offers it to the store as the next version. Drop: the edit is let go. Either way the
 * conflict stays on the list of resolved ones.
 */
export function resolveProfileConflict(db: Db, id: number, action: 'redo' | 'drop', engineer: string): TeamProfileConflict {
  const row = db.prepare('SELECT * FROM team_profile_conflicts WHERE id = ?').get(id) as ConflictRow | undefined;
  if (!row) throw new ApiError('NOT_FOUND', `There is no profile conflict ${id}; "switchboard team conflicts" lists them.`);
  if (row.resolution) throw new ApiError('CONFLICT', `Profile conflict ${id} (${row.customer}) was already ${row.resolution} at ${row.resolved_at}.`);
  recordPolicyChange(db, { engineer, via: 'team-store-redo' }, () => {
    if (action === 'redo') {
      const here = liveCustomers(db).get(row.customer.toLowerCase());
      if (row.mine !== null) applyTeamDocument(db, parseTeamDocument(JSON.parse(row.mine)));
      else if (here) softDelete(db, 'customer', here.id);
    }
    db.prepare('UPDATE team_profile_conflicts SET resolution = ?, resolved_at = ? WHERE id = ?').run(action === 'redo' ? 'redone' : 'dropped', nowIso(), id);
  });
  return listProfileConflicts(db, { all: true }).find((c) => c.id === id)!;
}

export function openProfileConflicts(db: Db): number {
  return Number(db.prepare('SELECT count(*) FROM team_profile_conflicts WHERE resolution IS NULL').pluck().get());
}

/** Where the kept edit and the customer as it is now differ, as paths (`sites[0].hosts[1].address`) with both values. */
function differences(mine: unknown, now: unknown, at = ''): { path: string; mine: string; now: string }[] {
  const show = (value: unknown) => (value === undefined ? '(none)' : value === null ? '(deleted)' : JSON.stringify(value));
  if (mine !== null && now !== null && typeof mine === 'object' && typeof now === 'object') {
    const keyed = (value: object) => (Array.isArray(value)
      ? new Map(value.map((item, i) => [isNamed(item) ? `[${item.name}]` : `[${i}]`, item as unknown]))
      : new Map(Object.entries(value)));
    const a = keyed(mine);
    const b = keyed(now);
    return [...new Set([...a.keys(), ...b.keys()])].flatMap((key) => {
      const path = key.startsWith('[') ? `${at}${key}` : at ? `${at}.${key}` : key;
      return differences(a.get(key), b.get(key), path);
    });
  }
  return canonicalJson(mine) === canonicalJson(now) ? [] : [{ path: at || '(customer)', mine: show(mine), now: show(now) }];
}

function isNamed(value: unknown): value is { name: string } {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

