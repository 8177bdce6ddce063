import { createHash } from 'node:crypto';
import { ApiError, type ErrorCode } from '../../../contract/errors';
import { GENESIS_HASH } from '../session-log/hash-chain';
import type { Db } from '../store/database';
import { parseCheckpoint, type Checkpoint } from '../transparency/checkpoint';
import { fingerprint, parsePublicKeyText, publicKeyText } from '../transparency/ed25519';
import { CompactRange, leafHash, verifyConsistency, verifyInclusion } from '../transparency/merkle';
import { ed25519NoteVerifier, openNote, verifiedBy, type NoteVerifier } from '../transparency/signed-note';
import { checkBundleChain } from './bundle-chain';
import { parseBundle, parseManifest, recordedRecording, type Bundle, type BundleRecord } from './bundle-format';
import { checkpointTime } from './checkpoints';
import { noteKeyName } from './people';
import type { StagedRows } from './bundle-staging';
import { recheckAttempts, type UnverifiedException } from './exception-recheck';
import { foldBundleSessions, type ReviewRow } from './review-fold';
import type { RosterMember } from './roster';

/**
 * A bundle's verification (docs/security.md, "What a lead checks"): everything a lead checks before an
 * import writes anything. It only reads, and needs no more than a database connection and the roster, so
 * it runs on the log's worker thread (verify-worker.ts) while the core goes on answering; the import
 * (bundle-import.ts, bundle-staging.ts) then writes what it returns in turns, and publishes it at once.
 */

/** Every reason a bundle is refused; each message starts "Bundle refused (<reason>)". */
export type BundleRefusal =
  | 'not in the roster' | 'forged signature' | 'replayed old bundle' | 'truncated' | 'fork' | 'gap' | 'rewritten'
  | 'edited' | 'deleted' | 'inserted' | 'reordered' | 'swapped recording' | 'missing recording' | 'malformed'
  | 'live from the team store';

const CODES: Partial<Record<BundleRefusal, ErrorCode>> = { 'not in the roster': 'UNTRUSTED_SIGNER', 'forged signature': 'SIGNATURE_INVALID' };

export function refuse(reason: BundleRefusal, message: string): never {
  throw new ApiError(CODES[reason] ?? 'BUNDLE_REFUSED', `Bundle refused (${reason}): ${message}`);
}

export interface AcceptedLog {
  engineer_key: string; origin: string; first_seq: number; size: number; root_hash: string; frontier: string;
  checkpoint_note: string; accepted_at: string;
}

export interface Verified {
  member: RosterMember;
  /** The engineer's key as `ed25519:<base64>` (imported_logs.engineer_key). */
  engineerKey: string;
  checkpoint: Required<Checkpoint>;
  /** The checkpoint as the engineer signed it. */
  checkpointNote: string;
  accepted: AcceptedLog | undefined;
  /** Records this import adds (after what was accepted). */
  fresh: BundleRecord[];
  frontier: Buffer[];
  recordings: { sha256: string; data: Buffer }[];
  missing: number;
  /** The bundle file's SHA-256 (named in the lead's 'bundle' record). */
  sha256: string;
  /** The review-queue rows the fresh records fold into (review-fold.ts), for the import to write. */
  folds: ReviewRow[];
}

/** The roster as plain data (what the worker thread is given): the team's name and its members. */
export interface RosterSnapshot { team: string | null; members: RosterMember[] }

/** What an import writes, as the checks hand it over (verified, folded, rechecked). */
export interface ImportPlan {
  verified: Omit<Verified, 'fresh' | 'folds'>;
  /** The first record this import adds. */
  from: number;
  /** The review-queue rows (sessions) it writes. */
  sessions: number;
  /** The rows bundle-staging.ts writes (left on the worker thread that writes them). */
  rows: StagedRows;
  /** Exception sessions whose approval the lead's checks do not hold up (exception-recheck.ts), to flag when it is published. */
  unverified: UnverifiedException[];
}

