import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView, SessionEventView, SessionRecordView } from '../../contract/models';
import { openTestCore as openCore } from '../helpers/core';
import { recordingFile } from '../../main/core/paths';
import { CLI_BIN, ROOT, buildNodeBundles, runCli, setUpCliSshLab } from '../helpers/cli';
import { call } from '../helpers/core';
import { sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';

const unavailable = sshdUnavailable();
const SITE = 'Loopback Labs/lab';
const MARKER = 'recorded-before-the-crash';

/**
 * `switchboard connect --method ssh` records into recordings/<session>.cast and hashes the file only
 * when the session ends. Killed with SIGKILL mid-session (a crash, a power cut, the OOM killer), it
 * leaves a recording nobody hashed; the next start must find it, hash it and name it in the log.
 */
describe.skipIf(unavailable)(`a recording left by a killed process${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const tempDir = useTempDirs('switchboard-recording-crash-');
  let sshd: TestSshd;
  let dataDir: string;
  const credential = `lab-crash-${process.pid}`;
  const cli = (...args: string[]) => runCli(args, { dataDir });
  const connectArgs = ['connect', '--method', 'ssh', '--site', SITE, '--target', 'lab01', '--ticket', 'LAB-1'];

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    await buildNodeBundles();
    sshd = await startSshd();
    dataDir = tempDir();
    setUpCliSshLab(sshd, { dataDir, scratchDir: tempDir(), credential, ticket: 'LAB-1' });
    const pin = cli(...connectArgs, '--accept-new-host-key', '--', 'true');
    expect(pin.status, pin.stderr).toBe(0);
  });
  afterAll(async () => {
    runCli(['credentials', 'delete', credential], { dataDir });
    await sshd?.stop();
  });

  /** Runs a session that prints the marker and then waits; SIGKILLs the CLI once the marker is shown (it is recorded before it is shown). */
  function connectAndKill(): Promise<void> {
    return new Promise((resolve, reject) => {
      const env = { ...process.env };
      delete env.SWITCHBOARD_DATA_DIR;
      const child = spawn(process.execPath, [CLI_BIN, '--data-dir', dataDir, ...connectArgs, '--', 'sh', '-c', `"echo ${MARKER}; exec sleep 60"`], {
        cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no marker within 20 s; stdout: ${stdout} stderr: ${stderr}`)); }, 20_000);
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes(MARKER)) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (signal === 'SIGKILL') resolve();
        else reject(new Error(`the CLI exited on its own (${code}) before it could be killed: ${stderr}`));
      });
    });
  }

  it('is found at the next start, hashed as it is, and linked to its session as interrupted', async () => {
    await connectAndKill();

    const core = openCore({ dataDir, mode: 'cli' });
    let sessionId = '';
    try {
      const [record] = await call<SessionRecordView[]>(core, 'log.list', { limit: 1 });
      sessionId = record!.sessionId;
      const file = recordingFile(dataDir, record!.sessionId);
      const bytes = fs.readFileSync(file);
      expect(bytes.toString('utf8')).toContain(MARKER);
      expect(record).toMatchObject({
        outcome: 'interrupted',
        endedAt: expect.any(String),
        detail: {
          recording: file,
          recordingSha256: createHash('sha256').update(bytes).digest('hex'),
          recordingBytes: bytes.length,
          recordingInterrupted: true,
        },
      });
      const { events } = await call<{ events: SessionEventView[] }>(core, 'log.get', { sessionId });
      expect(events.map((e) => e.kind)).toEqual(['attempt', 'started', 'interrupted']);
      // Replay checks the file against the logged hash, as for a recording that ended normally.
      const replay = await call<RecordingView>(core, 'log.recording', { sessionId: record!.sessionId });
      expect(replay.sha256Matches).toBe(true);
      expect(replay.events.some(([, type, data]) => type === 'o' && data.includes(MARKER))).toBe(true);
    } finally {
      await core.close();
    }

    // A second start finds nothing left to do.
    const again = openCore({ dataDir, mode: 'cli' });
    try {
      const { events } = await call<{ events: SessionEventView[] }>(again, 'log.get', { sessionId });
      expect(events.map((e) => e.kind)).toEqual(['attempt', 'started', 'interrupted']);
    } finally {
      await again.close();
    }

    const verify = cli('log', 'verify');
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});
