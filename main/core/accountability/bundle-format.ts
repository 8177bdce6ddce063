import { z } from 'zod';
import { ApiError } from '../../../contract/errors';
import { EVENT_COLUMNS, type SessionEventRow } from '../session-log/types';

/**
 * The file an engineer hands a lead: `switchboard-bundle/1` (docs/security.md, "Bundles"). A JSON
 * object; everything in it that matters is bound to a signature — the records by the signed checkpoint
 * (their hashes are the Merkle tree's leaves), the recordings by the SHA-256 the records state and by
 * the signed manifest. Nothing is trusted because the JSON says so.
 */
export const BUNDLE_FORMAT = 'switchboard-bundle/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex');
const b64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a SHA-256 in base64');
const note = z.string().min(1).max(100_000);
const nullableText = z.string().nullable();
const nullableInt = z.number().int().nullable();

/** A record exactly as the engineer's session_events holds it (the columns its hash covers, and the hash). */
const recordRow = z.strictObject({
  seq: z.number().int().positive(),
  session_id: z.string(),
  kind: z.string(),
  at: z.string(),
  engineer: z.string(),
  ticket: nullableText,
  ticket_id: nullableInt,
  site: nullableText,
  site_id: nullableInt,
  host: nullableText,
  method: nullableText,
  target: nullableText,
  address: nullableText,
  decision: nullableText,
  reasons: nullableText,
  outcome: nullableText,
  bytes_in: nullableInt,
  bytes_out: nullableInt,
  detail: nullableText,
  summary: nullableText,
  prev_hash: hex64,
  hash: z.string(),
});

export const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  createdAt: z.string(),
  /** Who claims to have made it; the lead looks the key up in their own roster and trusts only that. */
  engineer: z.strictObject({ name: z.string(), email: z.string(), publicKey: z.string(), fingerprint: z.string() }),
  /** The engineer's new checkpoint (C2SP tlog-checkpoint, signed note), signed when the bundle was made. */
  checkpoint: note,
  /** The last checkpoint a lead cosigned (as handed back), and the RFC 6962 proof that the new one extends it. */
  previous: z.strictObject({ checkpoint: note, consistencyProof: z.array(b64Hash).max(64) }).nullable(),
  /** Every other checkpoint the engineer signed that reaches into these records or past them (the keychain's copy too). */
  checkpoints: z.array(note).max(100_000),
  /** Where the records start: the Merkle frontier of the records before (so a lead who never saw them can recompute the root), and the record before, proven in it. */
  start: z.strictObject({
    seq: z.number().int().positive(),
    frontier: z.array(b64Hash).max(64),
    previousRecord: z.strictObject({ hash: hex64, inclusionProof: z.array(b64Hash).max(64) }).nullable(),
  }),
  records: z.array(recordRow).max(10_000_000),
  recordings: z.array(z.strictObject({ sessionId: z.string().min(1).max(200), sha256: hex64, bytes: z.number().int().nonnegative(), data: z.string() })),
  /** Recordings the records name that were not on disk when the bundle was made. */
  missingRecordings: z.array(z.strictObject({ sessionId: z.string().min(1).max(200), sha256: hex64 })),
  /** A signed note over the checkpoint and every recording's SHA-256 (see formatManifest). */
  manifest: note,
});
export type Bundle = z.output<typeof bundleSchema>;
export type BundleRecord = z.output<typeof recordRow>;

export function parseBundle(text: string): Bundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiError('INVALID_INPUT', `This is not a switchboard bundle: it is not JSON (${(error as Error).message}).`);
  }
  if (typeof json === 'object' && json !== null && 'format' in json && json.format !== BUNDLE_FORMAT) {
    throw new ApiError('INVALID_INPUT', `This bundle's format is ${JSON.stringify(json.format)}; this version reads ${BUNDLE_FORMAT}.`);
  }
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError('INVALID_INPUT', `This is not a valid ${BUNDLE_FORMAT} file: ${issue.path.join('.') || '(top level)'}: ${issue.message}.`);
  }
  return parsed.data;
}

/** A stored row as the bundle writes it (the hashed columns in hash order, then the hash). */
export function bundleRecord(row: SessionEventRow): BundleRecord {
  const out: Record<string, unknown> = {};
  for (const column of EVENT_COLUMNS) out[column] = row[column];
  out.hash = row.hash;
  return out as BundleRecord;
}

export interface Manifest {
  origin: string;
  size: number;
  rootHash: string;
  from: number;
  recordings: { sha256: string; bytes: number; sessionId: string }[];
  missing: { sha256: string; sessionId: string }[];
}

/**
 * The manifest note's text: one fact a line, so a swapped file is named by the line it breaks.
 * ```
 * switchboard-bundle/1
 * origin switchboard/log/<id>
 * checkpoint <size> <root base64>
 * records <first seq> <last seq>
 * recording <sha256> <bytes> <session id>
 * missing-recording <sha256> <session id>
 * ```
 */
export function formatManifest(m: Manifest): string {
  const lines = [
    BUNDLE_FORMAT, `origin ${m.origin}`, `checkpoint ${m.size} ${m.rootHash}`, `records ${m.from} ${m.size}`,
    ...m.recordings.map((r) => `recording ${r.sha256} ${r.bytes} ${r.sessionId}`),
    ...m.missing.map((r) => `missing-recording ${r.sha256} ${r.sessionId}`),
  ];
  return lines.map((line) => line.replace(/\n/g, ' ')).join('\n') + '\n';
}

export function parseManifest(text: string): Manifest {
  const lines = text.replace(/\n$/, '').split('\n');
  const bad = (why: string) => new ApiError('INVALID_INPUT', `The bundle's manifest is malformed: ${why}.`);
  if (lines[0] !== BUNDLE_FORMAT) throw bad(`its first line is not ${BUNDLE_FORMAT}`);
  const origin = /^origin (\S+)$/.exec(lines[1] ?? '');
  const checkpoint = /^checkpoint (\d+) (\S+)$/.exec(lines[2] ?? '');
  const records = /^records (\d+) (\d+)$/.exec(lines[3] ?? '');
  if (!origin || !checkpoint || !records) throw bad('it lacks its origin, checkpoint or records line');
  const manifest: Manifest = { origin: origin[1]!, size: Number(checkpoint[1]), rootHash: checkpoint[2]!, from: Number(records[1]), recordings: [], missing: [] };
  for (const line of lines.slice(4)) {
    const recording = /^recording ([0-9a-f]{64}) (\d+) (.+)$/.exec(line);
    const missing = /^missing-recording ([0-9a-f]{64}) (.+)$/.exec(line);
    if (recording) manifest.recordings.push({ sha256: recording[1]!, bytes: Number(recording[2]), sessionId: recording[3]! });
    else if (missing) manifest.missing.push({ sha256: missing[1]!, sessionId: missing[2]! });
    else throw bad(`"${line.slice(0, 80)}" is not a line it may hold`);
  }
  return manifest;
}

/** The recording a record's detail names (the ended record, or the interrupted one recovery wrote). */
export function recordedRecording(detail: string | null): { file: string; sha256: string } | null {
  if (!detail) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return null;
  }
  const { recording, recordingSha256 } = (parsed ?? {}) as Record<string, unknown>;
  return typeof recording === 'string' && typeof recordingSha256 === 'string' ? { file: recording, sha256: recordingSha256 } : null;
}
