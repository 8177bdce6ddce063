import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { GENESIS_HASH, hashRow } from '../../main/core/session-log/hash-chain';
import type { SessionEventRow } from '../../main/core/session-log/types';
import { connectTeamStore, parseTeamStoreUrl } from '../../main/core/team-store/connection';
import { addMember, initTeamStore, newSecret, spendJoinSecret } from '../../main/core/team-store/membership';
import { usePostgres } from '../helpers/postgres';

/**
 * The team store's rules are the database's own: as each person's login, directly with SQL, what the
 * rules forbid is refused by PostgreSQL — not by the app.
 */
const postgres = usePostgres();
const clients: pg.Client[] = [];
let lead: pg.Client;
let ravi: pg.Client;
let asha: pg.Client;
let raviLogin = '';
let ashaLogin = '';
let leadLogin = '';

const address = () => parseTeamStoreUrl(postgres().url('x', 'x')).address;
async function signIn(login: string, password: string): Promise<pg.Client> {
  const client = await connectTeamStore(address(), login, password);
  clients.push(client);
  return client;
}

/** A record of `login`'s chain as the laptop's SQLite log would hold it (hash-chain.ts computes the hash). */
function record(seq: number, prevHash: string, patch: Partial<SessionEventRow> = {}): SessionEventRow {
  const row: Omit<SessionEventRow, 'hash'> = {
    seq, session_id: `s-${seq}`, kind: 'attempt', at: `2026-11-30T0${seq % 10}:00:00.000Z`, engineer: 'ravi@example.com', ticket: 'INC-1', ticket_id: 7,
    site: 'Acme/Pune', site_id: 3, host: 'pbx1', method: 'ssh', target: 'pbx1', address: '10.0.0.5', decision: 'allow', reasons: '["ok"]',
    outcome: 'allowed', bytes_in: null, bytes_out: null, detail: '{"a":1}', summary: null, prev_hash: prevHash, ...patch,
  };
  return { ...row, hash: hashRow(row) };
}

const COLUMNS = ['seq', 'session_id', 'kind', 'at', 'engineer', 'ticket', 'ticket_id', 'site', 'site_id', 'host', 'method', 'target', 'address',
  'decision', 'reasons', 'outcome', 'bytes_in', 'bytes_out', 'detail', 'summary', 'prev_hash', 'hash'] as const;

