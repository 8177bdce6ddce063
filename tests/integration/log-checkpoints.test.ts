import { randomBytes } from 'node:crypto';
import * as keytar from 'keytar';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE } from '../../main/core/keychain/keytar-secret-store';
import { ScopedSecretStore } from '../../main/core/keychain/scoped-secret-store';
import { hashRow, GENESIS_HASH } from '../../main/core/session-log/hash-chain';
import type { SessionEventRow } from '../../main/core/session-log/types';
import { ROW_COLUMNS } from '../../main/core/session-log/verify';
import { storeId } from '../../main/core/store/store-meta';
import { generateKeyPair } from '../../main/core/transparency/ed25519';
import { ed25519NoteSigner, openNote, signNote } from '../../main/core/transparency/signed-note';
import { parseCheckpoint, formatCheckpoint } from '../../main/core/transparency/checkpoint';
import { useCores, type TestCore } from '../helpers/core';

const newCore = useCores();
const stores = new Set<string>();
afterAll(async () => {
  // Each core's keychain entries are named by its store id; remove them all.
  const all = await keytar.findCredentials(KEYCHAIN_SERVICE);
  for (const { account } of all) if ([...stores].some((id) => account.startsWith(`${id}/`))) await keytar.deletePassword(KEYCHAIN_SERVICE, account);
});

const SESSIONS = 6;
let core: TestCore;

function session(c: TestCore, i: number): void {
  const sessionId = `s-${i}-${randomBytes(3).toString('hex')}`;
  c.sessionLog.append({ sessionId, kind: 'attempt', engineer: c.engineer, ticket: `EXO-${100 + i}`, site: 'Acme/Pune', host: 'pbx1', method: 'ssh', decision: 'allow', outcome: 'allowed' });
  c.sessionLog.append({ sessionId, kind: 'ended', engineer: c.engineer, outcome: 'completed' });
}

