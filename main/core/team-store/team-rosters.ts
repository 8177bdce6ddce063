import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { ApiError } from '../../../contract/errors';
import type { TeamRoster } from '../accountability/team-roster';
import type { Db } from '../store/database';
import { isConnectionLost } from './connection';
import { refusal } from './membership';

/** A roster in the team store that this data dir, having none yet, does not trust on its own. */
export interface WaitingRoster {
  team: string;
  sha256: string;
  publishedBy: string;
  /** The leads named in the roster whose signature it carries: the fingerprint to compare with the lead's. */
  signedBy: { name: string; email: string; fingerprint: string }[];
}

/** What a sync did with the team roster. */
export interface RostersSynced {
  /** This lead's current roster was new to the store and is in it now. */
  published: boolean;
  /** Rosters from the store imported here (their SHA-256), oldest first. */
  imported: string[];
  /** Set while this data dir has no roster: the store's newest, to import with --trust-lead. */
  waiting: WaitingRoster | null;
  warnings: string[];
}

const WAITING_KEY = 'team_roster_waiting';

interface StoredRoster { id: string; signed_text: string; sha256: string; published_by: string }

/**
 * The signed roster through the team store. Every data dir imports the rosters published after the newest
 * one it knows, in the store's order, through TeamRoster.import — so each is checked against the roster
 * trusted here (signed by one of its leads), and each import is a record in the chain; a roster it refuses
 * is never applied and the sync says why. A data dir with no roster trusts none on its own: the newest one
 * waits for the person to confirm the signing lead's fingerprint (`team roster import --from-store
 * --trust-lead FP`). Then a lead publishes its current roster if the store does not have it (idempotent
 * by SHA-256; the database takes it only from a lead). Pull before publish, so a lead whose laptop was
 * behind does not publish an older roster as the newest.
 */
export async function syncRosters(client: ClientBase, db: Db, roster: TeamRoster, isLead: boolean): Promise<RostersSynced> {
  const warnings: string[] = [];
  const imported: string[] = [];
  let waiting: WaitingRoster | null = null;
  // The digest is computed here from the text, not taken from the store's column.
  const stored = (await client.query<StoredRoster>('SELECT id, signed_text, published_by FROM switchboard.rosters ORDER BY id')).rows
    .map((row) => ({ ...row, sha256: sha256(row.signed_text) }));
  const known = new Set((db.prepare('SELECT signed_text FROM rosters').pluck().all() as string[]).map(sha256));
  const newestKnown = stored.findLastIndex((row) => known.has(row.sha256));
  const newer = stored.slice(newestKnown + 1);
  for (const row of newer) {
    if (!roster.current()) {
      const preview = previewOf(roster, row);
      if (preview && !preview.needsTrustConfirmation && preview.signers.length > 0) {
        // This data dir's own identity signed it (the lead who made the team): no one else to confirm.
        importOne(roster, row, imported, warnings);
        continue;
      }
      if (row === newer.at(-1) && preview && preview.signers.length > 0) {
        waiting = { team: preview.roster.team, sha256: row.sha256, publishedBy: row.published_by, signedBy: preview.signers.map((m) => ({ name: m.name, email: m.email, fingerprint: m.fingerprint })) };
      }
      continue;
    }
    importOne(roster, row, imported, warnings);
  }
  if (roster.current()) waiting = null;
  db.prepare('DELETE FROM store_meta WHERE key = ?').run(WAITING_KEY);
  if (waiting) {
    const text = newer.at(-1)!.signed_text;
    db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)').run(WAITING_KEY, JSON.stringify({ ...waiting, text }));
    const who = waiting.signedBy.map((m) => `${m.name} <${m.email}> ${m.fingerprint}`).join(', ');
    warnings.push(`The team store has the roster of ${waiting.team}, signed by ${who}; this data dir trusts no roster yet. Compare the fingerprint with the one your lead gives you (in person or by phone), then: switchboard team roster import --from-store --trust-lead ${waiting.signedBy[0]!.fingerprint}`);
  }

  let published = false;
  const current = roster.current();
  if (isLead && current && !stored.some((row) => row.sha256 === sha256(current.signedText))) {
    try {
      const result = await client.query('INSERT INTO switchboard.rosters (signed_text, sha256) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [current.signedText, sha256(current.signedText)]);
      published = (result.rowCount ?? 0) > 0;
    } catch (error) {
      if (isConnectionLost(error)) throw error;
      warnings.push(refusal(error, `publish the roster of ${current.roster.team}`).message);
    }
  }
  return { published, imported, waiting, warnings };
}

/** The roster the last sync found waiting for this data dir's first trust (null when there is none). */
export function waitingRoster(db: Db): (WaitingRoster & { text: string }) | null {
  const value = db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck().get(WAITING_KEY) as string | undefined;
  return value ? (JSON.parse(value) as WaitingRoster & { text: string }) : null;
}

/** `team roster import --from-store --trust-lead FP`: the text of the roster the last sync found waiting. */
export function waitingRosterText(db: Db): string {
  const waiting = waitingRoster(db);
  if (!waiting) throw new ApiError('NOT_FOUND', 'No roster from the team store is waiting here; run "switchboard team sync" first (or this data dir already has one: "switchboard team roster show").');
  return waiting.text;
}

function previewOf(roster: TeamRoster, row: StoredRoster) {
  try {
    return roster.preview(row.signed_text);
  } catch {
    return null;
  }
}

function importOne(roster: TeamRoster, row: StoredRoster, imported: string[], warnings: string[]): void {
  try {
    if (roster.import(row.signed_text).changed) imported.push(row.sha256);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    warnings.push(`The roster ${row.sha256.slice(0, 12)}… that ${row.published_by} published in the team store was not imported: ${error.message}`);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
