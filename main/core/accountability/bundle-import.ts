import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BundleImportView } from '../../../contract/accountability';
import { ApiError, type ErrorCode } from '../../../contract/errors';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files';
import { GENESIS_HASH } from '../session-log/hash-chain';
import { toEvent, toRecord } from '../session-log/records';
import type { SessionLog } from '../session-log/session-log';
import { EVENT_COLUMNS, type SessionEventRow } from '../session-log/types';
import { nowIso, type Db } from '../store/database';
import { parseCheckpoint, type Checkpoint } from '../transparency/checkpoint';
import { cosign } from '../transparency/cosignature';
import { fingerprint, parsePublicKeyText, publicKeyText } from '../transparency/ed25519';
import { CompactRange, leafHash, verifyConsistency, verifyInclusion } from '../transparency/merkle';
import { ed25519NoteVerifier, openNote, verifiedBy, type NoteVerifier } from '../transparency/signed-note';
import { checkBundleChain } from './bundle-chain';
import { parseBundle, parseManifest, recordedRecording, type Bundle, type BundleRecord } from './bundle-format';
import { checkpointTime } from './checkpoints';
import { recheckExceptions } from './exception-recheck';
import type { Identities } from './identity';
import { ReviewDecisions } from './review-decisions';
import { ReviewQueue } from './review-queue';
import { noteKeyName } from './people';
import type { RosterMember } from './roster';
import type { TeamRoster } from './team-roster';
import { isVncRecording } from '../../../contract/vnc-recording-format';

/** Every reason a bundle is refused; each message starts "Bundle refused (<reason>)". */
export type BundleRefusal =
  | 'not in the roster' | 'forged signature' | 'replayed old bundle' | 'truncated' | 'fork' | 'gap' | 'rewritten'
  | 'edited' | 'deleted' | 'inserted' | 'reordered' | 'swapped recording' | 'missing recording' | 'malformed'
  | 'live from the team store';

const CODES: Partial<Record<BundleRefusal, ErrorCode>> = { 'not in the roster': 'UNTRUSTED_SIGNER', 'forged signature': 'SIGNATURE_INVALID' };

function refuse(reason: BundleRefusal, message: string): never {
  throw new ApiError(CODES[reason] ?? 'BUNDLE_REFUSED', `Bundle refused (${reason}): ${message}`);
}

export interface BundleImportDeps { db: Db; log: SessionLog; identities: Identities; roster: TeamRoster }

export type BundleImported = BundleImportView;

interface AcceptedLog {
  engineer_key: string; origin: string; first_seq: number; size: number; root_hash: string; frontier: string;
  checkpoint_note: string; accepted_at: string;
}

interface Verified {
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
}

/**
 * A lead's import of an engineer's bundle (docs/security.md, "What a lead checks"): every check runs
 * before anything is written, and the writes — the records, the recordings, the review queue, the
 * accepted head, the lead's own 'bundle' record — happen in one transaction, so a refused bundle leaves
 * nothing behind. On acceptance the lead cosigns the engineer's checkpoint (C2SP tlog-cosignature).
 */