async function engineerCore(): Promise<TestCore> {
  const c = newCore();
  stores.add(storeId(c.db));
  await c.services.accountability.initIdentity({ name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' });
  return c;
}

const count = (c: TestCore) => c.db.prepare('SELECT count(*) FROM session_events').pluck().get() as number;
const dropTriggers = (c: TestCore) => {
  for (const name of c.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ('session_events', 'checkpoints')").pluck().all() as string[]) {
    c.db.exec(`DROP TRIGGER "${name}"`);
  }
};
const row = (c: TestCore, seq: number) => c.db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq = ?`).get(seq) as SessionEventRow;

/** What an engineer who wants a record gone does: rewrite every record from `seq` on so the chain holds again. */
function rehashFrom(c: TestCore, seq: number): void {
  const rows = c.db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq >= ? ORDER BY seq`).all(seq) as SessionEventRow[];
  let prev = seq === 1 ? GENESIS_HASH : row(c, seq - 1).hash;
  for (const r of rows) {
    const linked = { ...r, prev_hash: prev };
    const hash = hashRow(linked);
    c.db.prepare('UPDATE session_events SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
    prev = hash;
  }
}

beforeEach(async () => {
  core = await engineerCore();
  for (let i = 0; i < SESSIONS; i++) session(core, i);
  await core.services.accountability.idle();
});

describe('signed checkpoints', () => {
  it('are signed after each session ends, as C2SP checkpoints of this log, and kept in the keychain too', async () => {
    const latest = core.services.accountability;
    const checkpoint = await latest.checkpoint();
    const body = parseCheckpoint(openNote(checkpoint.note).text);
    expect(body.origin).toMatch(/^switchboard\/log\/[0-9a-f]{32}$/);
    expect(body.size).toBe(count(core));
    expect(body.extensions[0]).toMatch(/^time \d{4}-\d{2}-\d{2}T/);
    expect(openNote(checkpoint.note).signatures.map((s) => s.name)).toEqual(['ravi@example.com']);
    // One per session end, plus the identity record's, plus this one.
    expect(core.db.prepare('SELECT count(*) FROM checkpoints').pluck().get()).toBeGreaterThanOrEqual(2);
    const outside = await keytar.getPassword(KEYCHAIN_SERVICE, ScopedSecretStore.account(storeId(core.db), 'checkpoint', 'latest'));
    expect(outside).toBe(checkpoint.note);
    expect(await latest.verify()).toMatchObject({ ok: true, count: count(core), checkpoints: { latest: { size: count(core) } } });
  });

  it('name the deleted tail, even with the triggers dropped and the checkpoints table cut back too', async () => {
    const total = count(core);
    dropTriggers(core);
    core.db.prepare('DELETE FROM session_events WHERE seq > ?').run(total - 4);
    core.db.prepare('DELETE FROM checkpoints').run();
    core.db.prepare('DELETE FROM merkle_nodes').run();
    expect(core.sessionLog.verify()).toMatchObject({ ok: true }); // the chain alone cannot see it
    const result = await core.services.accountability.verify();
    expect(result).toMatchObject({ ok: false, problem: 'truncated', seq: total - 3 });
    expect(!result.ok && result.message).toBe(
      `records ${total - 3}–${total} are missing: the checkpoint signed ${!result.ok && /signed (\S+)/.exec(result.message)![1]} (the copy kept in the keychain) covers ${total} records, but the log now ends at record ${total - 4}. The newest records were deleted.`,
    );
  });

  it('name a tail cut and written again (the chain re-hashed and as long as before)', async () => {
    const total = count(core);
    dropTriggers(core);
    core.db.prepare('DELETE FROM session_events WHERE seq > ?').run(total - 4);
    core.db.prepare('DELETE FROM merkle_nodes').run();
    // New records in place of the deleted ones: the chain links, the count is back.
    for (let i = 0; i < 3; i++) session(core, 50 + i);
    expect(core.sessionLog.verify()).toMatchObject({ ok: true });
    const result = await core.services.accountability.verify();
    expect(result).toMatchObject({ ok: false, problem: 'rewritten' });
    expect(!result.ok && result.message).toMatch(new RegExp(`^The log was rewritten: its first ${total} records no longer produce the root`));
  });

  it('name a record edited in the middle with the chain re-hashed after it, narrowed by the checkpoints that still hold', async () => {
    const held = (await core.services.accountability.checkpoint()).size;
    for (let i = 0; i < 3; i++) session(core, 20 + i);
    await core.services.accountability.checkpoint();
    dropTriggers(core);
    core.db.prepare("UPDATE session_events SET outcome = 'denied' WHERE seq = ?").run(held + 2);
    rehashFrom(core, held + 2);
    expect(core.sessionLog.verify()).toMatchObject({ ok: true }); // the chain alone cannot see it
    const result = await core.services.accountability.verify();
    expect(result).toMatchObject({ ok: false, problem: 'rewritten', seq: held + 1 });
    expect(!result.ok && result.message).toMatch(new RegExp(`Records up to ${held} still match an earlier checkpoint, so records ${held + 1}–${held + 6} were changed, removed or replaced`));
  });

  it('refuse a checkpoint signed by another key, naming it', async () => {
    dropTriggers(core);
    const stranger = generateKeyPair();
    const body = formatCheckpoint({ origin: core.services.accountability ? parseCheckpoint(openNote((await core.services.accountability.checkpoint()).note).text).origin : '', size: 1, rootHash: Buffer.alloc(32, 7), extensions: ['time 2026-11-29T00:00:00Z'] });
    const forged = signNote(body, [ed25519NoteSigner('ravi@example.com', stranger.privateKeyPem)]);
    core.db.prepare("INSERT INTO checkpoints (size, root_hash, signed_at, reason, note) VALUES (1, 'x', '2026-11-29T00:00:00Z', 'on-demand', ?)").run(forged);
    const result = await core.services.accountability.verify();
    expect(result).toMatchObject({ ok: false, problem: 'bad-checkpoint', message: expect.stringMatching(/does not carry a valid signature of this data dir's key \(ravi@example.com\); it was forged or altered/) });
  });

  it('still verify after the Merkle cache is lost, and rebuild it when signing next', async () => {
    core.db.prepare('DELETE FROM merkle_nodes').run();
    session(core, 99);
    await core.services.accountability.idle();
    expect(await core.services.accountability.verify()).toMatchObject({ ok: true, count: count(core) });
    const signed = await core.services.accountability.checkpoint();
    expect(signed.size).toBe(count(core));
    expect(await core.services.accountability.verify()).toMatchObject({ ok: true });
  });

  it('keep two data dirs on one keychain apart', async () => {
    const other = await engineerCore();
    const mine = await keytar.getPassword(KEYCHAIN_SERVICE, ScopedSecretStore.account(storeId(core.db), 'identity', 'ed25519-private-key'));
    const theirs = await keytar.getPassword(KEYCHAIN_SERVICE, ScopedSecretStore.account(storeId(other.db), 'identity', 'ed25519-private-key'));
    expect(mine).toMatch(/BEGIN PRIVATE KEY/);
    expect(theirs).toMatch(/BEGIN PRIVATE KEY/);
    expect(mine).not.toBe(theirs);
    await core.services.credentials.set('shared-name', 'password', 'secret-of-core');
    await other.services.credentials.set('shared-name', 'password', 'secret-of-other');
    expect(await core.credentials.reveal('shared-name')).toBe('secret-of-core');
    expect(await other.credentials.reveal('shared-name')).toBe('secret-of-other');
  });

  it('records name the identity, and the private key never reaches the database', async () => {
    expect(core.engineer).toBe('ravi@example.com'); // set at init: this test core opened without one
    const identity = await core.services.accountability.identity();
    expect(identity).toMatchObject({ email: 'ravi@example.com', publicKey: expect.stringMatching(/^ed25519:/), fingerprint: expect.stringMatching(/^SHA256:/) });
    const pem = await keytar.getPassword(KEYCHAIN_SERVICE, ScopedSecretStore.account(storeId(core.db), 'identity', 'ed25519-private-key'));
    const body = pem!.split('\n').filter((l) => !l.startsWith('-----')).join('');
    const dump = JSON.stringify(core.db.prepare('SELECT * FROM identity').all()) + JSON.stringify(core.db.prepare('SELECT * FROM session_events').all());
    expect(dump.includes(body)).toBe(false);
  });
});
