import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BundleImportView } from '../../../contract/accountability';
import { ApiError, type ErrorCode } from '../../../contract/errors';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files';
import { JobCancelled, type JobRun } from '../session-log/background-jobs';
import { runLogWorker } from '../session-log/log-worker';
import type { SessionLog } from '../session-log/session-log';
import { nowIso, type Db } from '../store/database';
import { cosign } from '../transparency/cosignature';
import type { UnverifiedException } from './exception-recheck';
import type { Identities } from './identity';
import { ReviewDecisions } from './review-decisions';
import { ReviewQueue } from './review-queue';
import { noteKeyName } from './people';
import type { TeamRoster } from './team-roster';
import { isVncRecording } from '../../../contract/vnc-recording-format';
import { discardImport, NO_TURNS, publishImport, removeLeftoverImports, stageImport, withCoreFirst, type StagedImport } from './bundle-staging';
import { planImport, type AcceptedLog, type ImportPlan, type RosterSnapshot } from './bundle-verify';

export type { BundleRefusal } from './bundle-verify';
export { foldSession } from './review-fold';

export interface BundleImportDeps { db: Db; log: SessionLog; identities: Identities; roster: TeamRoster }

export type BundleImported = BundleImportView;

/** Where the bundle's checks run: the log's worker bundle (null: on this thread, as tests from source do), and the job's progress and cancel. */
export interface BundleImportRun extends Partial<JobRun> { workerScript?: string | null }

/**
 * A lead's import of an engineer's bundle (docs/security.md, "What a lead checks"): every check runs
 * before anything is written. On the log's worker thread, so a big bundle does not hold up the core's
 * other requests: the checks, then the records and review-queue rows written in short turns that no
 * reader sees yet (bundle-staging.ts). Then one small transaction on the core's thread publishes them
 * together with the accepted head, the recordings, the lead's own 'bundle' record and the flags of
 * unverified exceptions — after making sure the lead's data the checks read has not changed — so a
 * refused, cancelled or failed bundle leaves nothing behind, and the core's own writes meanwhile land
 * between turns, never rolled back with the import. On acceptance the lead cosigns the engineer's
 * checkpoint (C2SP tlog-cosignature).
 */
export async function importBundle(deps: BundleImportDeps, text: string, now: Date = new Date(), run: BundleImportRun = {}): Promise<BundleImported> {
  const { db, identities, roster } = deps;
  const me = identities.require();
  const myRole = roster.member(me.fingerprint)?.role;
  if (myRole !== 'lead') {
    throw new ApiError('NOT_A_LEAD', `${me.name} <${me.email}> (${me.fingerprint}) is ${myRole ? 'an engineer' : 'not a member'} in this data dir's roster${roster.current() ? ` of ${roster.current()!.roster.team}` : ' (none imported)'}; only a lead imports and witnesses bundles.`);
  }
  // One import at a time per data dir in this process (the window's job and the CLI's call alike).
  if (importing.has(db.name)) throw new ApiError('CONFLICT', 'Another bundle is being imported into this data dir; wait for it to finish and import this one after.');
  importing.add(db.name);
  const written: string[] = [];
  let staged: StagedImport | undefined;
  let stagingId: number | undefined;
  try {
    removeLeftoverImports(db);
    const snapshot: RosterSnapshot = { team: roster.current()?.roster.team ?? null, members: roster.current()?.roster.members ?? [] };
    const pem = await identities.privateKeyPem(me);
    const lockWanted = new SharedArrayBuffer(4);
    const checked = await withCoreFirst(db, lockWanted, () => checkAndStage(db, snapshot, text, run, lockWanted, (id) => { stagingId = id; }));
    ({ staged } = checked);
    const { plan } = checked;
    const { verified } = plan;
    // The last moment to stop: the transaction below runs to its end in one go, so a cancel never splits it.
    if (run.signal?.aborted) throw new JobCancelled(CANCELLED);
    const stored = storeRecordings(db, verified.recordings, written);
    const publishing = staged;
    return db.transaction((): BundleImported => {
      unchangedSinceVerified(db, roster, verified);
      if (!publishImport(db, publishing)) throw new ApiError('CONFLICT', 'The bundle\'s records were removed while they were being written (taken for what a crashed import left). Nothing was imported; import the bundle again.');
      const cosignedNote = cosign(verified.checkpointNote, noteKeyName(me.email), pem, now);
      storeHead(db, verified, plan.from, cosignedNote, stored);
      const { member, checkpoint, sha256 } = verified;
      const { from, sessions } = plan;
      deps.log.append({
        sessionId: `bundle-${member.fingerprint.slice(7, 19)}-${checkpoint.size}`, kind: 'bundle', engineer: me.email,
        summary: `Accepted and cosigned ${member.name}'s bundle: records ${from}–${checkpoint.size}, ${sessions} session${sessions === 1 ? '' : 's'}, ${verified.recordings.length} recording${verified.recordings.length === 1 ? '' : 's'}`,
        detail: {
          engineer: { name: member.name, email: member.email, fingerprint: member.fingerprint }, origin: checkpoint.origin,
          from, to: checkpoint.size, rootHash: checkpoint.rootHash.toString('base64'), sha256, sessions, recordings: verified.recordings.length,
        },
      });
      flagUnverifiedExceptions(deps, verified, plan.unverified);
      return {
        engineer: { name: member.name, email: member.email, fingerprint: member.fingerprint }, from, to: checkpoint.size, sessions,
        recordings: verified.recordings.length, missingRecordings: verified.missing, firstImport: !verified.accepted, cosignedNote,
        unverifiedExceptions: plan.unverified,
      };
    }).immediate();
  } catch (error) {
    // Rows written but not published: a stopped worker's (it removes its own when it fails), or a refused publish's.
    if (stagingId !== undefined) await discardImport(db, stagingId);
    for (const file of written) fs.rmSync(file, { force: true });
    throw error;
  } finally {
    importing.delete(db.name);
  }
}

