import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loopbackLabProfile, type TestSshd } from './sshd';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI_BIN = path.join(ROOT, 'bin', 'switchboard.cjs');
export const WEB_BUNDLE = path.join(ROOT, 'out', 'main', 'web.cjs');

export interface CliResult { status: number | null; stdout: string; stderr: string }

export interface CliOptions {
  /** Passed as --data-dir before the command when set. */
  dataDir?: string;
  /** Written to the CLI's stdin. */
  input?: string;
  /** The whole environment (default: this process's, without SWITCHBOARD_DATA_DIR). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function defaultEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.SWITCHBOARD_DATA_DIR;
  delete env.SWITCHBOARD_PORT;
  return env;
}

/** Runs `node bin/switchboard.cjs [--data-dir DIR] ...args` and returns what it printed. */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const argv = options.dataDir ? ['--data-dir', options.dataDir, ...args] : args;
  const result = spawnSync(process.execPath, [CLI_BIN, ...argv], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? defaultEnv(),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The data dir's sessions, newest first (`log list --json --kind session`). Without `--kind` the log
 * lists every record of the chain: policy changes (a profile import, a host key pinned on first use),
 * identities, approvals, reviews. A test that means sessions reads these.
 */
export function listSessions<T = Record<string, unknown>>(dataDir: string): T[] {
  const result = runCli(['log', 'list', '--json', '--kind', 'session', '--all'], { dataDir });
  if (result.status !== 0) throw new Error(`log list --kind session --all failed (exit ${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T[];
}

const LOCK = path.join(ROOT, 'out', '.test-build-lock');
const STALE_LOCK_MS = 120_000;

/**
 * `node scripts/build.mjs --node-only`, once per test run even when several test files ask at the
 * same time: the build empties out/main first, so concurrent builds would pull it from under a
 * running test. The first caller builds; the others wait for it and reuse its output.
 */
export async function buildNodeBundles(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lock = fs.statSync(LOCK, { throwIfNoEntry: false });
      if (!lock) continue; // released just now: try again
      if (Date.now() - lock.mtimeMs > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
      if (Date.now() - started > STALE_LOCK_MS) throw new Error(`gave up waiting for another test's build (${LOCK})`);
    }
  }
  try {
    // Test files run in worker processes of one vitest process: its pid identifies this run.
    const run = `vitest run ${process.ppid}`;
    const stamp = path.join(ROOT, 'out', '.test-build-stamp');
    const built = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === run;
    if (built && fs.existsSync(path.join(ROOT, 'out', 'main', 'cli.cjs')) && fs.existsSync(WEB_BUNDLE)) return;
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--node-only'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`node scripts/build.mjs --node-only failed (${build.status}):\n${build.stdout}${build.stderr}`);
    fs.writeFileSync(stamp, run);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Sets up `dataDir` through the built CLI for a real sshd, as an engineer would: the loopback lab
 * profile imported (written to `scratchDir`), its password saved in the keychain under `credential`,
 * and `ticket` opened on "Loopback Labs/lab". Throws, naming the step and what the CLI said, if any fails.
 */
export function setUpCliSshLab(sshd: Pick<TestSshd, 'port' | 'user' | 'password'>, lab: { dataDir: string; scratchDir: string; credential: string; ticket: string }): void {
  const file = path.join(lab.scratchDir, 'lab.yaml');
  fs.writeFileSync(file, loopbackLabProfile(sshd, lab.credential));
  const steps: [string, string[], string?][] = [
    ['import the lab profile', ['sites', 'import', file]],
    ['save the password', ['credentials', 'set', lab.credential], `${sshd.password}\n`],
    ['open the ticket', ['tickets', 'open', '--site', 'Loopback Labs/lab', '--id', lab.ticket]],
  ];
  for (const [what, args, input] of steps) {
    const result = runCli(args, { dataDir: lab.dataDir, ...(input === undefined ? {} : { input }) });
    if (result.status !== 0) throw new Error(`could not ${what} (exit ${result.status}): ${result.stderr}`);
  }
}
