import type { WitnessImportView } from '../../../contract/accountability';
import { ApiError } from '../../../contract/errors';
import type { SessionLog } from '../session-log/session-log';
import { nowIso, type Db } from '../store/database';
import { parseCheckpoint } from '../transparency/checkpoint';
import { verifyCosignature } from '../transparency/cosignature';
import { parsePublicKeyText } from '../transparency/ed25519';
import { openNote } from '../transparency/signed-note';
import type { Checkpoints } from './checkpoints';
import type { Identities } from './identity';
import { LogTree } from './log-tree';
import { noteKeyName } from './people';
import type { RosterMember } from './roster';
import type { TeamRoster } from './team-roster';

/** A checkpoint of this log that a lead of the roster cosigned, as handed back. */
export interface WitnessedCheckpoint {
  checkpointId: number;
  size: number;
  /** The cosigned note (the engineer's signature and the lead's cosignature). */
  note: string;
  by: RosterMember;
  at: Date;
}

/** Which lead (of these) cosigned the note, and when; null when none did. */
export function cosignerAmong(note: string, leads: readonly RosterMember[]): { lead: RosterMember; at: Date } | null {
  for (const lead of leads) {
    const check = verifyCosignature(note, noteKeyName(lead.email), parsePublicKeyText(lead.publicKey));
    if (check.ok) return { lead, at: check.time };
  }
  return null;
}

/** The largest checkpoint a lead of the current roster cosigned: where the last accepted bundle ended. */
export function latestWitnessed(db: Db, leads: readonly RosterMember[]): WitnessedCheckpoint | null {
  const rows = db.prepare(
    'SELECT c.id, c.size, w.cosigned_note AS note FROM checkpoint_cosignatures w JOIN checkpoints c ON c.id = w.checkpoint_id ORDER BY c.size DESC, w.imported_at DESC',
  ).all() as { id: number; size: number; note: string }[];
  for (const row of rows) {
    const by = cosignerAmong(row.note, leads);
    if (by) return { checkpointId: row.id, size: row.size, note: row.note, by: by.lead, at: by.at };
  }
  return null;
}

export interface WitnessDeps { db: Db; log: SessionLog; identities: Identities; roster: TeamRoster; checkpoints: Checkpoints }

export type WitnessImported = WitnessImportView;

/**
 * Takes back the checkpoint a lead cosigned on accepting a bundle. It must be this log's, signed by this
 * identity, cosigned by a lead of this data dir's roster, one this data dir signed (a stored checkpoint
 * with the same text), and the log must still produce its root — so a witness for another log, another
 * person or a rewritten history is refused rather than shown as "witnessed".
 */
export function importWitness(deps: WitnessDeps, text: string): WitnessImported {
  const { db, identities, checkpoints } = deps;
  const me = identities.require();
  let body: string;
  let parsed;
  try {
    body = openNote(text).text;
    parsed = parseCheckpoint(body);
  } catch (error) {
    throw new ApiError('INVALID_INPUT', `This is not a cosigned checkpoint: ${(error as Error).message}`);
  }
  if (parsed.origin !== checkpoints.origin()) {
    throw new ApiError('SIGNATURE_INVALID', `This witness is for another log (${parsed.origin}), not this data dir's (${checkpoints.origin()}).`);
  }
  if (!checkpoints.signedByMe(text)) {
    throw new ApiError('SIGNATURE_INVALID', `This checkpoint does not carry ${me.name}'s signature (${me.fingerprint}); it is not one this data dir signed.`);
  }
  const leads = deps.roster.leads();
  if (leads.length === 0) throw new ApiError('UNTRUSTED_SIGNER', 'This data dir has no team roster, so no cosignature can be trusted yet. Import the roster your lead signed first.');
  const by = cosignerAmong(text, leads);
  if (!by) {
    const names = openNote(text).signatures.map((s) => s.name).filter((n) => n !== noteKeyName(me.email));
    throw new ApiError('UNTRUSTED_SIGNER', `This checkpoint is not cosigned by a lead of the roster (${leads.map((l) => `${l.name} ${l.fingerprint}`).join(', ')})${names.length ? `; its other signatures are by ${names.join(', ')}` : ''}.`);
  }
  const stored = (db.prepare('SELECT id, note FROM checkpoints WHERE size = ? ORDER BY id').all(parsed.size) as { id: number; note: string }[])
    .find((c) => openNote(c.note).text === body);
  if (!stored) throw new ApiError('NOT_FOUND', `This data dir has no record of signing the checkpoint of ${parsed.size} records this witness covers; it may come from a copy of this data dir.`);
  const tree = new LogTree(db);
  tree.catchUp();
  if (tree.size() < parsed.size || !tree.root(parsed.size).equals(parsed.rootHash)) {
    throw new ApiError('SIGNATURE_INVALID', `The log no longer produces the root the lead witnessed at ${parsed.size} records: it was cut or rewritten since (run "switchboard log verify").`);
  }
  const fingerprintText = by.lead.fingerprint;
  const known = db.prepare('SELECT 1 FROM checkpoint_cosignatures WHERE checkpoint_id = ? AND key_fingerprint = ?').get(stored.id, fingerprintText) !== undefined;
  if (!known) {
    const now = nowIso();
    db.transaction(() => {
      db.prepare('INSERT INTO checkpoint_cosignatures (checkpoint_id, witness, key_fingerprint, cosigned_note, cosigned_at, imported_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(stored.id, by.lead.email, fingerprintText, text, by.at.toISOString(), now);
      deps.log.append({
        sessionId: `witness-${parsed.size}-${fingerprintText.slice(7, 19)}`, kind: 'bundle', at: now, engineer: me.email,
        summary: `${by.lead.name} witnessed the log up to record ${parsed.size} (cosigned ${by.at.toISOString()})`,
        detail: { witnessed: { size: parsed.size, rootHash: parsed.rootHash.toString('base64'), by: by.lead.email, fingerprint: fingerprintText, at: by.at.toISOString() } },
      });
    }).immediate();
  }
  return { size: parsed.size, by: by.lead.name, byEmail: by.lead.email, at: by.at.toISOString(), alreadyKnown: known };
}
