/** Identity, team roster, checkpoints and witnessing: what the window sends and is shown back. */
import { z } from 'zod';

export const accountabilityInputs = {
  identityInit: z.strictObject({
    name: z.string().trim().min(1, 'a name is required').max(200),
    email: z.string().trim().min(3, 'an e-mail address is required').max(254),
    role: z.enum(['engineer', 'lead']).default('engineer'),
  }),
  rosterImport: z.strictObject({
    signedText: z.string().min(1, 'the signed roster is empty').max(1_000_000),
    /** The lead key fingerprint the person confirmed; needed for the first roster only. */
    trustLead: z.string().trim().max(100).optional(),
  }),
  rosterSign: z.strictObject({ yaml: z.string().min(1, 'the roster is empty').max(1_000_000) }),
  teamConflicts: z.strictObject({ all: z.boolean().optional() }),
  teamResolveConflict: z.strictObject({ id: z.number().int().positive(), action: z.enum(['redo', 'drop']) }),
  /** The roster the last team sync found waiting, imported with the lead fingerprint the person confirmed. */
  waitingRosterImport: z.strictObject({ trustLead: z.string().trim().min(1, 'confirm the lead\'s fingerprint').max(100) }),
  rosterPreview: z.strictObject({ signedText: z.string().min(1, 'the signed roster is empty').max(1_000_000) }),
  /** An engineer's bundle of their log since the last one a lead accepted (or since a date). */
  logBundle: z.strictObject({
    since: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'a date (2026-11-25) or an ISO time (2026-11-25T10:00:00Z)').optional(),
  }),
  /** A bundle file's text, as a lead imports it (recordings are inside it, so it can be large). */
  reviewImport: z.strictObject({ text: z.string().min(1, 'the bundle is empty').max(500_000_000) }),
  /** The checkpoint a lead cosigned, as the engineer takes it back. */
  logWitness: z.strictObject({ text: z.string().min(1, 'the witness file is empty').max(1_000_000) }),
};

export interface IdentityView {
  name: string;
  email: string;
  /** What the person chose at `identity init`. */
  role: 'engineer' | 'lead';
  /** What the trusted roster says (null without one, or when the identity is not in it). */
  rosterRole: 'engineer' | 'lead' | null;
  publicKey: string;
  fingerprint: string;
  createdAt: string;
}

export interface RosterMemberView { name: string; email: string; role: 'engineer' | 'lead'; publicKey: string; fingerprint: string }

export interface RosterView {
  team: string;
  members: RosterMemberView[];
  signedBy: { name: string; email: string; fingerprint: string };
  importedAt: string;
  /** The lead key fingerprint this data dir was first given and confirmed. */
  trustAnchor: string;
}

export interface RosterImportView extends RosterView { firstTrust: boolean; changed: boolean; warnings: string[] }

/**
 * A signed roster read before importing it: who signed it (verified signatures only), so the window can
 * ask the person to compare the lead's fingerprint before the first roster is trusted.
 */
export interface RosterPreview {
  team: string;
  members: RosterMemberView[];
  /** Leads whose valid signature the file carries: of the roster trusted now, or (first roster) of the file itself. */
  signers: { name: string; email: string; fingerprint: string }[];
  /** True for the first roster of a data dir whose own key did not sign it: import needs `trustLead`. */
  needsTrustConfirmation: boolean;
}

export interface CheckpointView {
  size: number;
  rootHash: string;
  signedAt: string;
  reason: string;
  /** The C2SP signed note, as `log checkpoint` prints it. */
  note: string;
}

/** How much of the log no lead has witnessed yet. */
export interface WitnessStatus {
  /** Records and sessions in the log now. */
  records: number;
  /** The largest checkpoint a lead of the roster cosigned, if any. */
  witnessed: { size: number; by: string; at: string } | null;
  unwitnessedRecords: number;
  unwitnessedSessions: number;
  /** Whole days since a lead last cosigned (null: never). */
  daysSinceWitnessed: number | null;
  /** Why the last automatic checkpoint failed, if it did. */
  checkpointFailure: string | null;
  /** The newest signed checkpoint. */
  latestCheckpoint: { size: number; signedAt: string } | null;
}

/** A signed bundle (format switchboard-bundle/1, docs/security.md) made for a lead. */
export interface BundleView {
  /** The bundle file's text (JSON). */
  text: string;
  fileName: string;
  /** First and last record in it (the last is the new checkpoint's size). */
  from: number;
  to: number;
  sessions: number;
  recordings: number;
  /** The size of the checkpoint a lead last cosigned, which this bundle builds on (null: none yet). */
  previousSize: number | null;
  /** SHA-256 of `text`, as the export's own record in the chain states it. */
  sha256: string;
  /** Things to know before sending it (a recording missing from disk, one that no longer matches its record). */
  warnings: string[];
}

/** What a lead's import of a bundle accepted. */
export interface BundleImportView {
  engineer: { name: string; email: string; fingerprint: string };
  /** The records this import added. */
  from: number;
  to: number;
  sessions: number;
  recordings: number;
  missingRecordings: number;
  firstImport: boolean;
  /** The engineer's checkpoint with the lead's cosignature: the file the engineer imports with `log witness`. */
  cosignedNote: string;
  /** Sessions that ran under an exception whose approval does not check out here; each was flagged at import. */
  unverifiedExceptions: { sessionId: string; reason: string }[];
}

/** A lead's cosignature taken back by the engineer. */
export interface WitnessImportView {
  /** The records the lead witnessed. */
  size: number;
  by: string;
  byEmail: string;
  at: string;
  /** True when this cosignature was already imported (nothing changed). */
  alreadyKnown: boolean;
}