/** Everything the import needs before it writes: the checks, the review-queue fold and the exception recheck. */
export function planImport(db: Db, roster: RosterSnapshot, text: string, progress?: (done: number, total: number) => void): ImportPlan {
  const { fresh, folds, ...verified } = verifyBundleText(db, roster, text, progress);
  const approvals = () => [
    ...(db.prepare("SELECT detail FROM imported_events WHERE engineer_key = ? AND kind = 'approval'").pluck().all(verified.engineerKey) as (string | null)[]),
    ...fresh.filter((r) => r.kind === 'approval').map((r) => r.detail),
  ];
  const unverified = recheckAttempts(fresh.filter((r) => r.kind === 'attempt'), approvals, { version: 1, team: roster.team ?? '', members: roster.members }, verified.member);
  return {
    verified, from: fresh[0]!.seq, sessions: folds.length, unverified, rows: { engineerKey: verified.engineerKey, fresh, folds },
  };
}

/** Parses and checks a bundle's text; `progress` is told the records checked, of the bundle's records. */
export function verifyBundleText(db: Db, roster: RosterSnapshot, text: string, progress?: (done: number, total: number) => void): Verified {
  const bundle = parseBundle(text);
  const verified = verifyBundle(db, roster, bundle, progress && ((done) => progress(done, bundle.records.length)));
  const carried = new Set(verified.recordings.map((r) => r.sha256));
  const folds = foldBundleSessions(db, verified.engineerKey, verified.member.email, verified.fresh, carried);
  return { ...verified, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), folds };
}



