import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ClientBase } from 'pg';
import { isVncRecording } from '../../../contract/vnc-recording-format';
import { recordedRecording } from '../accountability/bundle-format';
import { foldSession } from '../accountability/bundle-import';
import { recordingsDir } from '../paths';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files';
import { nowIso, type Db } from '../store/database';
import { TeamStoreUnreachable } from './connection';

/** Bytes per row of switchboard.recording_chunks: big enough for few round trips, small enough to stream. */
export const RECORDING_CHUNK_BYTES = 1024 * 1024;
/** Hashes asked about per "which of these does the store have" query. */
const LOOKUP_BATCH = 500;

export interface RecordingsPushed { pushed: number; bytes: number; warnings: string[] }
export interface RecordingsPulled { pulled: number; warnings: string[] }

interface Named { seq: number; sessionId: string; file: string; sha256: string }

/** What the store has of these hashes (a recordings row means complete: see pushOne). */
async function inStore(client: ClientBase, hashes: readonly string[]): Promise<Set<string>> {
  const have = new Set<string>();
  for (let i = 0; i < hashes.length; i += LOOKUP_BATCH) {
    const { rows } = await client.query<{ sha256: string }>('SELECT sha256 FROM switchboard.recordings WHERE sha256 = ANY($1)', [hashes.slice(i, i + LOOKUP_BATCH)]);
    for (const row of rows) have.add(row.sha256);
  }
  return have;
}

/**
 * Pushes every recording named by this data dir's 'ended' records up to `head` (what the store has of
 * the chain) that the store lacks. Each recording goes in ONE transaction: its recordings row first (the
 * chunks' foreign key needs it), then its chunks read from the file a chunk at a time and hashed as they
 * go; COMMIT only if the file still hashes to what its record states. So a recordings row that anyone can
 * see always has all its chunks, a cut connection leaves nothing behind (the next sync starts that
 * recording again), and a file changed since its session ended is never pushed (a warning says which).
 */
export async function pushRecordings(client: ClientBase, db: Db, head: number): Promise<RecordingsPushed> {
  const folder = recordingsDir(path.dirname(db.name)) + path.sep;
  const named = new Map<string, Named>();
  const rows = db.prepare("SELECT seq, session_id, detail FROM session_events WHERE kind = 'ended' AND seq <= ? ORDER BY seq").all(head) as { seq: number; session_id: string; detail: string | null }[];
  for (const row of rows) {
    const recording = recordedRecording(row.detail);
    if (recording && /^[0-9a-f]{64}$/.test(recording.sha256) && !named.has(recording.sha256)) {
      named.set(recording.sha256, { seq: row.seq, sessionId: row.session_id, file: recording.file, sha256: recording.sha256 });
    }
  }
  const have = await inStore(client, [...named.keys()]);
  const result: RecordingsPushed = { pushed: 0, bytes: 0, warnings: [] };
  for (const recording of named.values()) {
    if (have.has(recording.sha256)) continue;
    const file = path.resolve(recording.file);
    if (!file.startsWith(folder)) {
      result.warnings.push(`The recording of session ${recording.sessionId} (${recording.file}) is outside this data dir's recordings folder; it was not pushed.`);
      continue;
    }
    const outcome = await pushOne(client, file, recording);
    if (typeof outcome === 'string') {
      result.warnings.push(outcome);
    } else {
      result.pushed += 1;
      result.bytes += outcome;
    }
  }
  return result;
}