const importing = new Set<string>();

const CANCELLED = 'The bundle import was cancelled; nothing was imported.';

type WorkerVerdict = { plan: Omit<ImportPlan, 'rows'>; staged: StagedImport } | { refused: { code: ErrorCode; message: string } };

/**
 * The checks and the pending rows, on the log's worker thread (its own connection), or on this thread
 * without a worker bundle (tests from source). `staging` hears the pending import's id as soon as it has one.
 */
async function checkAndStage(db: Db, roster: RosterSnapshot, text: string, run: BundleImportRun, lockWanted: SharedArrayBuffer, staging: (id: number) => void): Promise<{ plan: Omit<ImportPlan, 'rows'>; staged: StagedImport }> {
  const progress = (done: number, total?: number) => run.progress?.(done, total ?? 0);
  if (!run.workerScript) {
    if (run.signal?.aborted) throw new JobCancelled(CANCELLED);
    const { rows, ...plan } = planImport(db, roster, text, progress);
    return { plan, staged: stageImport(db, rows, staging, NO_TURNS) };
  }
  const note = (value: unknown) => { const id = (value as { staging?: unknown }).staging; if (typeof id === 'number') staging(id); };
  const verdict = await runLogWorker<WorkerVerdict>(run.workerScript, db.name, { kind: 'bundle', text, roster, lockWanted }, progress, run.signal, () => new JobCancelled(CANCELLED), note);
  if (!verdict) throw new ApiError('INTERNAL', 'The bundle could not be checked: the worker thread that reads it stopped (out of memory on a very large bundle?). Nothing was imported; try again, or ask for a bundle of fewer records ("switchboard log bundle --since DATE").');
  if ('refused' in verdict) throw new ApiError(verdict.refused.code, verdict.refused.message);
  return { plan: { ...verdict.plan, verified: revive(verdict.plan.verified) }, staged: verdict.staged };
}

/** A worker's answer crosses as a structured clone: its Buffers arrive as plain Uint8Arrays. */
function revive(v: ImportPlan['verified']): ImportPlan['verified'] {
  const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    ...v, checkpoint: { ...v.checkpoint, rootHash: buffer(v.checkpoint.rootHash) }, frontier: v.frontier.map(buffer),
    recordings: v.recordings.map((r) => ({ sha256: r.sha256, data: buffer(r.data) })),
  };
}