/** Every check, in the order that names the most telling problem first. Reads only. */
function verifyBundle(db: Db, roster: RosterSnapshot, bundle: Bundle, progress?: (done: number) => void): Omit<Verified, 'sha256' | 'folds'> {
  let key: Buffer;
  try {
    key = parsePublicKeyText(bundle.engineer.publicKey);
  } catch (error) {
    refuse('malformed', `the engineer's key is unreadable (${(error as Error).message}).`);
  }
  // Once a lead's sync pulls an engineer's records from the team store, that is where their log comes
  // from: the same records from a bundle too would be a second, differently kept copy of one chain.
  const live = db.prepare("SELECT origin FROM imported_logs WHERE lower(engineer) = lower(?) AND origin LIKE 'team-store/%'").pluck().get(bundle.engineer.email) as string | undefined;
  if (live) {
    refuse('live from the team store', `${bundle.engineer.name} <${bundle.engineer.email}>'s log comes to this data dir live from the team store (${live.slice('team-store/'.length)}): every record is pulled by "switchboard team sync", so no bundle is needed. Nothing was imported.`);
  }
  const member = roster.members.find((m) => m.fingerprint === fingerprint(key));
  if (!member) {
    const team = roster.team ?? '(no roster)';
    refuse('not in the roster', `${bundle.engineer.name} <${bundle.engineer.email}> (${fingerprint(key)}) is not in the roster of ${team}. A lead accepts bundles only from the roster's members: add them, sign the roster and import it again.`);
  }
  const verifier = ed25519NoteVerifier(noteKeyName(member.email), key);
  const checkpoint = signedCheckpoint(bundle.checkpoint, verifier, member, "the bundle's checkpoint");
  const origin = checkpoint.origin;
  const manifest = readManifest(bundle, verifier, member, checkpoint);

  const accepted = db.prepare('SELECT * FROM imported_logs WHERE engineer_key = ?').get(publicKeyText(key)) as AcceptedLog | undefined;
  const other = db.prepare('SELECT engineer FROM imported_logs WHERE origin = ? AND engineer_key <> ?').pluck().get(origin, publicKeyText(key)) as string | undefined;
  if (other) refuse('fork', `this log (${origin}) was already imported from ${other}; one log belongs to one engineer.`);
  if (accepted && accepted.origin !== origin) {
    refuse('fork', `this is a different log (${origin}) from the one accepted from ${member.name} (${accepted.origin}): a new data dir or a rewritten one, not a continuation.`);
  }
  const N = checkpoint.size;
  if (accepted && N <= accepted.size) {
    const signedNow = checkpointTime(openNote(bundle.checkpoint).text) ?? '';
    const signedThen = checkpointTime(openNote(accepted.checkpoint_note).text) ?? '';
    if (bundle.checkpoint === accepted.checkpoint_note || signedNow <= signedThen) {
      refuse('replayed old bundle', `its checkpoint (${N} records, signed ${signedNow}) is not newer than the one accepted from ${member.name} on ${accepted.accepted_at} (${accepted.size} records, signed ${signedThen}). It was already imported, or an older bundle was sent again.`);
    }
    refuse('truncated', `${member.name}'s log now ends at record ${N}, but the lead accepted ${accepted.size} records on ${accepted.accepted_at}: ${range(N + 1, accepted.size)} were deleted.`);
  }

  const start = bundle.start.seq;
  if (start !== manifest.from) refuse('malformed', `the bundle starts at record ${start} but its signed manifest says ${manifest.from}.`);
  if (accepted && start > accepted.size + 1) {
    refuse('gap', `${range(accepted.size + 1, start - 1)} ${start - 1 === accepted.size + 1 ? 'is' : 'are'} missing: the lead accepted ${member.name}'s log up to record ${accepted.size} and this bundle starts at record ${start}. Import the bundle in between first, or ask for one from the last accepted checkpoint.`);
  }
  const anchor = bundle.start.previousRecord?.hash ?? GENESIS_HASH;
  if ((start === 1) !== (bundle.start.previousRecord === null)) refuse('malformed', `a bundle starting at record ${start} must ${start === 1 ? 'not ' : ''}name the record before it.`);
  const chain = checkBundleChain(bundle.records, start, anchor, progress);
  if (chain) refuse(chain.problem, `${chain.message}.`);
  const last = bundle.records.at(-1)?.seq ?? start - 1;
  if (last < N) refuse('truncated', `the checkpoint covers ${N} records, but the bundle's records end at ${last}: ${range(last + 1, N)} ${N - last === 1 ? 'is' : 'are'} missing.`);
  if (last > N) refuse('inserted', `${range(N + 1, last)} ${last - N === 1 ? 'is' : 'are'} beyond the ${N} records the checkpoint signs.`);

  // Where this import takes over: the accepted head (its frontier, kept), or the bundle's own frontier.
  let base: number;
  let tree: CompactRange;
  if (accepted) {
    base = accepted.size;
    const head = db.prepare('SELECT hash FROM imported_events WHERE engineer_key = ? AND seq = ?').pluck().get(accepted.engineer_key, base) as string;
    const atBase = base === start - 1 ? anchor : bundle.records[base - start]!.hash;
    if (atBase !== head) {
      refuse('fork', `${member.name}'s history was rewritten after a bundle was accepted: record ${base + 1} does not follow record ${base} as the lead accepted it on ${accepted.accepted_at} (the bundle's record ${base} hashes to ${atBase.slice(0, 12)}…, the accepted one to ${head.slice(0, 12)}…).`);
    }
    tree = CompactRange.fromFrontier(base, (JSON.parse(accepted.frontier) as string[]).map((h) => Buffer.from(h, 'base64')));
  } else {
    base = start - 1;
    tree = frontierRange(base, bundle, anchor);
  }
  if (bundle.previous) checkPrevious(bundle, verifier, member, checkpoint, accepted);

  const fresh = bundle.records.filter((r) => r.seq > base);
  const claims = evidence(bundle, verifier, member, origin, base);
  const roots = new Map<number, Buffer>();
  for (const record of fresh) {
    tree.append(leafHash(Buffer.from(record.hash, 'hex')));
    if (claims.has(tree.size)) roots.set(tree.size, tree.root());
  }
  if (!tree.root().equals(checkpoint.rootHash)) {
    refuse('rewritten', `the records do not produce the Merkle root ${member.name} signed for ${N} records: they were changed after the checkpoint was signed${accepted ? '' : ', or the frontier of the records before them was'}.`);
  }
  for (const [size, claim] of [...claims].sort((a, b) => a[0] - b[0])) {
    if (size > N) refuse('truncated', `${member.name} signed a checkpoint of ${size} records on ${claim.signedAt}, but this bundle's log ends at record ${N}: ${range(N + 1, size)} were deleted.`);
    if (!roots.get(size)!.equals(claim.root)) {
      refuse('rewritten', `the first ${size} records no longer produce the root ${member.name} signed for them on ${claim.signedAt}: records up to ${size} were changed and the chain re-hashed to hide it.`);
    }
  }
  const { recordings, missing } = checkRecordings(bundle, manifest);
  return { member, engineerKey: publicKeyText(key), checkpoint, checkpointNote: bundle.checkpoint, accepted, fresh, frontier: tree.frontier(), recordings, missing };
}

