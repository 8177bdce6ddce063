import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleView } from '../../contract/accountability';
import type { Bundle } from '../../main/core/accountability/bundle-format';
import { KEYCHAIN_SERVICE } from '../../main/core/keychain/keytar-secret-store';
import { recordingFile } from '../../main/core/paths';
import { GENESIS_HASH, hashRow } from '../../main/core/session-log/hash-chain';
import type { SessionEventRow } from '../../main/core/session-log/types';
import { ROW_COLUMNS } from '../../main/core/session-log/verify';
import { storeId } from '../../main/core/store/store-meta';
import { generateKeyPair } from '../../main/core/transparency/ed25519';
import { ed25519NoteSigner, openNote, signNote } from '../../main/core/transparency/signed-note';
import { useCores, type TestCore } from '../helpers/core';

/**
 * Bundles across three data dirs on one keychain: a lead and two engineers, real SQLite files, real
 * recordings on disk. The lead's import is held to every check by name, and a refused bundle leaves
 * the lead's data dir exactly as it was.
 */
const newCore = useCores();
const stores = new Set<string>();
afterAll(async () => {
  const all = await keytar.findCredentials(KEYCHAIN_SERVICE);
  for (const { account } of all) if ([...stores].some((id) => account.startsWith(`${id}/`))) await keytar.deletePassword(KEYCHAIN_SERVICE, account);
});

async function person(name: string, email: string, role: 'engineer' | 'lead'): Promise<TestCore> {
  const c = newCore();
  stores.add(storeId(c.db));
  await c.services.accountability.initIdentity({ name, email, role });
  return c;
}