function insert(client: pg.Client, row: SessionEventRow, login?: string) {
  const columns = [...COLUMNS, ...(login ? ['login'] : [])];
  const values = [...COLUMNS.map((c) => row[c]), ...(login ? [login] : [])];
  return client.query(`INSERT INTO switchboard.log_records (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, values);
}

beforeAll(async () => {
  const admin = await postgres().connect();
  const leadPassword = newSecret();
  ({ login: leadLogin } = await initTeamStore(admin, { name: 'Lena Lead', email: 'lena@example.com', fingerprint: null }, leadPassword));
  await admin.end();
  lead = await signIn(leadLogin, leadPassword);
  const r = await addMember(lead, { name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' });
  const a = await addMember(lead, { name: 'Asha Rao', email: 'asha@example.com', role: 'engineer' });
  raviLogin = r.login;
  ashaLogin = a.login;
  ravi = await signIn(r.login, r.join_secret);
  asha = await signIn(a.login, a.join_secret);
});
afterAll(async () => { await Promise.all(clients.map((c) => c.end().catch(() => {}))); });

describe('the team store\'s log, as each person\'s own login', () => {
  let first: SessionEventRow;

  it('takes the next record of one\'s own chain, its hash computed by PostgreSQL exactly as the app computes it', async () => {
    first = record(1, GENESIS_HASH, { summary: 'quote " backslash \\ newline \n tab \t bell \u0007 é 😀 \u2028 end' });
    await insert(ravi, first);
    const second = record(2, first.hash, { detail: '{"nested":{"k":[1,2,"x"]}}', bytes_in: 1234, bytes_out: 0 });
    await insert(ravi, second);
    const stored = await lead.query('SELECT login, seq, hash FROM switchboard.log_records ORDER BY id');
    expect(stored.rows).toEqual([{ login: raviLogin, seq: '1', hash: first.hash }, { login: raviLogin, seq: '2', hash: second.hash }]);
  });

  it.each([
    ['UPDATE of a record', (c: pg.Client) => c.query("UPDATE switchboard.log_records SET summary = 'edited' WHERE seq = 1")],
    ['DELETE of a record', (c: pg.Client) => c.query('DELETE FROM switchboard.log_records WHERE seq = 1')],
    ['TRUNCATE of the log', (c: pg.Client) => c.query('TRUNCATE switchboard.log_records')],
  ])('%s is refused by PostgreSQL', async (_what, run) => {
    await expect(run(ravi)).rejects.toMatchObject({ code: expect.stringMatching(/^42501$/) });
    await expect(run(lead)).rejects.toMatchObject({ code: '42501' });
    expect((await lead.query('SELECT count(*)::int AS n FROM switchboard.log_records')).rows[0].n).toBe(2);
  });

  it('an INSERT in another engineer\'s name is refused (row-level security)', async () => {
    await expect(insert(asha, record(1, GENESIS_HASH), raviLogin)).rejects.toMatchObject({ code: '42501' });
  });

  it('a record with a wrong previous hash, a wrong hash, or a gap is refused by the trigger', async () => {
    await expect(insert(ravi, record(3, 'f'.repeat(64)))).rejects.toThrow(/does not link to the previous record's hash/);
    const forged = { ...record(3, (await ravi.query('SELECT hash FROM switchboard.log_records WHERE seq = 2')).rows[0].hash as string), summary: 'changed after hashing' };
    await expect(insert(ravi, forged)).rejects.toThrow(/its hash is not the SHA-256 of its contents/);
    await expect(insert(ravi, record(9, 'a'.repeat(64)))).rejects.toThrow(/record 8 is not in the team store/);
    await expect(insert(ravi, first)).rejects.toMatchObject({ code: '23505' });
  });

  it('a review decision from an engineer is refused; from a lead it is taken', async () => {
    await expect(insert(asha, record(1, GENESIS_HASH, { kind: 'review', engineer: 'asha@example.com' }))).rejects.toThrow(/can only come from a lead/);
    await insert(lead, record(1, GENESIS_HASH, { kind: 'review', engineer: 'lena@example.com' }));
  });

  it('a recording is stored only by the login whose own ended session names it, and only its own chunks', async () => {
    const sha = 'ab'.repeat(32);
    const head = (await ravi.query('SELECT max(seq)::int AS seq, (array_agg(hash ORDER BY seq DESC))[1] AS hash FROM switchboard.log_records WHERE login = current_user')).rows[0] as { seq: number; hash: string };
    await insert(ravi, record(head.seq + 1, head.hash, { kind: 'ended', detail: JSON.stringify({ recording: '/r/x.cast', recordingSha256: sha }) }));
    const claim = (client: pg.Client, hash: string, chunks = 2) => client.query('INSERT INTO switchboard.recordings (sha256, bytes, chunks) VALUES ($1, 10, $2)', [hash, chunks]);
    const chunk = (client: pg.Client, hash: string, n: number) => client.query('INSERT INTO switchboard.recording_chunks (sha256, chunk, data) VALUES ($1, $2, $3)', [hash, n, Buffer.from('x')]);
    await expect(claim(asha, sha)).rejects.toThrow(/is not named by an ended session of/);
    await expect(claim(ravi, 'cd'.repeat(32))).rejects.toThrow(/is not named by an ended session of/);
    await claim(ravi, sha);
    await chunk(ravi, sha, 0);
    await expect(chunk(asha, sha, 1)).rejects.toThrow(/is not one of .* recordings' chunks/);
    await expect(chunk(ravi, sha, 2)).rejects.toThrow(/is not one of .* recordings' chunks/);
  });

  it('only a lead adds members; an engineer calling the function is refused', async () => {
    await expect(addMember(ravi, { name: 'Eve', email: 'eve@example.com', role: 'lead' })).rejects.toThrow(/Only a lead of the team adds members.*permission denied for function add_member/);
    await expect(ravi.query('INSERT INTO switchboard.members (login, name, email, role) VALUES ($1, $2, $3, $4)', ['x', 'x', 'x@x', 'lead'])).rejects.toMatchObject({ code: '42501' });
  });

  it('a join secret works once: after joining, the login\'s password is the member\'s own', async () => {
    const mia = await addMember(lead, { name: 'Mia', email: 'mia@example.com', role: 'engineer' });
    const client = await signIn(mia.login, mia.join_secret);
    const own = newSecret();
    await spendJoinSecret(client, own);
    await expect(signIn(mia.login, mia.join_secret)).rejects.toThrow(/refused the sign-in/);
    await signIn(mia.login, own);
  });
});

describe('the connection', () => {
  it('is TLS with the server\'s certificate verified by default (verify-full)', async () => {
    const { address: parsed } = parseTeamStoreUrl(`postgresql://x@127.0.0.1:${postgres().port}/postgres`);
    expect(parsed.sslMode).toBe('verify-full');
    // Without the test CA, the server's certificate is not trusted: refused before any password is sent.
    await expect(connectTeamStore(parsed, ashaLogin, 'whatever')).rejects.toThrow(/certificate that is not trusted/);
  });
});