/** Pushes one recording; its size when pushed (or already there), or a warning why not. */
async function pushOne(client: ClientBase, file: string, recording: Named): Promise<number | string> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    return `The recording of session ${recording.sessionId} (${file}) could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it was not pushed.`;
  }
  try {
    const { size } = await handle.stat();
    const chunks = Math.ceil(size / RECORDING_CHUNK_BYTES);
    const hash = createHash('sha256');
    await client.query('BEGIN');
    let done = false;
    try {
      const claimed = await client.query('INSERT INTO switchboard.recordings (sha256, bytes, chunks) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [recording.sha256, size, chunks]);
      if (claimed.rowCount === 0) {
        // Another sync (this person's, or anyone's with the same bytes) committed it meanwhile.
        await client.query('ROLLBACK');
        done = true;
        return size;
      }
      const buffer = Buffer.alloc(RECORDING_CHUNK_BYTES);
      for (let chunk = 0; chunk < chunks; chunk++) {
        const length = Math.min(RECORDING_CHUNK_BYTES, size - chunk * RECORDING_CHUNK_BYTES);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await handle.read(buffer, filled, length - filled, chunk * RECORDING_CHUNK_BYTES + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        if (filled < length) {
          await client.query('ROLLBACK');
          done = true;
          return `The recording of session ${recording.sessionId} (${file}) shrank while it was being pushed; it was not pushed.`;
        }
        const data = buffer.subarray(0, length);
        hash.update(data);
        await client.query('INSERT INTO switchboard.recording_chunks (sha256, chunk, data) VALUES ($1, $2, $3)', [recording.sha256, chunk, data]);
      }
      const actual = hash.digest('hex');
      if (actual !== recording.sha256) {
        await client.query('ROLLBACK');
        done = true;
        return `The recording of session ${recording.sessionId} (${file}) no longer matches the SHA-256 its record ${recording.seq} states (it hashes to ${actual}, the record says ${recording.sha256}); it was not pushed.`;
      }
      await client.query('COMMIT');
      done = true;
      return size;
    } finally {
      if (!done) await client.query('ROLLBACK').catch(() => {});
    }
  } catch (error) {
    throw asSyncError(error, `push the recording of session ${recording.sessionId}`);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** The server went away (killed, restarted, the network cut) rather than refused something. */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof TeamStoreUnreachable) return false;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  if (typeof syscall === 'string') return typeof code === 'string' && NETWORK_ERRNOS.has(code);
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('57P');
  return /connection terminated|connection error|not queryable|Connection ended/i.test((error as Error).message ?? '');
}

const NETWORK_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

export function asSyncError(error: unknown, doing: string): Error {
  if (error instanceof TeamStoreUnreachable) return error;
  if (isConnectionLoss(error)) return new TeamStoreUnreachable(`The team store went away while trying to ${doing} (${(error as Error).message}); nothing half-done was kept, the next sync does it again.`);
  return error as Error;
}

interface Wanted { sha256: string; sessions: { key: string; engineer: string; sessionId: string }[] }

/**
 * A lead's pull of the recordings of the team's sessions pulled from the store (imported_logs from
 * `team-store/…`) that this data dir does not have yet: written chunk by chunk to a temp file in
 * imported-recordings/, hashed as they are written, and kept (as <sha256>.cast or .vncrec, with its
 * imported_recordings row, and the sessions refolded so the review queue names it) only if the bytes hash
 * to what the engineer's record states and match the store's size and chunk count. Anything else is
 * refused with a warning, and tried again at the next sync.
 */
export async function pullRecordings(client: ClientBase, db: Db): Promise<RecordingsPulled> {
  const rows = db.prepare(`
    SELECT e.engineer_key AS key, e.engineer, e.session_id AS sessionId, e.detail FROM imported_events e
    JOIN imported_logs l ON l.engineer_key = e.engineer_key
    WHERE l.origin LIKE 'team-store/%' AND e.kind = 'ended' AND e.detail LIKE '%recordingSha256%'`).all() as { key: string; engineer: string; sessionId: string; detail: string }[];
  const known = db.prepare('SELECT 1 FROM imported_recordings WHERE sha256 = ?').pluck();
  const wanted = new Map<string, Wanted>();
  for (const row of rows) {
    const sha256 = recordedRecording(row.detail)?.sha256;
    if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256) || known.get(sha256) !== undefined) continue;
    const entry = wanted.get(sha256) ?? { sha256, sessions: [] };
    entry.sessions.push({ key: row.key, engineer: row.engineer, sessionId: row.sessionId });
    wanted.set(sha256, entry);
  }
  const result: RecordingsPulled = { pulled: 0, warnings: [] };
  if (wanted.size === 0) return result;
  const have = await inStore(client, [...wanted.keys()]);
  const folder = path.join(path.dirname(db.name), 'imported-recordings');
  ensurePrivateDir(folder);
  for (const entry of wanted.values()) {
    if (!have.has(entry.sha256)) continue; // not pushed yet; the next sync looks again
    let kept: { file: string; bytes: number } | string;
    try {
      kept = await fetchOne(client, folder, entry.sha256);
    } catch (error) {
      throw asSyncError(error, `pull the recording ${entry.sha256}`);
    }
    const whose = entry.sessions.map((s) => `${s.engineer}'s session ${s.sessionId}`).join(', ');
    if (typeof kept === 'string') {
      result.warnings.push(`Refused the recording of ${whose} from the team store: ${kept} It was not kept; the review player will not show it.`);
      continue;
    }
    const file = kept.file;
    db.transaction(() => {
      db.prepare('INSERT OR IGNORE INTO imported_recordings (sha256, bytes, file, imported_at) VALUES (?, ?, ?, ?)').run(entry.sha256, kept.bytes, file, nowIso());
      for (const s of entry.sessions) foldSession(db, s.key, s.engineer, s.sessionId);
    }).immediate();
    result.pulled += 1;
  }
  return result;
}

/** Streams one recording out of the store into `folder`; the kept file, or why it was refused. */
async function fetchOne(client: ClientBase, folder: string, sha256: string): Promise<{ file: string; bytes: number } | string> {
  const row = (await client.query<{ bytes: string; chunks: number }>('SELECT bytes, chunks FROM switchboard.recordings WHERE sha256 = $1', [sha256])).rows[0];
  if (!row) return 'it is not in the store.';
  const temp = path.join(folder, `.${sha256}.${process.pid}.part`);
  const out = await fs.promises.open(temp, 'w', PRIVATE_FILE_MODE);
  const hash = createHash('sha256');
  let bytes = 0;
  let vnc = false;
  let problem: string | null = null;
  try {
    for (let chunk = 0; chunk < row.chunks; chunk++) {
      const data = (await client.query<{ data: Buffer }>('SELECT data FROM switchboard.recording_chunks WHERE sha256 = $1 AND chunk = $2', [sha256, chunk])).rows[0]?.data;
      if (!data) {
        problem = `chunk ${chunk} of ${row.chunks} is missing.`;
        break;
      }
      if (chunk === 0) vnc = isVncRecording(data);
      hash.update(data);
      bytes += data.length;
      await out.write(data);
    }
  } finally {
    await out.close();
  }
  const actual = hash.digest('hex');
  if (!problem && bytes !== Number(row.bytes)) problem = `its chunks hold ${bytes} bytes, the store says ${row.bytes}.`;
  if (!problem && actual !== sha256) problem = `its bytes hash to ${actual}, but the engineer's signed record states ${sha256} (the store's copy was altered).`;
  if (problem) {
    fs.rmSync(temp, { force: true });
    return problem;
  }
  const file = path.join(folder, `${sha256}${vnc ? '.vncrec' : '.cast'}`);
  fs.renameSync(temp, file);
  return { file, bytes };
}