let counter = 0;
/** A session as the lifecycle writes it, with an asciicast recording on disk named in its 'ended' record. */
function session(c: TestCore, options: { exception?: boolean; site?: string } = {}): string {
  counter += 1;
  const sessionId = `s${counter}-${randomBytes(4).toString('hex')}`;
  const base = { sessionId, engineer: c.engineer, ticket: `EXO-${100 + counter}`, site: options.site ?? 'Acme/Pune', host: 'pbx1', method: 'ssh' };
  c.sessionLog.append({ ...base, kind: 'attempt', decision: 'allow', outcome: 'allowed', ...(options.exception ? { detail: { approval: { by: 'lena@example.com', until: '2099-01-01' } } } : {}) });
  c.sessionLog.append({ sessionId, kind: 'started', engineer: c.engineer, outcome: 'connected' });
  const file = recordingFile(c.dataDir, sessionId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const cast = `{"version":2,"width":80,"height":24,"timestamp":1700000000}\n[0.1,"o","hello ${sessionId}\\r\\n"]\n`;
  fs.writeFileSync(file, cast, { mode: 0o600 });
  const sha = createHash('sha256').update(cast).digest('hex');
  c.sessionLog.append({ sessionId, kind: 'ended', engineer: c.engineer, outcome: 'completed', detail: { exitCode: 0, recording: file, recordingSha256: sha } });
  return sessionId;
}

const acc = (c: TestCore) => c.services.accountability;
const count = (c: TestCore, table: string) => c.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

/** Everything an import may write, to show a refused one wrote nothing. */
function leadState(lead: TestCore): unknown {
  const folder = path.join(lead.dataDir, 'imported-recordings');
  return {
    logs: lead.db.prepare('SELECT engineer_key, size, root_hash, frontier, bundles FROM imported_logs ORDER BY engineer_key').all(),
    events: count(lead, 'imported_events'),
    recordings: count(lead, 'imported_recordings'),
    sessions: count(lead, 'review_sessions'),
    chain: count(lead, 'session_events'),
    files: fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [],
  };
}

async function refused(lead: TestCore, text: string, reason: RegExp): Promise<string> {
  const before = leadState(lead);
  const error = await acc(lead).importBundle(text).then(() => null, (e: Error) => e);
  expect(error, 'the bundle was accepted').not.toBeNull();
  expect(error!.message).toMatch(reason);
  expect(leadState(lead)).toEqual(before);
  return error!.message;
}

const edit = (b: BundleView, change: (bundle: Bundle) => void): string => {
  const bundle = JSON.parse(b.text) as Bundle;
  change(bundle);
  return JSON.stringify(bundle);
};

function dropTriggers(c: TestCore): void {
  for (const name of c.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ('session_events', 'checkpoints')").pluck().all() as string[]) {
    c.db.exec(`DROP TRIGGER "${name}"`);
  }
}

function rehashFrom(c: TestCore, seq: number): void {
  const rows = c.db.prepare(`SELECT ${ROW_COLUMNS} FROM session_events WHERE seq >= ? ORDER BY seq`).all(seq) as SessionEventRow[];
  let prev = seq === 1 ? GENESIS_HASH : (c.db.prepare('SELECT hash FROM session_events WHERE seq = ?').pluck().get(seq - 1) as string);
  for (const r of rows) {
    const hash = hashRow({ ...r, prev_hash: prev });
    c.db.prepare('UPDATE session_events SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
    prev = hash;
  }
}

let lead: TestCore;
let ravi: TestCore;
let mia: TestCore;
let outsider: TestCore;

beforeAll(async () => {
  lead = await person('Lena Park', 'lena@example.com', 'lead');
  ravi = await person('Ravi Nair', 'ravi@example.com', 'engineer');
  mia = await person('Mia Wong', 'mia@example.com', 'engineer');
  outsider = await person('Otto Out', 'otto@example.com', 'engineer');
  const key = async (c: TestCore) => (await acc(c).identity())!.publicKey;
  const yaml = `version: 1
team: Premium Support EMEA
members:
  - { name: Lena Park, email: lena@example.com, role: lead, public_key: "${await key(lead)}" }
  - { name: Ravi Nair, email: ravi@example.com, role: engineer, public_key: "${await key(ravi)}" }
  - { name: Mia Wong, email: mia@example.com, role: engineer, public_key: "${await key(mia)}" }
`;
  const signed = await acc(lead).signRoster(yaml);
  await acc(lead).importRoster(signed);
  const leadFingerprint = (await acc(lead).identity())!.fingerprint;
  for (const c of [ravi, mia]) await acc(c).importRoster(signed, leadFingerprint);
});

describe('bundles from two engineers, witnessed and handed back', () => {
  it('accepts two bundles from each engineer in order, fills the review queue and shows the witness', async () => {
    for (let i = 0; i < 3; i++) session(ravi, { exception: i === 1 });
    session(ravi, { site: 'Globex/Berlin Main' });
    const first = await acc(ravi).bundle();
    expect(first).toMatchObject({ from: 1, previousSize: null, sessions: 4, recordings: 4, warnings: [] });
    const accepted = await acc(lead).importBundle(first.text);
    expect(accepted).toMatchObject({ engineer: { email: 'ravi@example.com' }, from: 1, to: first.to, sessions: 4, recordings: 4, firstImport: true });

    // The lead cosigned: the engineer takes it back and the app shows it.
    expect(await acc(ravi).witnessStatus()).toMatchObject({ witnessed: null });
    expect(await acc(ravi).importWitness(accepted.cosignedNote)).toMatchObject({ size: first.to, by: 'Lena Park', alreadyKnown: false });
    const status = await acc(ravi).witnessStatus();
    expect(status.witnessed).toMatchObject({ size: first.to, by: 'Lena Park' });
    expect(status.daysSinceWitnessed).toBe(0);
    expect(await acc(ravi).importWitness(accepted.cosignedNote)).toMatchObject({ alreadyKnown: true });

    session(ravi);
    session(ravi);
    const second = await acc(ravi).bundle();
    expect(second).toMatchObject({ from: first.to + 1, previousSize: first.to, sessions: 2, recordings: 2 });
    const secondAccepted = await acc(lead).importBundle(second.text);
    expect(secondAccepted).toMatchObject({ from: first.to + 1, to: second.to, sessions: 2, firstImport: false });
    await acc(ravi).importWitness(secondAccepted.cosignedNote);
    expect((await acc(ravi).witnessStatus()).witnessed).toMatchObject({ size: second.to });

    // Mia never takes her witness back: her second bundle starts at record 1 again and overlaps what was accepted.
    session(mia);
    const miaFirst = await acc(mia).bundle();
    expect((await acc(lead).importBundle(miaFirst.text)).sessions).toBe(1);
    session(mia);
    const miaSecond = await acc(mia).bundle();
    expect(miaSecond.from).toBe(1);
    expect(await acc(lead).importBundle(miaSecond.text)).toMatchObject({ from: miaFirst.to + 1, to: miaSecond.to, sessions: 1 });

    const queue = lead.db.prepare('SELECT engineer, session_id, ticket, customer, site, method, decision, outcome, exception, recording_sha256, ended_at, state FROM review_sessions ORDER BY id').all() as Record<string, unknown>[];
    expect(queue).toHaveLength(8);
    expect(queue.filter((r) => r.engineer === 'ravi@example.com')).toHaveLength(6);
    expect(queue.filter((r) => r.exception === 1)).toHaveLength(1);
    expect(queue.find((r) => r.customer === 'Globex')).toMatchObject({ site: 'Berlin Main', method: 'ssh', decision: 'allow', outcome: 'completed', state: 'unreviewed' });
    for (const row of queue) {
      expect(row.ended_at).not.toBeNull();
      const file = path.join(lead.dataDir, 'imported-recordings', `${row.recording_sha256 as string}.cast`);
      expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(row.recording_sha256);
      if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(lead.db.prepare('SELECT engineer, size, bundles FROM imported_logs ORDER BY engineer').all()).toEqual([
      { engineer: 'mia@example.com', size: miaSecond.to, bundles: 2 },
      { engineer: 'ravi@example.com', size: second.to, bundles: 2 },
    ]);
    // Every acceptance is a record of the lead's own chain, and the lead's log still verifies.
    expect(lead.db.prepare("SELECT count(*) FROM session_events WHERE kind = 'bundle'").pluck().get()).toBe(4);
    expect(await acc(lead).verify()).toMatchObject({ ok: true });
    // The engineers' exports are on their record too.
    expect(ravi.db.prepare("SELECT count(*) FROM session_events WHERE kind = 'bundle' AND summary LIKE 'Bundle of records%'").pluck().get()).toBe(2);
  });
});

describe('a lead refuses a bundle by name, and imports nothing of it', () => {
  let fresh: BundleView;
  beforeAll(async () => {
    session(ravi);
    session(ravi);
    session(ravi);
    fresh = await acc(ravi).bundle();
    expect((JSON.parse(fresh.text) as Bundle).records.length).toBeGreaterThan(8);
  });

  it('an edited record', async () => {
    await refused(lead, edit(fresh, (b) => { b.records[3]!.outcome = 'denied'; }), /^Bundle refused \(edited\): record \d+ .* was edited: its contents no longer match its hash/);
  });

  it('a consistency proof that does not prove the new checkpoint extends the witnessed one', async () => {
    expect((JSON.parse(fresh.text) as Bundle).previous).not.toBeNull();
    await refused(lead, edit(fresh, (b) => {
      const proof = Buffer.from(b.previous!.consistencyProof[0]!, 'base64');
      proof[0]! ^= 1;
      b.previous!.consistencyProof[0] = proof.toString('base64');
    }), /^Bundle refused \(fork\): the new checkpoint \(\d+ records\) is not consistent with the checkpoint of \d+ records it builds on/);
  });

  it('a record edited with the rest of the chain in the file re-hashed (only the signed root shows it)', async () => {
    await refused(lead, edit(fresh, (b) => {
      b.checkpoints = [];
      b.records[3]!.outcome = 'denied';
      let prev = b.records[3]!.prev_hash;
      for (const r of b.records.slice(3)) {
        r.prev_hash = prev;
        r.hash = hashRow(r);
        prev = r.hash;
      }
    }), /^Bundle refused \(rewritten\): the records do not produce the Merkle root Ravi Nair signed for \d+ records/);
  });

  it('a deleted record', async () => {
    await refused(lead, edit(fresh, (b) => { b.records.splice(4, 1); }), /^Bundle refused \(deleted\): record \d+ is missing: the bundle jumps from record \d+ to record \d+/);
  });

  it('an inserted record (hashed and linked, the rest left as they were)', async () => {
    await refused(lead, edit(fresh, (b) => {
      const before = b.records[2]!;
      const forged = { ...before, seq: before.seq + 1, session_id: 'forged', kind: 'attempt', summary: 'never happened', prev_hash: before.hash, detail: null };
      forged.hash = hashRow(forged);
      b.records.splice(3, 0, forged);
    }), /^Bundle refused \(inserted\)/);
  });

  it('reordered records', async () => {
    await refused(lead, edit(fresh, (b) => { const [x] = b.records.splice(3, 1); b.records.splice(4, 0, x!); }), /^Bundle refused \(reordered\): record \d+ .* is out of order/);
  });

  it('a swapped recording (the file replaced, its hash in the file updated too)', async () => {
    const message = await refused(lead, edit(fresh, (b) => {
      const other = Buffer.from('{"version":2,"width":80,"height":24}\n[0.1,"o","nothing to see"]\n');
      b.recordings[0]!.data = other.toString('base64');
      b.recordings[0]!.sha256 = createHash('sha256').update(other).digest('hex');
      b.recordings[0]!.bytes = other.length;
    }), /^Bundle refused \(swapped recording\): the recording of session \S+ hashes to [0-9a-f]{64}, but record \d+ states [0-9a-f]{64}/);
    expect(message).toContain((JSON.parse(fresh.text) as Bundle).recordings[0]!.sessionId);
  });

  it('a swapped recording on the engineer\'s disk before the export', async () => {
    const id = session(ravi);
    const file = recordingFile(ravi.dataDir, id);
    const original = fs.readFileSync(file);
    fs.writeFileSync(file, '{"version":2,"width":80,"height":24}\n[0.2,"o","edited"]\n');
    const bundle = await acc(ravi).bundle();
    expect(bundle.warnings.join('\n')).toMatch(/no longer matches the SHA-256 its record states/);
    await refused(lead, bundle.text, new RegExp(`^Bundle refused \\(swapped recording\\): the recording of session ${id} hashes to`));
    fs.writeFileSync(file, original);
  });

  it('a forged checkpoint signature, and an altered manifest', async () => {
    const stranger = generateKeyPair();
    await refused(lead, edit(fresh, (b) => {
      b.checkpoint = signNote(openNote(b.checkpoint).text, [ed25519NoteSigner('ravi@example.com', stranger.privateKeyPem)]);
    }), /^Bundle refused \(forged signature\): the bundle's checkpoint does not carry a valid signature of Ravi Nair's key \(SHA256:/);
    await refused(lead, edit(fresh, (b) => { b.manifest = b.manifest.replace(/^checkpoint (\d+)/m, (_, n: string) => `checkpoint ${Number(n) + 1}`); }), /^Bundle refused \(forged signature\): the bundle's manifest/);
  });

  it('an engineer who is not in the roster', async () => {
    session(outsider);
    const theirs = await acc(outsider).bundle();
    await refused(lead, theirs.text, /^Bundle refused \(not in the roster\): Otto Out <otto@example.com> \(SHA256:\S+\) is not in the roster of Premium Support EMEA/);
  });

  it('an import by someone who is not a lead', async () => {
    const error = await acc(mia).importBundle(fresh.text).then(() => null, (e: { code: string; message: string }) => e);
    expect(error).toMatchObject({ code: 'NOT_A_LEAD', message: expect.stringMatching(/Mia Wong <mia@example.com> .* is an engineer in this data dir's roster of Premium Support EMEA; only a lead imports/) });
    expect(count(mia, 'imported_events')).toBe(0);
  });

  it('a replayed old bundle (and the same bundle twice)', async () => {
    const accepted = await acc(lead).importBundle(fresh.text);
    await acc(ravi).importWitness(accepted.cosignedNote);
    await refused(lead, fresh.text, /^Bundle refused \(replayed old bundle\): its checkpoint \(\d+ records, signed \S+\) is not newer than the one accepted/);
    const older = (await acc(ravi).bundle({ since: '2000-01-01' })).text; // signed now, but a later one will be accepted first
    session(ravi);
    const newer = await acc(ravi).bundle();
    await acc(lead).importBundle(newer.text).then((a) => acc(ravi).importWitness(a.cosignedNote));
    await refused(lead, older, /^Bundle refused \(replayed old bundle\)/);
  });

  it('a gap: records missing between the accepted bundle and this one', async () => {
    session(ravi);
    const since = new Date(Date.now() + 5).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    session(ravi);
    const skipping = await acc(ravi).bundle({ since });
    await refused(lead, skipping.text, /^Bundle refused \(gap\): records? \d+(–\d+)? (is|are) missing: the lead accepted Ravi Nair's log up to record \d+ and this bundle starts at record \d+/);
  });

  it('a fork: history rewritten after a bundle was accepted', async () => {
    dropTriggers(ravi);
    ravi.db.prepare("UPDATE session_events SET outcome = 'denied' WHERE seq = 3").run();
    rehashFrom(ravi, 3);
    ravi.db.prepare('DELETE FROM merkle_nodes').run();
    session(ravi);
    const forked = await acc(ravi).bundle();
    await refused(lead, forked.text, /^Bundle refused \(fork\): Ravi Nair's history was rewritten after a bundle was accepted: record \d+ does not follow record \d+ as the lead accepted it/);
  });
});

describe('a cut-off tail is refused by the lead', () => {
  it('with the triggers dropped, the chain re-hashed and the checkpoints table cut back (the keychain copy travels)', async () => {
    session(mia);
    const accepted = await acc(lead).importBundle((await acc(mia).bundle()).text);
    await acc(mia).importWitness(accepted.cosignedNote);
    const witnessed = accepted.to;
    for (let i = 0; i < 3; i++) session(mia);
    await acc(mia).idle();
    const total = count(mia, 'session_events');
    dropTriggers(mia);
    mia.db.prepare('DELETE FROM session_events WHERE seq > ?').run(witnessed + 4);
    mia.db.prepare('DELETE FROM checkpoints WHERE size > ?').run(witnessed + 4);
    mia.db.prepare('DELETE FROM merkle_nodes').run();
    expect(mia.sessionLog.verify()).toMatchObject({ ok: true }); // the chain alone cannot see it
    const cut = await acc(mia).bundle();
    await refused(lead, cut.text, new RegExp(`^Bundle refused \\(truncated\\): Mia Wong signed a checkpoint of ${total} records on \\S+, but this bundle's log ends at record ${witnessed + 4}`));

    // Cut back below what the lead already accepted: named against the accepted head.
    mia.db.prepare('DELETE FROM session_events WHERE seq > ?').run(witnessed - 3);
    mia.db.prepare('DELETE FROM checkpoint_cosignatures').run();
    mia.db.prepare('DELETE FROM merkle_nodes').run();
    const shorter = await acc(mia).bundle({ since: '2000-01-01' });
    await refused(lead, shorter.text, new RegExp(`^Bundle refused \\(truncated\\): Mia Wong's log now ends at record ${witnessed - 3}, but the lead accepted ${witnessed} records`));
  });
});

describe('the witness an engineer takes back', () => {
  it('must be cosigned by a lead of the roster, over this log', async () => {
    const checkpoint = await acc(ravi).checkpoint();
    const error = (p: Promise<unknown>) => p.then(() => null, (e: { code: string; message: string }) => e);
    // Not cosigned at all.
    expect(await error(acc(ravi).importWitness(checkpoint.note))).toMatchObject({ code: 'UNTRUSTED_SIGNER', message: expect.stringMatching(/not cosigned by a lead of the roster/) });
    // Another log's checkpoint, cosigned by the lead.
    session(mia);
    const miaBundle = await acc(mia).bundle({ since: '2000-01-01' });
    expect(await error(acc(ravi).importWitness((JSON.parse(miaBundle.text) as Bundle).checkpoint))).toMatchObject({ message: expect.stringMatching(/^This witness is for another log/) });
  });
});
