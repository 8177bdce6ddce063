import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BundleView } from '../../../contract/accountability';
import { ApiError } from '../../../contract/errors';
import { recordingsDir } from '../paths';
import type { SessionLog } from '../session-log/session-log';
import type { SessionEventRow } from '../session-log/types';
import { ROW_COLUMNS } from '../session-log/verify';
import { nowIso, type Db } from '../store/database';
import { parseCheckpoint } from '../transparency/checkpoint';
import { consistencyProof, frontierHashes, inclusionProof } from '../transparency/merkle';
import { openNote, signNote } from '../transparency/signed-note';
import { BUNDLE_FORMAT, bundleRecord, formatManifest, recordedRecording, type Bundle } from './bundle-format';
import type { Checkpoints } from './checkpoints';
import type { Identities } from './identity';
import { LogTree } from './log-tree';
import type { TeamRoster } from './team-roster';
import { latestWitnessed } from './witness';

export interface BundleExportDeps { db: Db; log: SessionLog; identities: Identities; roster: TeamRoster; checkpoints: Checkpoints }

export interface BundleExportOptions {
  /** Start at the first record at or after this time (ISO, or a date: its start in UTC) instead of after the last accepted bundle. */
  since?: string;
}

export type BundleExported = BundleView;

/**
 * Makes a bundle of the log since the last one a lead accepted (the largest checkpoint a lead of the
 * roster cosigned), or since `since`: the records, their recordings, a checkpoint signed now, the
 * accepted checkpoint and an RFC 6962 consistency proof from it, the Merkle frontier of the records
 * before the first one, every checkpoint signed meanwhile, and a signed manifest. The export is
 * itself a 'bundle' record in the chain (so it travels in the next bundle).
 */
export async function exportBundle(deps: BundleExportDeps, options: BundleExportOptions = {}): Promise<BundleExported> {
  const { db, identities, checkpoints } = deps;
  const me = identities.require();
  const signer = await identities.signer();
  const witnessed = latestWitnessed(db, deps.roster.leads());
  const checkpoint = await checkpoints.sign('bundle');
  const size = checkpoint.size;
  if (witnessed && witnessed.size > size) {
    throw new ApiError('CONFLICT', `The log ends at record ${size}, but a lead witnessed ${witnessed.size} records; it was cut. Run "switchboard log verify".`);
  }
  const from = firstRecord(db, size, witnessed?.size ?? 0, options.since);
  if (from > size) {
    throw new ApiError('NOT_FOUND', options.since
      ? `No records at or after ${options.since} (the log has ${size}).`
      : `Nothing new to bundle: the lead already accepted all ${size} records.`);
  }

  const tree = new LogTree(db);
  const rows = db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq BETWEEN ? AND ? ORDER BY seq`).all(from, size) as SessionEventRow[];
  const before = from - 1;
  const previousRecord = before === 0 ? null : {
    hash: (db.prepare('SELECT hash FROM session_events WHERE seq = ?').pluck().get(before) as string),
    inclusionProof: inclusionProof(before - 1, before, tree.subtreeHash).map(b64),
  };
  const { recordings, missing, warnings } = gatherRecordings(db, rows);
  const others = await signedMeanwhile(db, checkpoints, before, checkpoint.note);
  const manifest = signNote(formatManifest({
    origin: checkpoints.origin(), size, rootHash: checkpoint.rootHash, from,
    recordings: recordings.map(({ sha256, bytes, sessionId }) => ({ sha256, bytes, sessionId })), missing,
  }), [signer]);

  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    createdAt: nowIso(),
    engineer: { name: me.name, email: me.email, publicKey: me.publicKey, fingerprint: me.fingerprint },
    checkpoint: checkpoint.note,
    previous: witnessed ? { checkpoint: witnessed.note, consistencyProof: consistencyProof(witnessed.size, size, tree.subtreeHash).map(b64) } : null,
    checkpoints: others,
    start: { seq: from, frontier: frontierHashes(before, tree.subtreeHash).map(b64), previousRecord },
    records: rows.map(bundleRecord),
    recordings,
    missingRecordings: missing,
    manifest,
  };
  const text = `${JSON.stringify(bundle, null, 1)}\n`;
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const sessions = rows.filter((r) => r.kind === 'attempt').length;
  deps.log.append({
    sessionId: `bundle-${size}-${sha256.slice(0, 12)}`, kind: 'bundle', engineer: me.email,
    summary: `Bundle of records ${from}–${size} exported (${sessions} session${sessions === 1 ? '' : 's'}, ${recordings.length} recording${recordings.length === 1 ? '' : 's'})`,
    detail: { from, to: size, rootHash: checkpoint.rootHash, previousSize: witnessed?.size ?? null, sha256, recordings: recordings.length },
  });
  const day = checkpoint.signedAt.slice(0, 10);
  return {
    text, fileName: `switchboard-bundle-${me.email.split('@')[0]}-${day}-${from}-${size}.json`,
    from, to: size, sessions, recordings: recordings.length, previousSize: witnessed?.size ?? null, sha256, warnings,
  };
}

/** The first record of the bundle: after the witnessed size, or the first at/after `since`. */
function firstRecord(db: Db, size: number, witnessedSize: number, since: string | undefined): number {
  if (since === undefined) return witnessedSize + 1;
  const at = parseSince(since);
  const seq = db.prepare('SELECT min(seq) FROM session_events WHERE at >= ? AND seq <= ?').pluck().get(at, size) as number | null;
  return seq ?? size + 1;
}

function parseSince(since: string): string {
  const text = since.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00.000Z` : text;
  const time = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time)) {
    throw new ApiError('INVALID_INPUT', `--since "${since}" is not a date (2026-11-25) or an ISO time (2026-11-25T10:00:00Z).`);
  }
  return new Date(time).toISOString();
}

