import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewSessionView } from '../../contract/review';
import type { SyncResult } from '../../main/core/team-store/team-link';
import { RECORDING_CHUNK_BYTES } from '../../main/core/team-store/team-recordings';
import { buildNodeBundles, runCli } from '../helpers/cli';
import { call, callError, openTestCore, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { castText } from '../helpers/review-seed';
import { setUpTeam, type TeamMember } from '../helpers/team';
import { useTempDirs } from '../helpers/temp-dir';

/**
 * Recordings and checkpoints through the team store, against a real PostgreSQL: an engineer's session
 * recording reaches the store in chunks and the lead plays it with its SHA-256 checked; a chunk altered in
 * the store is refused by the lead's app; the server killed mid-push loses nothing and doubles nothing;
 * checkpoints go up, the lead cosigns them, the engineer sees "last witnessed"; an engineer's login cannot
 * insert a cosignature.
 */
const postgres = usePostgres();
const tempDir = useTempDirs('switchboard-team-rec-');
const lead: TeamMember = { dataDir: '', name: 'Lena Lead', email: 'lena@example.com', role: 'lead' };
const ravi: TeamMember = { dataDir: '', name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' };
let leadCore: TestCore;
let raviCore: TestCore;
let raviLogin = '';
const url = () => `postgresql://127.0.0.1:${postgres().port}/postgres?sslmode=verify-full&sslrootcert=${postgres().caFile}`;

async function asSuperuser<T>(work: (client: Awaited<ReturnType<ReturnType<typeof postgres>['connect']>>) => Promise<T>): Promise<T> {
  const client = await postgres().connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** An SSH session of Ravi's as the terminal logs it: its attempt, and its end naming the recording and its SHA-256. */
function recordedSession(bytes: number): { sessionId: string; sha256: string; file: string } {
  const sessionId = randomUUID();
  const folder = path.join(ravi.dataDir, 'recordings');
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, `${sessionId}.cast`);
  const line = `${JSON.stringify([1.5, 'o', `${'uptime: 42 days '.repeat(60)}\r\n`])}\n`;
  const head = castText(`session ${sessionId}`);
  const data = Buffer.from(head + line.repeat(Math.max(0, Math.ceil((bytes - head.length) / line.length))));
  fs.writeFileSync(file, data, { mode: 0o600 });
  const sha256 = createHash('sha256').update(data).digest('hex');
  const base = { sessionId, engineer: ravi.email, site: 'Acme/Pune', host: 'pbx1', method: 'ssh', ticket: 'INC-7' };
  raviCore.sessionLog.append({ ...base, kind: 'attempt', decision: 'allow', reasons: ['ssh approved; host trusted'], outcome: 'allowed' });
  raviCore.sessionLog.append({ ...base, kind: 'ended', outcome: 'completed', detail: { recording: file, recordingSha256: sha256 } });
  return { sessionId, sha256, file };
}

const sync = (core: TestCore) => core.team.sync() as Promise<SyncResult>;
const queued = async (sessionId: string) =>
  (await call<{ sessions: ReviewSessionView[] }>(leadCore, 'review.list', { engineer: ravi.email, limit: 500 })).sessions.find((s) => s.sessionId === sessionId);
const storedChunks = (sha256: string) => asSuperuser(async (c) => (await c.query<{ rows: string; chunks: string | null; bytes: string | null; n: string }>(
  `SELECT (SELECT count(*) FROM switchboard.recordings WHERE sha256 = $1) AS rows, (SELECT chunks FROM switchboard.recordings WHERE sha256 = $1) AS chunks,
          (SELECT sum(length(data)) FROM switchboard.recording_chunks WHERE sha256 = $1) AS bytes, (SELECT count(*) FROM switchboard.recording_chunks WHERE sha256 = $1) AS n`, [sha256])).rows[0]!);

beforeAll(async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
  await buildNodeBundles();
  lead.dataDir = tempDir();
  ravi.dataDir = tempDir();
  setUpTeam([lead, ravi], tempDir());
  leadCore = openTestCore({ dataDir: lead.dataDir, mode: 'web' });
  raviCore = openTestCore({ dataDir: ravi.dataDir, mode: 'web' });
  await leadCore.team.init(postgres().superuserUrl, null);
  const added = await leadCore.team.addMember({ name: ravi.name, email: ravi.email, role: 'engineer' });
  raviLogin = added.login;
  await raviCore.team.join(url(), ravi.name, added.join_secret);
}, 180_000);

afterAll(async () => {
  await raviCore?.close();
  await leadCore?.close();
});

describe('team store: recordings', () => {
  it('an SSH session\'s recording reaches the store in chunks, and the lead plays it with its hash checked', async () => {
    const session = recordedSession(2.5 * RECORDING_CHUNK_BYTES);
    const pushed = await sync(raviCore);
    expect(pushed.recordings.pushed).toBe(1);
    expect(pushed.warnings).toEqual([]);
    expect(await storedChunks(session.sha256)).toEqual({ rows: '1', chunks: 3, bytes: String(fs.statSync(session.file).size), n: '3' });
    expect((await sync(raviCore)).recordings.pushed).toBe(0);

    const pulled = await sync(leadCore);
    expect(pulled.recordings.pulled).toBe(1);
    expect(pulled.warnings).toEqual([]);
    const row = await queued(session.sessionId);
    expect(row?.recordingSha256).toBe(session.sha256);
    const played = await call<{ sha256Matches: boolean; events: [number, string, string][] }>(leadCore, 'review.recording', { id: row!.id });
    expect(played.sha256Matches).toBe(true);
    expect(played.events[1]![2]).toContain(`session ${session.sessionId}`);
    const kept = path.join(lead.dataDir, 'imported-recordings', `${session.sha256}.cast`);
    expect(createHash('sha256').update(fs.readFileSync(kept)).digest('hex')).toBe(session.sha256);
    expect((await sync(leadCore)).recordings.pulled).toBe(0);
  });

  it('a chunk altered in the store (by the superuser, triggers off) is refused by the lead\'s app on pull', async () => {
    const session = recordedSession(1.5 * RECORDING_CHUNK_BYTES);
    expect((await sync(raviCore)).recordings.pushed).toBe(1);
    await asSuperuser(async (c) => {
      await c.query('BEGIN');
      await c.query('ALTER TABLE switchboard.recording_chunks DISABLE TRIGGER USER');
      await c.query("UPDATE switchboard.recording_chunks SET data = overlay(data placing '\\x41'::bytea from 100 for 1) WHERE sha256 = $1 AND chunk = 1", [session.sha256]);
      await c.query('ALTER TABLE switchboard.recording_chunks ENABLE TRIGGER USER');
      await c.query('COMMIT');
    });
    const pulled = await sync(leadCore);
    expect(pulled.recordings.pulled).toBe(0);
    expect(pulled.warnings.join('\n')).toMatch(new RegExp(`Refused the recording of ravi@example.com's session ${session.sessionId} from the team store: its bytes hash to [0-9a-f]{64}, but the engineer's signed record states ${session.sha256}`));
    expect(leadCore.db.prepare('SELECT count(*) FROM imported_recordings WHERE sha256 = ?').pluck().get(session.sha256)).toBe(0);
    expect(fs.readdirSync(path.join(lead.dataDir, 'imported-recordings')).filter((f) => f.includes(session.sha256))).toEqual([]);
    const row = await queued(session.sessionId);
    expect(row?.recordingSha256).toBeNull();
    expect((await callError(leadCore, 'review.recording', { id: row!.id })).code).toBe('NOT_FOUND');
  });

  it('a recording whose file changed since its session ended is not pushed, and the sync says so', async () => {
    const session = recordedSession(1000);
    fs.appendFileSync(session.file, 'tampered\n');
    const result = await sync(raviCore);
    expect(result.recordings.pushed).toBe(0);
    expect(result.warnings.join('\n')).toMatch(new RegExp(`recording of session ${session.sessionId} .* no longer matches the SHA-256 its record \\d+ states`));
    expect((await storedChunks(session.sha256)).rows).toBe('0');
  });

  it('the server killed in the middle of pushing a big recording: the next sync completes it, nothing doubled', async () => {
    const session = recordedSession(40 * RECORDING_CHUNK_BYTES);
    const syncing = sync(raviCore);
    const failed = syncing.then(() => null, (error: unknown) => error as { code?: string; message: string });
    // Wait until the push of its chunks is under way, then crash the server.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const busy = await asSuperuser(async (c) => (await c.query(
        "SELECT 1 FROM pg_stat_activity WHERE usename = $1 AND query LIKE 'INSERT INTO switchboard.recording_chunks%' AND state <> 'idle'", [raviLogin])).rowCount);
      if (busy) break;
      if (Date.now() > deadline) throw new Error('the recording push never started');
      await new Promise((r) => setTimeout(r, 5));
    }
    await postgres().kill();
    const error = await failed;
    expect(error, 'the sync should have failed when the server died').not.toBeNull();
    expect(error!.code).toBe('TEAM_STORE_UNREACHABLE');
    await postgres().restart();
    expect(await storedChunks(session.sha256)).toEqual({ rows: '0', chunks: null, bytes: null, n: '0' });

    const again = await sync(raviCore);
    expect(again.recordings.pushed).toBe(1);
    const { size } = fs.statSync(session.file);
    const chunks = Math.ceil(size / RECORDING_CHUNK_BYTES);
    expect(chunks).toBeGreaterThanOrEqual(40);
    expect(await storedChunks(session.sha256)).toEqual({ rows: '1', chunks, bytes: String(size), n: String(chunks) });
    expect((await sync(raviCore)).recordings.pushed).toBe(0);
    expect(await storedChunks(session.sha256)).toMatchObject({ rows: '1', n: String(chunks) });

    expect((await sync(leadCore)).recordings.pulled).toBe(1);
    const played = await call<{ sha256Matches: boolean }>(leadCore, 'review.recording', { id: (await queued(session.sessionId))!.id });
    expect(played.sha256Matches).toBe(true);
  }, 120_000);
});

