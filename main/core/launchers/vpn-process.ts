/**
 * A running VPN client. The session lasts as long as the process: `exited` settles when it ends (on
 * its own or through disconnect()), with the exit code or signal and the last few KB of its output.
 *
 * A command with a `teardown` (wg-quick: `up` configures the interface and exits) is different: when
 * the first process exits 0 the tunnel is up and stays up; `exited` then settles only after
 * disconnect() has run the teardown (`wg-quick down`), with the teardown's exit code. If `up` fails,
 * `exited` settles with its exit at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../contract/errors';
import { findExecutable } from '../system/find-executable';
import { pickEnv, VPN_ENV_ALLOW_LIST } from './child-env';
import { programForFile } from './vpn-clients';
import type { VpnCommand } from './vpn';

export interface VpnExit {
  exitCode: number | null;
  signal: string | null;
  /** The last ~4 KB of stdout and stderr, interleaved as they arrived. */
  outputTail: string;
}

export interface VpnStartOptions {
  /** Source of PATH and the allow-listed variables; defaults to process.env. Nothing else passes. */
  env?: NodeJS.ProcessEnv;
  /** Absolute path of the client program, instead of looking `command.file` up on PATH. */
  executable?: string;
  /** Grace period between SIGTERM and SIGKILL in disconnect(); 5000 ms unless set. */
  killAfterMs?: number;
}

const TAIL_BYTES = 4096;
/** After the client exits, how long to wait for its pipes to close (a helper it left may hold them). */
const CLOSE_GRACE_MS = 500;
/** A teardown (wg-quick down) that has not finished after this long is terminated. */
const TEARDOWN_TIMEOUT_MS = 15_000;

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

type Ending = { exitCode: number | null; signal: string | null };

interface Running {
  child: ChildProcess;
  pid: number;
  ended: boolean;
  done: Promise<Ending>;
}

function checkArgs(args: unknown): void {
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string' && !arg.includes('\0'))) {
    throw new ApiError('INVALID_INPUT', 'VPN client arguments must be strings without NUL characters');
  }
}

export class VpnProcess {
  readonly pid: number;
  readonly exited: Promise<VpnExit>;
  private resolveExited: (exit: VpnExit) => void = () => undefined;
  private current: Running;
  private tail: Buffer = Buffer.alloc(0);
  private settled = false;
  private stopRequested = false;
  private tunnelUp = false;

  static start(command: VpnCommand, options: VpnStartOptions = {}): VpnProcess {
    const program = programForFile(command?.file);
    if (!program) throw new ApiError('INVALID_INPUT', `${JSON.stringify(String(command?.file))} is not a known VPN client program`);
    checkArgs(command.args);
    if (command.teardown) {
      if (command.teardown.file !== command.file) throw new ApiError('INVALID_INPUT', 'a VPN teardown must run the same client program');
      checkArgs(command.teardown.args);
    }
    const sourceEnv = options.env ?? process.env;
    const missing = `${command.file} is not installed (${program.install})`;
    let executable: string | null;
    if (options.executable !== undefined) {
      if (!path.isAbsolute(options.executable)) throw new ApiError('INVALID_INPUT', 'the VPN client executable must be an absolute path');
      executable = isExecutableFile(options.executable) ? options.executable : null;
    } else {
      executable = findExecutable(command.file, sourceEnv.PATH ?? '');
    }
    if (!executable) throw new ApiError('LAUNCHER_UNAVAILABLE', missing);
    const file = executable;
    const env = pickEnv(sourceEnv, VPN_ENV_ALLOW_LIST);
    const ownGroup = process.platform !== 'win32';
    const launch = (args: readonly string[]): ChildProcess => {
      const child = spawn(file, [...args], {
        shell: false,
        // Its own process group, so disconnect() also reaches helpers the client started.
        detached: ownGroup,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        env,
      });
      if (child.pid === undefined) {
        child.on('error', () => undefined);
        throw new ApiError('LAUNCHER_UNAVAILABLE', `${command.file} could not be started from ${file}`);
      }
      return child;
    };
    const teardown = command.teardown;
    return new VpnProcess(launch(command.args), options.killAfterMs ?? 5000, ownGroup, teardown && (() => launch(teardown.args)));
  }

  private constructor(
    child: ChildProcess,
    private readonly killAfterMs: number,
    private readonly ownGroup: boolean,
    private readonly teardown: (() => ChildProcess) | undefined,
  ) {
    this.current = this.watch(child);
    this.pid = this.current.pid;
    this.exited = new Promise<VpnExit>((resolve) => {
      this.resolveExited = resolve;
    });
    void this.current.done.then((ending) => {
      if (!this.teardown || (!this.stopRequested && ending.exitCode !== 0)) this.finish(ending);
      else if (this.stopRequested) this.runTeardown();
      else this.tunnelUp = true;
    });
  }

  /** SIGTERM (to the client's process group), then SIGKILL if it is still running after the grace period. */
  disconnect(): Promise<VpnExit> {
    if (this.settled || this.stopRequested) return this.exited;
    this.stopRequested = true;
    if (!this.current.ended) this.terminate(this.current, this.killAfterMs);
    else if (this.tunnelUp) this.runTeardown();
    return this.exited;
  }

  private runTeardown(): void {
    let child: ChildProcess;
    try {
      child = (this.teardown as () => ChildProcess)();
    } catch (error) {
      this.record(Buffer.from(`\n[switchboard] ${(error as Error).message}\n`));
      this.finish({ exitCode: null, signal: null });
      return;
    }
    const running = this.watch(child);
    this.current = running;
    const timer = setTimeout(() => this.terminate(running, this.killAfterMs), TEARDOWN_TIMEOUT_MS);
    void running.done.then((ending) => {
      clearTimeout(timer);
      this.finish(ending);
    });
  }

  private watch(child: ChildProcess): Running {
    child.stdout?.on('data', (chunk: Buffer) => this.record(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.record(chunk));
    child.on('error', (error) => this.record(Buffer.from(`\n[switchboard] ${error.message}\n`)));
    const running: Running = { child, pid: child.pid ?? -1, ended: false, done: Promise.resolve({ exitCode: null, signal: null }) };
    running.done = new Promise<Ending>((resolve) => {
      let ending: Ending | null = null;
      const settle = () => {
        if (!ending) return;
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve(ending);
      };
      child.once('exit', (exitCode, signal) => {
        running.ended = true;
        ending = { exitCode, signal };
        setTimeout(settle, CLOSE_GRACE_MS);
      });
      child.once('close', (exitCode, signal) => {
        running.ended = true;
        ending ??= { exitCode, signal };
        settle();
      });
    });
    return running;
  }

  private terminate(running: Running, killAfterMs: number): void {
    this.signal(running, 'SIGTERM');
    const timer = setTimeout(() => {
      if (!running.ended) this.signal(running, 'SIGKILL');
    }, killAfterMs);
    void running.done.then(() => clearTimeout(timer));
  }

  private finish(ending: Ending): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveExited({ ...ending, outputTail: this.tailText() });
  }

  private signal(running: Running, signal: NodeJS.Signals): void {
    try {
      if (this.ownGroup) process.kill(-running.pid, signal);
      else running.child.kill(signal);
    } catch {
      running.child.kill(signal);
    }
  }

  private record(chunk: Buffer): void {
    const joined = Buffer.concat([this.tail, chunk]);
    this.tail = joined.length > TAIL_BYTES ? Buffer.from(joined.subarray(joined.length - TAIL_BYTES)) : joined;
  }

  private tailText(): string {
    return this.tail.toString('utf8').replace(/^\uFFFD+/, '');
  }
}