interface GatheredRecordings {
  recordings: Bundle['recordings'];
  missing: Bundle['missingRecordings'];
  warnings: string[];
}

/**
 * The recordings the records name, read from this data dir's recordings folder as they are now. The
 * hash written is the file's own: if it no longer matches the record, the lead sees which (the export
 * does not hide a changed file behind the hash it should have).
 */
function gatherRecordings(db: Db, rows: readonly SessionEventRow[]): GatheredRecordings {
  // The data dir is the database's folder (store/database.ts openDatabase).
  const folder = recordingsDir(path.dirname(db.name)) + path.sep;
  const out: GatheredRecordings = { recordings: [], missing: [], warnings: [] };
  const seen = new Set<string>();
  for (const row of rows) {
    const named = recordedRecording(row.detail);
    if (!named || seen.has(row.session_id)) continue;
    seen.add(row.session_id);
    const file = path.resolve(named.file);
    const data = file.startsWith(folder) ? readOrNull(file) : null;
    if (!data) {
      out.missing.push({ sessionId: row.session_id, sha256: named.sha256 });
      out.warnings.push(`The recording of session ${row.session_id} (${named.file}) is ${file.startsWith(folder) ? 'missing' : 'outside this data dir'}; the bundle says so and the lead will see it.`);
      continue;
    }
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (sha256 !== named.sha256) out.warnings.push(`The recording of session ${row.session_id} no longer matches the SHA-256 its record states; the lead will refuse this bundle.`);
    out.recordings.push({ sessionId: row.session_id, sha256, bytes: data.length, data: data.toString('base64') });
  }
  return out;
}

function readOrNull(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/**
 * Every other checkpoint this data dir signed that reaches past `before` — the table's and the
 * keychain's copy — so the lead can hold these records to each of them (a cut or rewritten tail shows).
 */
async function signedMeanwhile(db: Db, checkpoints: Checkpoints, before: number, newest: string): Promise<string[]> {
  const notes = db.prepare('SELECT note FROM checkpoints WHERE size > ? ORDER BY size, id').pluck().all(before) as string[];
  try {
    const outside = await checkpoints.latestOutside();
    if (outside !== null && parseCheckpoint(openNote(outside).text).size > before) notes.push(outside);
  } catch {
    // no keychain copy to add; the table's checkpoints still go
  }
  return [...new Set(notes)].filter((n) => n !== newest);
}

function b64(hash: Buffer): string {
  return hash.toString('base64');
}
