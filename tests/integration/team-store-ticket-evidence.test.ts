import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Ticket, TicketEvidenceList } from '../../contract/models';
import { evidenceDir } from '../../main/core/files/evidence-files';
import { EVIDENCE_CHUNK_BYTES } from '../../main/core/team-store/team-ticket-evidence';
import { call, useCores, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { connectTeamStore, parseTeamStoreUrl } from '../../main/core/team-store/connection';
import { keptPassword, memberUrl, teamStoreMember } from '../helpers/team-store-lab';

/**
 * Tickets' evidence through the team store, against a real PostgreSQL: an engineer's files go up with
 * their ticket (bytes chunked, once per content), every other laptop brings them down checked by SHA-256
 * and lists them with who fetched them from where; syncs again double nothing; a chunk altered in the store
 * is refused on the way down and nothing is kept.
 */
const postgres = usePostgres();
const cores = useCores();
let lead: TestCore;
let ravi: TestCore;
let asha: TestCore;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const siteId = (core: TestCore) => core.db.prepare('SELECT id FROM sites').pluck().get() as number;
const ticketId = (core: TestCore, ref: string) => core.db.prepare('SELECT id FROM tickets WHERE ref = ?').pluck().get(ref) as number;
const list = (core: TestCore, ref: string) => call<TicketEvidenceList>(core, 'tickets.evidence', { id: ticketId(core, ref) });
const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = await postgres().connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};
const stored = (sha: string) => admin(async (c) => (await c.query(
  `SELECT (SELECT count(*)::int FROM switchboard.evidence_files WHERE sha256 = $1) AS files,
          (SELECT count(*)::int FROM switchboard.evidence_chunks WHERE sha256 = $1) AS chunks,
          (SELECT count(*)::int FROM switchboard.ticket_evidence WHERE sha256 = $1) AS rows`, [sha])).rows[0] as { files: number; chunks: number; rows: number });

const big = randomBytes(2 * EVIDENCE_CHUNK_BYTES + 12_345);
const small = Buffer.from('ivr: prompt 12 missing at 03:12\n');