/**
 * The checks ran on a snapshot; this, inside the write transaction, makes sure the lead's data they were
 * run against is still the same (no other import of this log, no team-store link, the engineer still in
 * the roster) — otherwise the import stops with nothing written and can simply be run again.
 */
function unchangedSinceVerified(db: Db, roster: TeamRoster, v: ImportPlan['verified']): void {
  const accepted = db.prepare('SELECT * FROM imported_logs WHERE engineer_key = ?').get(v.engineerKey) as AcceptedLog | undefined;
  const others = db.prepare("SELECT count(*) FROM imported_logs WHERE (origin = ? AND engineer_key <> ?) OR (lower(engineer) = lower(?) AND origin LIKE 'team-store/%')")
    .pluck().get(v.checkpoint.origin, v.engineerKey, v.member.email) as number;
  const same = JSON.stringify(accepted ?? null) === JSON.stringify(v.accepted ?? null);
  if (!same || others > 0 || roster.member(v.member.fingerprint)?.publicKey !== v.member.publicKey) {
    throw new ApiError('CONFLICT', `${v.member.name}'s log in this data dir changed while the bundle was being checked (another import or a team-store sync of it, or a new roster). Nothing was imported; import the bundle again.`);
  }
}

/**
 * Sessions of this bundle that ran under an exception the lead's own checks do not hold up
 * (exception-recheck.ts, run on the worker) are flagged at once, each a signed review decision in the
 * lead's chain, so the lead sees them first; the bundle itself is accepted — it is evidence, and refusing
 * it would hide it.
 */
function flagUnverifiedExceptions(deps: BundleImportDeps, verified: ImportPlan['verified'], unverified: readonly UnverifiedException[]): void {
  if (unverified.length === 0) return;
  const queue = new ReviewQueue(deps.db);
  const decisions = new ReviewDecisions({ db: deps.db, log: deps.log, identities: deps.identities, roster: deps.roster, queue });
  const rowId = deps.db.prepare('SELECT id FROM review_sessions WHERE engineer_key = ? AND session_id = ?').pluck();
  for (const { sessionId, reason } of unverified) {
    const id = rowId.get(verified.engineerKey, sessionId) as number | undefined;
    if (id !== undefined) decisions.mark(id, 'flagged', `Flagged at import: the exception this session ran under does not check out — ${reason}`);
  }
}

/** Writes each recording as <sha256>.cast or .vncrec (owner-only) unless already there; returns the files by hash. */
function storeRecordings(db: Db, recordings: ImportPlan['verified']['recordings'], written: string[]): Map<string, string> {
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

/** The recordings' rows and the accepted head (the records and review rows are written by bundle-staging.ts). */
function storeHead(db: Db, v: ImportPlan['verified'], first: number, cosignedNote: string, files: Map<string, string>): void {
  const key = v.engineerKey;
  const now = nowIso();
  const insertRecording = db.prepare('INSERT OR IGNORE INTO imported_recordings (sha256, bytes, file, imported_at) VALUES (?, ?, ?, ?)');
  for (const { sha256, data } of v.recordings) insertRecording.run(sha256, data.length, files.get(sha256)!, now);

  const frontier = JSON.stringify(v.frontier.map((h) => h.toString('base64')));
  const { origin, size, rootHash } = v.checkpoint;
  db.prepare(`
    INSERT INTO imported_logs (engineer_key, engineer, engineer_name, origin, first_seq, size, root_hash, frontier, checkpoint_note, cosigned_note, accepted_at, bundles)
    VALUES (@key, @email, @name, @origin, @first, @size, @root, @frontier, @checkpoint, @cosigned, @now, 1)
    ON CONFLICT (engineer_key) DO UPDATE SET engineer = excluded.engineer, engineer_name = excluded.engineer_name, size = excluded.size,
      root_hash = excluded.root_hash, frontier = excluded.frontier, checkpoint_note = excluded.checkpoint_note,
      cosigned_note = excluded.cosigned_note, accepted_at = excluded.accepted_at, bundles = bundles + 1
  `).run({
    key, email: v.member.email, name: v.member.name, origin, first, size, root: rootHash.toString('base64'), frontier,
    checkpoint: v.checkpointNote, cosigned: cosignedNote, now,
  });
}