export async function importBundle(deps: BundleImportDeps, text: string, now: Date = new Date()): Promise<BundleImported> {
  const { db, identities, roster } = deps;
  const me = identities.require();
  const myRole = roster.member(me.fingerprint)?.role;
  if (myRole !== 'lead') {
    throw new ApiError('NOT_A_LEAD', `${me.name} <${me.email}> (${me.fingerprint}) is ${myRole ? 'an engineer' : 'not a member'} in this data dir's roster${roster.current() ? ` of ${roster.current()!.roster.team}` : ' (none imported)'}; only a lead imports and witnesses bundles.`);
  }
  const bundle = parseBundle(text);
  const pem = await identities.privateKeyPem(me);
  const written: string[] = [];
  try {
    return db.transaction((): BundleImported => {
      const verified = verifyBundle(db, roster, bundle);
      const cosignedNote = cosign(bundle.checkpoint, noteKeyName(me.email), pem, now);
      const stored = storeRecordings(db, verified.recordings, written);
      const sessions = store(db, verified, cosignedNote, stored);
      const { member, checkpoint, fresh } = verified;
      const from = fresh[0]!.seq;
      const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
      deps.log.append({
        sessionId: `bundle-${member.fingerprint.slice(7, 19)}-${checkpoint.size}`, kind: 'bundle', engineer: me.email,
        summary: `Accepted and cosigned ${member.name}'s bundle: records ${from}–${checkpoint.size}, ${sessions} session${sessions === 1 ? '' : 's'}, ${verified.recordings.length} recording${verified.recordings.length === 1 ? '' : 's'}`,
        detail: {
          engineer: { name: member.name, email: member.email, fingerprint: member.fingerprint }, origin: checkpoint.origin,
          from, to: checkpoint.size, rootHash: checkpoint.rootHash.toString('base64'), sha256, sessions, recordings: verified.recordings.length,
        },
      });
      const unverified = flagUnverifiedExceptions(deps, verified);
      return {
        engineer: { name: member.name, email: member.email, fingerprint: member.fingerprint }, from, to: checkpoint.size, sessions,
        recordings: verified.recordings.length, missingRecordings: verified.missing, firstImport: !verified.accepted, cosignedNote,
        unverifiedExceptions: unverified,
      };
    }).immediate();
  } catch (error) {
    for (const file of written) fs.rmSync(file, { force: true });
    throw error;
  }
}

/**
 * Sessions of this bundle that ran under an exception the lead's own checks do not hold up
 * (exception-recheck.ts) are flagged at once, each a signed review decision in the lead's chain, so the
 * lead sees them first; the bundle itself is accepted — it is evidence, and refusing it would hide it.
 */
function flagUnverifiedExceptions(deps: BundleImportDeps, verified: Verified): { sessionId: string; reason: string }[] {
  const sessionIds = [...new Set(verified.fresh.filter((r) => r.kind === 'attempt').map((r) => r.session_id))];
  const unverified = recheckExceptions(deps.db, deps.roster.current()!.roster, verified.member, verified.engineerKey, sessionIds);
  if (unverified.length === 0) return [];
  const queue = new ReviewQueue(deps.db);
  const decisions = new ReviewDecisions({ db: deps.db, log: deps.log, identities: deps.identities, roster: deps.roster, queue });
  const rowId = deps.db.prepare('SELECT id FROM review_sessions WHERE engineer_key = ? AND session_id = ?').pluck();
  for (const { sessionId, reason } of unverified) {
    const id = rowId.get(verified.engineerKey, sessionId) as number | undefined;
    if (id !== undefined) decisions.mark(id, 'flagged', `Flagged at import: the exception this session ran under does not check out — ${reason}`);
  }
  return unverified;
}

