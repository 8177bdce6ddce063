import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ClientBase } from 'pg';
import { EvidenceFiles } from '../files/evidence-files';
import { escapeName } from '../files/transfer-policy';
import type { Db } from '../store/database';
import { isConnectionLost } from './connection';
import { refusal } from './membership';

/** Bytes per row of switchboard.evidence_chunks, as for recordings: few round trips, and each one small. */
export const EVIDENCE_CHUNK_BYTES = 1024 * 1024;

/** What a sync did with the tickets' evidence. */
export interface TicketEvidenceSynced { pushed: number; bytes: number; pulled: number; warnings: string[] }

interface LocalRow {
  ref: string; sha256: string; name: string; size: number; fetched_by: string; site: string | null; host: string | null;
  remote_path: string | null; session_id: string | null; added_at: string;
}

interface StoreRow extends LocalRow { bytes: string | null; chunks: number | null }

/**
 * Tickets' evidence both ways (team-store migration 9). Push: each file on a ticket here that the store
 * does not have on that ticket goes up — its ticket row, and its bytes unless the store has them already,
 * in ONE transaction, streamed from the evidence folder a chunk at a time and hashed as they go; COMMIT only
 * if they still hash to the file's name. Pull: each row of the store for a ticket this data dir has and
 * does not have that file on, with the bytes streamed chunk by chunk into the evidence folder (checked
 * against the hash, the size and the chunk count) unless this laptop already keeps them. Refusals are
 * warnings and are tried again at the next sync; a lost connection ends the sync with nothing half-kept.
 */
export async function syncTicketEvidence(client: ClientBase, db: Db): Promise<TicketEvidenceSynced> {
  const files = new EvidenceFiles(path.dirname(db.name));
  const result: TicketEvidenceSynced = { pushed: 0, bytes: 0, pulled: 0, warnings: [] };
  await push(client, db, files, result);
  await pull(client, db, files, result);
  return result;
}

const key = (ref: string, sha256: string) => `${ref.toLowerCase()} ${sha256}`;

async function storeRows(client: ClientBase): Promise<StoreRow[]> {
  const { rows } = await client.query<StoreRow>(`
    SELECT t.ref, e.sha256, e.name, e.size::text AS size, e.fetched_by, e.site, e.host, e.remote_path, e.session_id, e.added_at,
           f.bytes::text AS bytes, f.chunks
      FROM switchboard.ticket_evidence e JOIN switchboard.tickets t ON t.ref_key = e.ticket
      LEFT JOIN switchboard.evidence_files f ON f.sha256 = e.sha256
     ORDER BY e.id`);
  return rows.map((r) => ({ ...r, size: Number(r.size) }));
}

async function push(client: ClientBase, db: Db, files: EvidenceFiles, result: TicketEvidenceSynced): Promise<void> {
  const local = db.prepare(`
    SELECT t.ref, e.sha256, e.name, e.size, e.fetched_by, e.site, e.host, e.remote_path, e.session_id, e.added_at
      FROM ticket_evidence e JOIN tickets t ON t.id = e.ticket_id ORDER BY e.id`).all() as LocalRow[];
  if (local.length === 0) return;
  const inStore = new Set((await storeRows(client)).map((r) => key(r.ref, r.sha256)));
  const stored = new Set((await client.query<{ sha256: string }>('SELECT sha256 FROM switchboard.evidence_files WHERE sha256 = ANY($1)', [[...new Set(local.map((r) => r.sha256))]])).rows.map((r) => r.sha256));
  for (const row of local) {
    if (inStore.has(key(row.ref, row.sha256))) continue;
    const what = `${row.ref}'s evidence ${escapeName(row.name)} (sha256 ${row.sha256})`;
    await client.query('BEGIN');
    try {
      await client.query(
        `INSERT INTO switchboard.ticket_evidence (ticket, sha256, name, size, fetched_by, site, host, remote_path, session_id, added_at)
         VALUES (lower($1), $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (ticket, sha256) DO NOTHING`,
        [row.ref, row.sha256, row.name, row.size, row.fetched_by, row.site, row.host, row.remote_path, row.session_id, row.added_at],
      );
      let bytes = 0;
      if (!stored.has(row.sha256)) {
        const sent = await pushBytes(client, files, row);
        if (typeof sent === 'string') {
          await client.query('ROLLBACK');
          result.warnings.push(`${what} was not pushed: ${sent}`);
          continue;
        }
        bytes = sent;
      }
      await client.query('COMMIT');
      stored.add(row.sha256);
      result.pushed += 1;
      result.bytes += bytes;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (isConnectionLost(error)) throw error;
      result.warnings.push(`${what} was not pushed: ${refusal(error, 'push it').message}`);
    }
  }
}