beforeAll(async () => {
  lead = await teamStoreMember(cores, 'Lena Lead', 'lena@example.com', 'lead');
  await lead.team.init(postgres().superuserUrl, null);
  await lead.team.sync();
  ravi = await teamStoreMember(cores, 'Ravi Nair', 'ravi@example.com', 'engineer');
  await ravi.team.join(memberUrl(postgres()), 'Ravi Nair', (await lead.team.addMember({ name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' })).join_secret);
  asha = await teamStoreMember(cores, 'Asha Rao', 'asha@example.com', 'engineer');
  await asha.team.join(memberUrl(postgres()), 'Asha Rao', (await lead.team.addMember({ name: 'Asha Rao', email: 'asha@example.com', role: 'engineer' })).join_secret);
}, 60_000);

describe('tickets\' evidence through the team store', () => {
  it('an engineer\'s files reach every laptop with their ticket, checked by SHA-256, once', async () => {
    const opened = await call<Ticket>(ravi, 'tickets.open', { siteId: siteId(ravi), ref: 'EVD-1', type: 'incident', component: 'acd', impact: { cannotTakeCalls: 3 } });
    await ravi.services.evidence.add(Readable.from([big]), { ticketId: opened.id, name: 'acd.log', site: 'Acme/Pune', host: 'acd01', remotePath: '/var/log/ameyo/acd.log', sessionId: '7d5b4a1e-55b0-4c7e-9a77-2b1f0c6f9a10' });
    await ravi.services.evidence.add(Readable.from([small]), { ticketId: opened.id, name: 'ivr.log', host: 'ivr01', remotePath: '/var/log/ameyo/ivr.log' });

    const pushed = await ravi.team.sync();
    expect(pushed.ticketEvidence).toEqual({ pushed: 2, bytes: big.length + small.length, pulled: 0, warnings: [] });
    expect(await stored(sha256(big))).toEqual({ files: 1, chunks: 3, rows: 1 });

    for (const other of [lead, asha]) {
      const synced = await other.team.sync();
      expect(synced.ticketEvidence).toMatchObject({ pulled: 2, warnings: [] });
      const seen = await list(other, 'EVD-1');
      expect(seen.files).toEqual([
        expect.objectContaining({ name: 'acd.log', size: big.length, sha256: sha256(big), fetchedBy: 'ravi@example.com', site: 'Acme/Pune', host: 'acd01', remotePath: '/var/log/ameyo/acd.log', sessionId: '7d5b4a1e-55b0-4c7e-9a77-2b1f0c6f9a10', sha256Matches: true }),
        expect.objectContaining({ name: 'ivr.log', sha256: sha256(small), fetchedBy: 'ravi@example.com', sha256Matches: true }),
      ]);
      expect(fs.readFileSync(path.join(evidenceDir(other.dataDir), sha256(big))).equals(big)).toBe(true);
    }

    for (const core of [ravi, lead, asha]) expect((await core.team.sync()).ticketEvidence).toEqual({ pushed: 0, bytes: 0, pulled: 0, warnings: [] });
  });

  it('the same bytes on another ticket go up as a row only; the store keeps them once', async () => {
    const opened = await call<Ticket>(lead, 'tickets.open', { siteId: siteId(lead), ref: 'EVD-2', type: 'incident', component: 'ivr', impact: {} });
    await lead.services.evidence.add(Readable.from([small]), { ticketId: opened.id, name: 'ivr-copy.log' });
    expect((await lead.team.sync()).ticketEvidence).toMatchObject({ pushed: 1, bytes: 0, warnings: [] });
    expect(await stored(sha256(small))).toEqual({ files: 1, chunks: 1, rows: 2 });
    expect((await ravi.team.sync()).ticketEvidence).toMatchObject({ pulled: 1 });
    expect((await list(ravi, 'EVD-2')).files).toEqual([expect.objectContaining({ name: 'ivr-copy.log', fetchedBy: 'lena@example.com', sha256Matches: true })]);
  });

  it('a chunk altered in the store is refused on the way down: nothing is kept, and the next sync tries again', async () => {
    await asha.team.sync(); // EVD-2's file from before, so what follows is this file alone
    const data = randomBytes(EVIDENCE_CHUNK_BYTES + 99);
    const opened = await call<Ticket>(ravi, 'tickets.open', { siteId: siteId(ravi), ref: 'EVD-3', type: 'incident', component: 'dialer', impact: {} });
    await ravi.services.evidence.add(Readable.from([data]), { ticketId: opened.id, name: 'dialer.log' });
    expect((await ravi.team.sync()).ticketEvidence).toMatchObject({ pushed: 1, warnings: [] });
    await admin(async (c) => {
      await c.query('ALTER TABLE switchboard.evidence_chunks DISABLE TRIGGER USER');
      const altered = await c.query("UPDATE switchboard.evidence_chunks SET data = set_byte(data, 10, (get_byte(data, 10) + 1) % 256) WHERE sha256 = $1 AND chunk = 1", [sha256(data)]);
      expect(altered.rowCount).toBe(1);
      await c.query('ALTER TABLE switchboard.evidence_chunks ENABLE TRIGGER USER');
    });
    const synced = await asha.team.sync();
    expect(synced.ticketEvidence.pulled).toBe(0);
    expect(synced.ticketEvidence.warnings).toEqual([expect.stringMatching(new RegExp(`^Refused EVD-3's evidence dialer\\.log \\(sha256 ${sha256(data)}\\) from the team store: the store's bytes hash to [0-9a-f]{64}\\.`))]);
    expect((await list(asha, 'EVD-3')).files).toEqual([]);
    expect(fs.existsSync(path.join(evidenceDir(asha.dataDir), sha256(data)))).toBe(false);
    expect(fs.readdirSync(evidenceDir(asha.dataDir)).filter((n) => n.startsWith('.'))).toEqual([]);
    expect((await asha.team.sync()).ticketEvidence.warnings).toHaveLength(1);
  });

  it('the database holds members to their own rows: no file without a ticket row of one\'s own, no chunks of another\'s file, no changes', async () => {
    const asAsha = await connectTeamStore(parseTeamStoreUrl(postgres().url('x', 'x')).address, asha.team.status().login!, await keptPassword(asha));
    const refused = async (sql: string, params: unknown[] = []) => {
      const error = await asAsha.query(sql, params).then(() => null, (e: { code?: string }) => e);
      expect(error?.code, sql).toBe('42501');
    };
    try {
      const loose = sha256(Buffer.from('not on any ticket of asha'));
      await refused('INSERT INTO switchboard.evidence_files (sha256, bytes, chunks) VALUES ($1, 1, 1)', [loose]);
      await refused('INSERT INTO switchboard.evidence_chunks (sha256, chunk, data) VALUES ($1, 0, $2)', [sha256(big), Buffer.from('x')]);
      await refused("INSERT INTO switchboard.ticket_evidence (ticket, sha256, name, size, fetched_by, added_at, login) VALUES ('evd-1', $1, 'x.log', 1, 'asha@example.com', '2026-11-30T00:00:00Z', 'someone_else')", [loose]);
      const changed = await asAsha.query("UPDATE switchboard.ticket_evidence SET name = 'renamed.log' WHERE ticket = 'evd-1'").then(() => null, (e: { code?: string }) => e);
      expect(changed?.code).toMatch(/^(42501|P0001)$/);
    } finally {
      await asAsha.end();
    }
  });
});
