import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionLog } from '../../main/core/session-log/session-log';
import { openDatabase } from '../../main/core/store/database';
import { ROOT } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-session-kill-');
let bundle: string;
let child: string;

/**
 * The child runs the real SessionLog and openDatabase, bundled here (packages stay external and
 * resolve from the project's node_modules), and prints each seq only after append has returned.
 */
beforeAll(async () => {
  const dir = tempDir();
  bundle = path.join(dir, 'session-log.cjs');
  await build({
    stdin: {
      contents: "export { openDatabase } from './main/core/store/database';\nexport { SessionLog } from './main/core/session-log/session-log';\n",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', outfile: bundle, logLevel: 'warning',
  });
  child = path.join(dir, 'child.cjs');
  fs.writeFileSync(child, `
    const fs = require('node:fs');
    const { openDatabase, SessionLog } = require(process.argv[2]);
    const log = new SessionLog(openDatabase(process.argv[3]));
    const kinds = ['attempt', 'started', 'ended'];
    for (let i = 0; ; i++) {
      const kind = kinds[i % 3];
      const event = log.append({
        sessionId: process.argv[4] + '-' + Math.floor(i / 3), kind, engineer: 'child', ticket: 'EXO-1',
        outcome: kind === 'ended' ? 'completed' : null, detail: { i },
      });
      fs.writeSync(1, event.seq + '\\n');
    }
  `);
});

/** Starts the child, waits for `count` committed seqs, SIGKILLs it mid-loop, returns what it reported. */
function appendThenKill(dataDir: string, round: string, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, bundle, dataDir, round], {
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const seqs: number[] = [];
    let partial = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      seqs.push(...lines.map(Number));
      if (seqs.length >= count && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(seqs);
      else reject(new Error(`child exited early (${signal ?? _code}): ${stderr}`));
    });
  });
}

describe('SessionLog under SIGKILL', () => {
  it('keeps every event reported as committed, with the chain intact, across kills', async () => {
    const dataDir = tempDir();
    const reported: number[] = [];
    for (const round of ['first', 'second']) {
      reported.push(...(await appendThenKill(dataDir, round, 300)));
      const db = openDatabase(dataDir);
      try {
        const log = new SessionLog(db);
        const stored = new Set(db.prepare('SELECT seq FROM session_events').pluck().all() as number[]);
        expect(reported.filter((seq) => !stored.has(seq))).toEqual([]);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const verified = log.verify();
        expect(verified).toMatchObject({ ok: true });
        expect(verified.ok && verified.count).toBe(stored.size);

        // At most the one session in flight was cut off; it is closed by appending, once.
        const open = db
          .prepare("SELECT count(DISTINCT session_id) FROM session_events s WHERE kind = 'started' AND NOT EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.session_id AND e.kind IN ('ended', 'interrupted'))")
          .pluck().get() as number;
        expect(open).toBeLessThanOrEqual(1);
        expect(log.recoverInterrupted()).toBe(open);
        expect(log.recoverInterrupted()).toBe(0);
        expect(log.verify()).toMatchObject({ ok: true, count: stored.size + open });
      } finally {
        db.close();
      }
    }
    expect(reported.length).toBeGreaterThanOrEqual(600);
    expect(reported).toEqual([...reported].sort((a, b) => a - b));
  });
});