function signedCheckpoint(note: string, verifier: NoteVerifier, member: RosterMember, what: string): Required<Checkpoint> {
  let parsed;
  try {
    parsed = parseCheckpoint(openNote(note).text);
  } catch (error) {
    refuse('malformed', `${what} cannot be read: ${(error as Error).message}`);
  }
  if (!verifiedBy(note, verifier)) {
    refuse('forged signature', `${what} does not carry a valid signature of ${member.name}'s key (${member.fingerprint}): it was forged or altered after signing.`);
  }
  return parsed;
}

function readManifest(bundle: Bundle, verifier: NoteVerifier, member: RosterMember, checkpoint: Required<Checkpoint>) {
  if (!verifiedBy(bundle.manifest, verifier)) {
    refuse('forged signature', `the bundle's manifest does not carry a valid signature of ${member.name}'s key (${member.fingerprint}): it was forged or altered after signing.`);
  }
  const manifest = parseManifest(openNote(bundle.manifest).text);
  if (manifest.origin !== checkpoint.origin || manifest.size !== checkpoint.size || manifest.rootHash !== checkpoint.rootHash.toString('base64')) {
    refuse('malformed', 'the signed manifest describes another checkpoint than the bundle carries.');
  }
  return manifest;
}

/** A first import: the bundle's frontier, with the record before the first proven to be its last leaf. */
function frontierRange(base: number, bundle: Bundle, anchor: string): CompactRange {
  let tree: CompactRange;
  try {
    tree = CompactRange.fromFrontier(base, bundle.start.frontier.map((h) => Buffer.from(h, 'base64')));
  } catch (error) {
    refuse('malformed', `the frontier of the records before record ${base + 1} is unusable: ${(error as Error).message}`);
  }
  if (base > 0) {
    const proof = bundle.start.previousRecord!.inclusionProof.map((h) => Buffer.from(h, 'base64'));
    if (!verifyInclusion(base - 1, base, leafHash(Buffer.from(anchor, 'hex')), proof, tree.root())) {
      refuse('rewritten', `record ${base}, which the first record links to, is not the last record of the frontier the bundle gives.`);
    }
  }
  return tree;
}