/** Every check, in the order that names the most telling problem first. Reads only. */
function verifyBundle(db: Db, roster: TeamRoster, bundle: Bundle): Verified {
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
  const member = roster.member(fingerprint(key));
  if (!member) {
    const team = roster.current()?.roster.team ?? '(no roster)';
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
  const chain = checkBundleChain(bundle.records, start, anchor);
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

/** Writes each recording as <sha256>.cast or .vncrec (owner-only) unless already there; returns the files by hash. */
function storeRecordings(db: Db, recordings: Verified['recordings'], written: string[]): Map<string, string> {
  // The data dir is the database's folder (store/database.ts openDatabase).
  const folder = path.join(path.dirname(db.name), 'imported-recordings');
  const files = new Map<string, string>();
  if (recordings.length === 0) return files;
  ensurePrivateDir(folder);
  for (const { sha256, data } of recordings) {
    const file = path.join(folder, `${sha256}${isVncRecording(data) ? '.vncrec' : '.cast'}`);
    files.set(sha256, file);
    if (fs.existsSync(file) && createHash('sha256').update(fs.readFileSync(file)).digest('hex') === sha256) continue;
    fs.writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
    fs.chmodSync(file, PRIVATE_FILE_MODE);
    written.push(file);
  }
  return files;
}

const IMPORTED_COLUMNS = [...EVENT_COLUMNS.filter((c) => c !== 'seq'), 'hash'] as const;

/** The records, recordings, review queue rows and accepted head; returns how many sessions it touched. */
function store(db: Db, v: Verified, cosignedNote: string, files: Map<string, string>): number {
  const key = v.engineerKey;
  const now = nowIso();
  const insertEvent = db.prepare(`INSERT INTO imported_events (engineer_key, seq, ${IMPORTED_COLUMNS.join(', ')}) VALUES (?, ?, ${IMPORTED_COLUMNS.map(() => '?').join(', ')})`);
  for (const r of v.fresh) insertEvent.run(key, r.seq, ...IMPORTED_COLUMNS.map((c) => r[c]));
  const insertRecording = db.prepare('INSERT OR IGNORE INTO imported_recordings (sha256, bytes, file, imported_at) VALUES (?, ?, ?, ?)');
  for (const { sha256, data } of v.recordings) insertRecording.run(sha256, data.length, files.get(sha256)!, now);

  const touched = [...new Set(v.fresh.map((r) => r.session_id))];
  let sessions = 0;
  for (const sessionId of touched) if (foldSession(db, key, v.member.email, sessionId)) sessions += 1;

  const frontier = JSON.stringify(v.frontier.map((h) => h.toString('base64')));
  const { origin, size, rootHash } = v.checkpoint;
  db.prepare(`
    INSERT INTO imported_logs (engineer_key, engineer, engineer_name, origin, first_seq, size, root_hash, frontier, checkpoint_note, cosigned_note, accepted_at, bundles)
    VALUES (@key, @email, @name, @origin, @first, @size, @root, @frontier, @checkpoint, @cosigned, @now, 1)
    ON CONFLICT (engineer_key) DO UPDATE SET engineer = excluded.engineer, engineer_name = excluded.engineer_name, size = excluded.size,
      root_hash = excluded.root_hash, frontier = excluded.frontier, checkpoint_note = excluded.checkpoint_note,
      cosigned_note = excluded.cosigned_note, accepted_at = excluded.accepted_at, bundles = bundles + 1
  `).run({
    key, email: v.member.email, name: v.member.name, origin, first: v.fresh[0]!.seq, size, root: rootHash.toString('base64'), frontier,
    checkpoint: v.checkpointNote, cosigned: cosignedNote, now,
  });
  return sessions;
}

/**
 * One review-queue row per session, folded from all its imported records the way the log view folds
 * them (records.ts toRecord), so a session whose end came in a later bundle is completed then; the
 * review state is left as the lead set it.
 */
export function foldSession(db: Db, key: string, engineer: string, sessionId: string): boolean {
  const rows = db.prepare(`SELECT seq, ${IMPORTED_COLUMNS.join(', ')} FROM imported_events WHERE engineer_key = ? AND session_id = ? ORDER BY seq`)
    .all(key, sessionId) as SessionEventRow[];
  if (!rows.some((r) => r.kind === 'attempt')) return false;
  const record = toRecord(rows.map(toEvent));
  if (!record) return false;
  const [customer, ...site] = (record.site ?? '').split('/');
  const attempt = rows.find((r) => r.kind === 'attempt')!;
  const approval = attempt.detail ? (JSON.parse(attempt.detail) as Record<string, unknown>).approval : undefined;
  const sha = typeof record.detail.recordingSha256 === 'string' ? record.detail.recordingSha256 : null;
  const haveRecording = sha !== null && db.prepare('SELECT 1 FROM imported_recordings WHERE sha256 = ?').get(sha) !== undefined;
  db.prepare(`
    INSERT INTO review_sessions (engineer_key, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision, outcome, exception, recording_sha256)
    VALUES (@key, @engineer, @sessionId, @startedAt, @endedAt, @ticket, @customer, @site, @host, @method, @decision, @outcome, @exception, @recording)
    ON CONFLICT (engineer_key, session_id) DO UPDATE SET ended_at = excluded.ended_at, outcome = excluded.outcome, recording_sha256 = excluded.recording_sha256
  `).run({
    key, engineer, sessionId, startedAt: record.startedAt, endedAt: record.endedAt, ticket: record.ticket,
    customer: record.site ? customer! : null, site: site.length ? site.join('/') : null, host: record.host, method: record.method,
    decision: record.decision, outcome: record.outcome, exception: approval ? 1 : 0, recording: haveRecording ? sha : null,
  });
  return true;
}

function range(from: number, to: number): string {
  return from === to ? `record ${from}` : `records ${from}–${to}`;
}