/** Streams one file's bytes into the open transaction; its size, or why not (the caller rolls back). */
async function pushBytes(client: ClientBase, files: EvidenceFiles, row: LocalRow): Promise<number | string> {
  const file = files.fileOf(row.sha256);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    return `its file ${file} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`;
  }
  try {
    const { size } = await handle.stat();
    const chunks = Math.ceil(size / EVIDENCE_CHUNK_BYTES);
    await client.query('INSERT INTO switchboard.evidence_files (sha256, bytes, chunks) VALUES ($1, $2, $3)', [row.sha256, size, chunks]);
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(EVIDENCE_CHUNK_BYTES);
    for (let chunk = 0; chunk < chunks; chunk++) {
      const length = Math.min(EVIDENCE_CHUNK_BYTES, size - chunk * EVIDENCE_CHUNK_BYTES);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, chunk * EVIDENCE_CHUNK_BYTES + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled < length) return `its file ${file} shrank while it was being pushed.`;
      const data = buffer.subarray(0, length);
      hash.update(data);
      await client.query('INSERT INTO switchboard.evidence_chunks (sha256, chunk, data) VALUES ($1, $2, $3)', [row.sha256, chunk, data]);
    }
    const actual = hash.digest('hex');
    if (actual !== row.sha256) return `its file ${file} no longer has that SHA-256 (it hashes to ${actual}); fetch it again.`;
    return size;
  } finally {
    await handle.close().catch(() => {});
  }
}

async function pull(client: ClientBase, db: Db, files: EvidenceFiles, result: TicketEvidenceSynced): Promise<void> {
  const ticketOf = db.prepare('SELECT id FROM tickets WHERE ref = ? COLLATE NOCASE').pluck();
  const have = db.prepare('SELECT 1 FROM ticket_evidence WHERE ticket_id = ? AND sha256 = ?').pluck();
  const insert = db.prepare(`
    INSERT INTO ticket_evidence (ticket_id, sha256, name, size, fetched_by, site, host, remote_path, session_id, added_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id, sha256) DO NOTHING`);
  for (const row of await storeRows(client)) {
    const ticketId = ticketOf.get(row.ref) as number | undefined;
    if (ticketId === undefined || have.get(ticketId, row.sha256) !== undefined) continue;
    const what = `${row.ref}'s evidence ${escapeName(row.name)} (sha256 ${row.sha256}) from the team store`;
    if ((await files.matches(row.sha256)) !== true) {
      if (row.chunks === null || row.bytes === null) continue; // the bytes are not in the store yet
      const refused = await fetchBytes(client, files, row.sha256, Number(row.bytes), row.chunks);
      if (refused) {
        result.warnings.push(`Refused ${what}: ${refused} It was not kept; the next sync tries again.`);
        continue;
      }
    }
    insert.run(ticketId, row.sha256, row.name, row.size, row.fetched_by, row.site, row.host, row.remote_path, row.session_id, row.added_at);
    result.pulled += 1;
  }
}

/** Streams a file out of the store, a chunk per query, into the evidence folder; why it was refused, or null. */
async function fetchBytes(client: ClientBase, files: EvidenceFiles, sha256: string, bytes: number, chunks: number): Promise<string | null> {
  let received = 0;
  let missing: number | null = null;
  let storeError: unknown = null;
  async function* chunksOf(): AsyncGenerator<Buffer> {
    for (let chunk = 0; chunk < chunks; chunk++) {
      let rows: { data: Buffer }[];
      try {
        ({ rows } = await client.query<{ data: Buffer }>('SELECT data FROM switchboard.evidence_chunks WHERE sha256 = $1 AND chunk = $2', [sha256, chunk]));
      } catch (error) {
        storeError = error;
        throw error;
      }
      if (!rows[0]) { missing = chunk; return; }
      received += rows[0].data.length;
      yield rows[0].data;
    }
  }
  let kept: Awaited<ReturnType<EvidenceFiles['put']>>;
  try {
    kept = await files.put(chunksOf());
  } catch (error) {
    // The store's own error (a lost connection ends the sync), not the evidence folder's wrapping of it.
    throw storeError ?? error;
  }
  if (kept.sha256 === sha256 && received === bytes && missing === null) return null;
  // Named by what it hashed to, it is not the file asked for: nothing under the right name was touched.
  if (kept.sha256 !== sha256 && !kept.alreadyKept) fs.rmSync(kept.file, { force: true });
  if (missing !== null) return `chunk ${missing} of ${chunks} is missing in the store.`;
  if (received !== bytes) return `the store holds ${received} bytes, its row says ${bytes}.`;
  return `the store's bytes hash to ${kept.sha256}.`;
}