describe('team store: checkpoints and witnessing', () => {
  it('checkpoints are pushed, the lead cosigns the one it verified, and the engineer sees it as last witnessed', async () => {
    recordedSession(1000);
    const checkpoint = await raviCore.services.accountability.checkpoint();
    const pushed = await sync(raviCore);
    expect(pushed.checkpoints.pushed).toBeGreaterThanOrEqual(1);
    // Not witnessed yet: what a lead cosigned before (the checkpoints signed at each session's end) is older.
    expect(pushed.lastWitness?.size ?? 0).toBeLessThan(checkpoint.size);
    expect(raviCore.team.status().lastWitness?.size ?? 0).toBeLessThan(checkpoint.size);
    const inStore = await asSuperuser(async (c) => (await c.query('SELECT size, signed_note FROM switchboard.checkpoints WHERE login = $1 AND size = $2', [raviLogin, checkpoint.size])).rows);
    // One per size: the first this data dir signed of that size (the session-end one, here) goes up as signed.
    expect(inStore).toHaveLength(1);
    expect(raviCore.db.prepare('SELECT note FROM checkpoints WHERE size = ? ORDER BY id').pluck().all(checkpoint.size)[0]).toBe(inStore[0].signed_note);
    expect((await sync(raviCore)).checkpoints.pushed).toBe(0);

    const witnessed = await sync(leadCore);
    expect(witnessed.checkpoints.witnessed).toBe(1);
    // (The recording altered in the store above is refused again at every sync, and said again.)
    expect(witnessed.warnings.filter((w) => !w.startsWith('Refused the recording'))).toEqual([]);
    expect((await sync(leadCore)).checkpoints.witnessed).toBe(0);

    const back = await sync(raviCore);
    expect(back.lastWitness).toMatchObject({ size: checkpoint.size, by: lead.name, byEmail: lead.email });
    expect(raviCore.team.status().lastWitness).toMatchObject({ size: checkpoint.size, by: lead.name });
    const cli = runCli(['team', 'status', '--json'], { dataDir: ravi.dataDir });
    expect(cli.status, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { lastWitness: { size: number } }).lastWitness.size).toBe(checkpoint.size);
    const text = runCli(['team', 'status'], { dataDir: ravi.dataDir });
    expect(text.stdout).toContain(`last witnessed: records 1–${checkpoint.size}, cosigned by ${lead.name} <${lead.email}>`);
  });

  it('an engineer\'s login cannot insert a cosignature: PostgreSQL refuses it', async () => {
    const eve = await leadCore.team.addMember({ name: 'Eve Engineer', email: 'eve@example.com', role: 'engineer' });
    const client = await postgres().connect(postgres().url(eve.login, eve.join_secret));
    try {
      const size = (await client.query<{ size: string }>('SELECT max(size) AS size FROM switchboard.checkpoints WHERE login = $1', [raviLogin])).rows[0]!.size;
      const leadLogin = (await client.query<{ login: string }>("SELECT login FROM switchboard.members WHERE role = 'lead' LIMIT 1")).rows[0]!.login;
      await expect(client.query('INSERT INTO switchboard.checkpoint_cosignatures (login, size, cosignature) VALUES ($1, $2, $3)', [raviLogin, size, 'forged']))
        .rejects.toThrow(/permission denied for table checkpoint_cosignatures/);
      await expect(client.query('INSERT INTO switchboard.checkpoint_cosignatures (login, size, lead_login, cosignature) VALUES ($1, $2, $3, $4)', [raviLogin, size, leadLogin, 'forged']))
        .rejects.toThrow(/permission denied for table checkpoint_cosignatures/);
    } finally {
      await client.end();
    }
  });
});
