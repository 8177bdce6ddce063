import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, type AuditInputs } from '../../main/core/accountability/log-audit';
import { AuditCancelled, auditLogInWorkers } from '../../main/core/accountability/parallel-audit';
import { LogTree } from '../../main/core/accountability/log-tree';
import { SessionLog } from '../../main/core/session-log/session-log';
import { DATABASE_FILE, openDatabase, type Db } from '../../main/core/store/database';
import { formatCheckpoint } from '../../main/core/transparency/checkpoint';
import { generateKeyPair } from '../../main/core/transparency/ed25519';
import { ed25519NoteSigner, ed25519NoteVerifier, signNote } from '../../main/core/transparency/signed-note';
import { buildNodeBundles, ROOT } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-audit-workers-');
const WORKER = path.join(ROOT, 'out', 'main', 'verify-worker.cjs');
const RECORDS = 25_000; // above the size where verification moves to worker threads
const key = generateKeyPair();

beforeAll(async () => {
  await buildNodeBundles();
}, 180_000);

function filledLog(): { db: Db; file: string; tree: LogTree } {
  const dir = tempDir();
  const db = openDatabase(dir);
  const log = new SessionLog(db);
  const tree = new LogTree(db);
  log.listen({ linked: (row) => tree.add(row) });
  db.pragma('synchronous = OFF');
  db.transaction(() => {
    for (let i = 0; i < RECORDS; i++) log.append({ sessionId: `s-${i >> 1}`, kind: i % 2 ? 'ended' : 'attempt', engineer: 'ravi@example.com', outcome: i % 2 ? 'completed' : 'allowed', detail: { n: i, text: 'é "quoted"\t' } });
  })();
  return { db, file: path.join(dir, DATABASE_FILE), tree };
}

const checkpoint = (tree: LogTree, size: number) => ({
  note: signNote(formatCheckpoint({ origin: 'switchboard/log/test', size, rootHash: tree.root(size), extensions: ['time 2026-11-29T00:00:00Z'] }), [ed25519NoteSigner('ravi@example.com', key.privateKeyPem)]),
  source: `checkpoint at ${size}`,
});

const inputs = (tree: LogTree, sizes: number[]): AuditInputs => ({
  checkpoints: sizes.map((s) => checkpoint(tree, s)), origin: 'switchboard/log/test', verifier: ed25519NoteVerifier('ravi@example.com', key.publicKey),
});

describe('verification on worker threads', () => {
  it('agrees with the single-thread audit on an intact log, for checkpoints on both sides of the split', async () => {
    const { db, file, tree } = filledLog();
    const sizes = [1, 1000, 16_384, 16_385, 20_000, RECORDS];
    const how: string[] = [];
    // The core's own thread is free meanwhile: its event loop turns before the verdict comes back.
    let loopTurned = false;
    setImmediate(() => { loopTurned = true; });
    const parallel = await auditLogInWorkers(db, file, inputs(tree, sizes), WORKER, { scanned: (h) => how.push(h) });
    expect(loopTurned).toBe(true);
    expect(how).toEqual(['workers']);
    expect(parallel).toEqual(auditLog(db, inputs(tree, sizes)));
    expect(parallel).toMatchObject({ ok: true, count: RECORDS, checkpoints: { checked: sizes.length } });
    db.close();
  });

  it.each([
    ['in the first half', 10],
    ['in the second half', 20_000],
  ])('names a record edited %s, as the single-thread audit does', async (_where, seq) => {
    const { db, file, tree } = filledLog();
    const audit = inputs(tree, [RECORDS]);
    db.exec('DROP TRIGGER session_events_noUpdate');
    db.prepare("UPDATE session_events SET outcome = 'failed' WHERE seq = ?").run(seq);
    const parallel = await auditLogInWorkers(db, file, audit, WORKER);
    expect(parallel).toMatchObject({ ok: false, seq, problem: 'edited' });
    expect(parallel).toEqual(auditLog(db, audit));
    db.close();
  });

  it('names a root that no longer matches, joined across the split', async () => {
    const { db, file, tree } = filledLog();
    const other = filledLog(); // the same kind of records, written at other times: another root
    const how: string[] = [];
    const result = await auditLogInWorkers(db, file, { ...inputs(tree, []), checkpoints: [checkpoint(other.tree, RECORDS)] }, WORKER, { scanned: (h) => how.push(h) });
    expect(how).toEqual(['workers']); // the halves held; only the joined root did not
    expect(result).toMatchObject({ ok: false, problem: 'rewritten' });
    expect(result).toEqual(auditLog(db, { ...inputs(tree, []), checkpoints: [checkpoint(other.tree, RECORDS)] }));
    db.close();
    other.db.close();
  });

  it('says how far it got as the workers go, ending at the log\'s size', async () => {
    const { db, file, tree } = filledLog();
    const seen: [number, number][] = [];
    const result = await auditLogInWorkers(db, file, inputs(tree, [RECORDS]), WORKER, { progress: (done, total) => seen.push([done, total]) });
    expect(result).toMatchObject({ ok: true, count: RECORDS });
    expect(seen.every(([, total]) => total === RECORDS)).toBe(true);
    expect(seen.filter(([done]) => done > 0 && done < RECORDS).length).toBeGreaterThan(2); // reported on the way, not only at the end
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual([RECORDS, RECORDS]);
    db.close();
  });

  it('stops when cancelled, and the log is as it was', async () => {
    const { db, file, tree } = filledLog();
    const before = db.prepare('SELECT count(*) AS n, max(hash) AS h FROM session_events').get();
    const controller = new AbortController();
    const run = auditLogInWorkers(db, file, inputs(tree, [RECORDS]), WORKER, { signal: controller.signal, progress: (done) => { if (done > 0) controller.abort(); } });
    await expect(run).rejects.toBeInstanceOf(AuditCancelled);
    expect(db.prepare('SELECT count(*) AS n, max(hash) AS h FROM session_events').get()).toEqual(before);
    expect(await auditLogInWorkers(db, file, inputs(tree, [RECORDS]), WORKER)).toMatchObject({ ok: true, count: RECORDS });
    db.close();
  });

  it('names a deleted record on a worker too, never on the core\'s thread', async () => {
    const { db, file, tree } = filledLog();
    db.exec('DROP TRIGGER session_events_noDelete');
    db.prepare('DELETE FROM session_events WHERE seq = ?').run(12_345);
    const how: string[] = [];
    let loopTurned = false;
    setImmediate(() => { loopTurned = true; });
    const result = await auditLogInWorkers(db, file, inputs(tree, [RECORDS]), WORKER, { scanned: (h) => how.push(h) });
    expect(loopTurned).toBe(true);
    expect(how).toEqual(['one worker']);
    expect(result).toMatchObject({ ok: false, seq: 12_345, problem: 'deleted' });
    expect(result).toEqual(auditLog(db, inputs(tree, [RECORDS])));
    db.close();
  });
});
