import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, type AuditInputs } from '../../main/core/accountability/log-audit';
import { auditLogInWorkers } from '../../main/core/accountability/parallel-audit';
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
    const parallel = await auditLogInWorkers(db, file, inputs(tree, sizes), WORKER, (h) => how.push(h));
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
    const result = await auditLogInWorkers(db, file, { ...inputs(tree, []), checkpoints: [checkpoint(other.tree, RECORDS)] }, WORKER, (h) => how.push(h));
    expect(how).toEqual(['workers']); // the halves held; only the joined root did not
    expect(result).toMatchObject({ ok: false, problem: 'rewritten' });
    expect(result).toEqual(auditLog(db, { ...inputs(tree, []), checkpoints: [checkpoint(other.tree, RECORDS)] }));
    db.close();
    other.db.close();
  });
});