describe('the team\'s profiles, as each person\'s own login', () => {
  const document = (seats: number) => JSON.stringify({ name: 'Globex', package: 'premium', timezone: 'UTC', workdays: ['mon'], holidays: [], contacts: [], sites: [{ name: 'HQ', seats, peak_calls: 5, components: [], approved_methods: ['ssh'], hosts: [] }] });
  const profile = async () => (await lead.query("SELECT version, document->'sites'->0->>'seats' AS seats, updated_by FROM switchboard.profiles WHERE customer = 'Globex'")).rows[0] as { version: number; seats: string; updated_by: string } | undefined;

  it('a lead creates a profile at version 1, stamped with the lead\'s login by the database', async () => {
    await lead.query("INSERT INTO switchboard.profiles (customer, version, document, updated_by) VALUES ('Globex', 1, $1::jsonb, 'someone-else')", [document(10)]);
    expect(await profile()).toEqual({ version: 1, seats: '10', updated_by: leadLogin });
  });

  it('while the team\'s setting is "leads", an engineer\'s INSERT or UPDATE of a profile is refused', async () => {
    await expect(ravi.query("INSERT INTO switchboard.profiles (customer, version, document) VALUES ('Initech', 1, $1::jsonb)", [document(1)])).rejects.toThrow(/may not edit profiles: the team's setting profile_editors is "leads"/);
    await expect(ravi.query("UPDATE switchboard.profiles SET version = 2, document = $1::jsonb WHERE customer = 'Globex'", [document(99)])).rejects.toMatchObject({ code: '42501' });
    expect(await profile()).toMatchObject({ version: 1, seats: '10' });
  });

  it('an edit must make the next version: a stale or skipped version is refused, even for a lead', async () => {
    await expect(lead.query("UPDATE switchboard.profiles SET version = 3, document = $1::jsonb WHERE customer = 'Globex'", [document(30)])).rejects.toThrow(/is at version 1: an edit makes version 2, not 3/);
    await lead.query("UPDATE switchboard.profiles SET version = 2, document = $1::jsonb WHERE customer = 'Globex'", [document(20)]);
    await expect(lead.query("UPDATE switchboard.profiles SET version = 2, document = $1::jsonb WHERE customer = 'Globex'", [document(21)])).rejects.toThrow(/is at version 2: an edit makes version 3, not 2/);
    expect(await profile()).toMatchObject({ version: 2, seats: '20' });
  });

  it('profiles are never deleted and their revisions never changed, by anyone', async () => {
    for (const client of [ravi, lead]) {
      await expect(client.query("DELETE FROM switchboard.profiles WHERE customer = 'Globex'")).rejects.toMatchObject({ code: '42501' });
      await expect(client.query("UPDATE switchboard.profile_revisions SET document = '{}'::jsonb")).rejects.toMatchObject({ code: '42501' });
      await expect(client.query("INSERT INTO switchboard.profile_revisions (customer, version, document, deleted, updated_by, updated_at) VALUES ('Globex', 9, '{}'::jsonb, false, 'x', now())")).rejects.toMatchObject({ code: '42501' });
    }
    expect((await lead.query("SELECT version, updated_by FROM switchboard.profile_revisions WHERE customer = 'Globex' ORDER BY version")).rows)
      .toEqual([{ version: 1, updated_by: leadLogin }, { version: 2, updated_by: leadLogin }]);
  });

  it('only a lead changes who may edit profiles; then an engineer\'s edit is taken, and the change is on record', async () => {
    await expect(ravi.query("UPDATE switchboard.settings SET value = 'everyone' WHERE key = 'profile_editors'")).rejects.toMatchObject({ code: '42501' });
    await expect(lead.query("UPDATE switchboard.settings SET value = 'anyone' WHERE key = 'profile_editors'")).rejects.toMatchObject({ code: '23514' });
    await lead.query("UPDATE switchboard.settings SET value = 'everyone' WHERE key = 'profile_editors'");
    await ravi.query("UPDATE switchboard.profiles SET version = 3, document = $1::jsonb WHERE customer = 'Globex'", [document(33)]);
    expect(await profile()).toEqual({ version: 3, seats: '33', updated_by: raviLogin });
    expect((await ravi.query('SELECT key, old_value, new_value, changed_by FROM switchboard.setting_changes')).rows)
      .toEqual([{ key: 'profile_editors', old_value: 'leads', new_value: 'everyone', changed_by: leadLogin }]);
    await expect(ravi.query('DELETE FROM switchboard.setting_changes')).rejects.toMatchObject({ code: '42501' });
    await lead.query("UPDATE switchboard.settings SET value = 'leads' WHERE key = 'profile_editors'");
  });
});