/** The previous (cosigned) checkpoint the bundle builds on: the engineer's, and proven extended by the new one. */
function checkPrevious(bundle: Bundle, verifier: NoteVerifier, member: RosterMember, checkpoint: Required<Checkpoint>, accepted: AcceptedLog | undefined): void {
  const previous = signedCheckpoint(bundle.previous!.checkpoint, verifier, member, 'the previous checkpoint the bundle builds on');
  if (previous.origin !== checkpoint.origin) refuse('fork', `the previous checkpoint is of another log (${previous.origin}).`);
  const proof = bundle.previous!.consistencyProof.map((h) => Buffer.from(h, 'base64'));
  if (!verifyConsistency(previous.size, checkpoint.size, previous.rootHash, checkpoint.rootHash, proof)) {
    refuse('fork', `the new checkpoint (${checkpoint.size} records) is not consistent with the checkpoint of ${previous.size} records it builds on: the history before record ${previous.size + 1} was rewritten.`);
  }
  if (accepted && previous.size === accepted.size && previous.rootHash.toString('base64') !== accepted.root_hash) {
    refuse('fork', `the bundle builds on a checkpoint of ${previous.size} records with another root than the one the lead accepted on ${accepted.accepted_at}: the history was rewritten.`);
  }
}

interface Claim { root: Buffer; signedAt: string }

/** The other checkpoints the engineer signed, from `base` on: each signed by them, each a size to hold the records to. */
function evidence(bundle: Bundle, verifier: NoteVerifier, member: RosterMember, origin: string, base: number): Map<number, Claim> {
  const claims = new Map<number, Claim>();
  for (const note of bundle.checkpoints) {
    const c = signedCheckpoint(note, verifier, member, 'a checkpoint the bundle carries');
    if (c.origin !== origin) refuse('malformed', `the bundle carries a checkpoint of another log (${c.origin}).`);
    if (c.size <= base) continue;
    const signedAt = checkpointTime(openNote(note).text) ?? '(no time)';
    const known = claims.get(c.size);
    if (known && !known.root.equals(c.rootHash)) refuse('fork', `${member.name} signed two different roots for ${c.size} records: the log was rewritten after one of them.`);
    claims.set(c.size, { root: c.rootHash, signedAt });
  }
  return claims;
}

/** Each recording the bundle carries matches the SHA-256 its session's record states and the signed manifest lists. */
function checkRecordings(bundle: Bundle, manifest: ReturnType<typeof parseManifest>): { recordings: Verified['recordings']; missing: number } {
  // Every record of the bundle is verified by now (the overlap with what was accepted too), so each names its recording.
  const named = new Map<string, { seq: number; sha256: string }>();
  for (const r of bundle.records) {
    const recording = recordedRecording(r.detail);
    if (recording) named.set(r.session_id, { seq: r.seq, sha256: recording.sha256 });
  }
  const listed = new Map(manifest.recordings.map((m) => [m.sessionId, m]));
  const out: Verified['recordings'] = [];
  const carried = new Set<string>();
  for (const entry of bundle.recordings) {
    const data = Buffer.from(entry.data, 'base64');
    const actual = createHash('sha256').update(data).digest('hex');
    const record = named.get(entry.sessionId);
    if (!record) refuse('swapped recording', `the bundle carries a recording for session ${entry.sessionId}, which no record in it names.`);
    if (actual !== record.sha256) {
      refuse('swapped recording', `the recording of session ${entry.sessionId} hashes to ${actual}, but record ${record.seq} states ${record.sha256}: the file was replaced or changed.`);
    }
    const signed = listed.get(entry.sessionId);
    if (!signed || signed.sha256 !== actual || signed.bytes !== data.length) {
      refuse('swapped recording', `the recording of session ${entry.sessionId} (${actual}) is not the one the signed manifest lists${signed ? ` (${signed.sha256})` : ''}.`);
    }
    carried.add(entry.sessionId);
    out.push({ sha256: actual, data });
  }
  const declaredMissing = new Set(manifest.missing.map((m) => m.sessionId));
  for (const [sessionId, record] of named) {
    if (carried.has(sessionId)) continue;
    if (!declaredMissing.has(sessionId)) refuse('missing recording', `record ${record.seq} names a recording of session ${sessionId} (${record.sha256}) that the bundle neither carries nor declares missing.`);
  }
  return { recordings: out, missing: named.size - carried.size };
}

function range(from: number, to: number): string {
  return from === to ? `record ${from}` : `records ${from}–${to}`;
}
