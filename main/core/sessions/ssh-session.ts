import os from 'node:os';
import { ApiError } from '../../../contract/errors';
import type { Host, PolicyDecision } from '../../../contract/models';
import type { Credentials } from '../credentials/credentials';
import { pinOnFirstUse } from '../directory/host-key-pin-store';
import { getSite } from '../directory/sites';
import { recordPolicyChange } from '../policy-record/recorder';
import { recordingFile } from '../paths';
import type { ConnectionRequest } from '../policy/authorize';
import type { AccessPolicy } from '../services/access-policy';
import type { AuthMethod, KeyboardChallenge } from '../ssh/auth';
import { AsciicastRecorder, type RecorderFs } from '../ssh/recording';
import { SshConnection, type PtyOptions, type SshHop } from '../ssh/ssh-connection';
import type { ChannelExit, SshChannel } from '../ssh/ssh-channel';
import { SshError } from '../ssh/ssh-errors';
import type { Db } from '../store/database';
import type { LogBase } from '../session-log/attempt';
import type { EndOutcome } from '../../../contract/domain/outcomes';
import type { SessionLifecycle, SessionRun } from './lifecycle';

/** How long a session's end waits for its transfers to record how they ended. */
const TRANSFER_SETTLE_MS = 5_000;

/** What only the person at the keyboard can answer. */
export interface SshPrompts {
  /**
   * First use of a host key: pin it and go on? The answer is logged. `gone` aborts when the server hangs
   * up before the person answers: withdraw the question.
   */
  confirmHostKey(host: string, fingerprint: string, gone: AbortSignal): Promise<boolean>;
  /** Keyboard-interactive questions (one-time codes…) from `host` (the target or a jump host); absent → that method is not offered. */
  respond?(challenge: KeyboardChallenge, host: string, gone: AbortSignal): Promise<string[]>;
}

export interface SshSessionDeps {
  db: Db;
  credentials: Credentials;
  dataDir: string;
  /** The target's decision and the session's record, as for every access method. */
  lifecycle: SessionLifecycle;
  /** Jump hosts are decided too, each on its own (no record of their own). */
  policy: AccessPolicy;
  /** The recorder's file system; tests inject failing writes here. */
  recorderFs?: RecorderFs;
  /** Per-hop handshake timeout (default 20 s; tests shorten it). */
  readyTimeoutMs?: number;
}


/** The core's own reason for ending a session (not the remote's, not the engineer's): the 'ended' event's outcome and sentence. */
export interface SessionEnd { outcome: EndOutcome; reason: string }

/** One SSH session: a connection through its approved hops, one channel, its recording and its log. */
export class SshSession {
  private endedBecause: SessionEnd | null = null;
  private recorder: AsciicastRecorder | null = null;
  private channel: SshChannel | null = null;
  private recordingError: ApiError | null = null;

  /** `recordInput`: the site's choice, read once when the session opened (it is in the 'started' event). */
  constructor(private readonly deps: SshSessionDeps, private readonly run: SessionRun, readonly connection: SshConnection, readonly recordInput = false) {}

  private get base(): LogBase { return this.run.base; }

  get sessionId(): string { return this.run.sessionId; }
  /** The site and ticket the session was decided for (a file transfer is judged by that site's setting). */
  get siteId(): number { return this.base.siteId!; }
  get ticket(): string { return this.base.ticket!; }
  get ticketId(): number | null { return this.base.ticketId ?? null; }
  get site(): string | null { return this.base.site ?? null; }
  get host(): string | null { return this.base.host ?? null; }
  get engineer(): string { return this.base.engineer; }

  /** Transfers running over this connection: each one's event is written before the session's end. */
  private readonly transfers = new Set<Promise<unknown>>();

  trackTransfer(work: Promise<unknown>): void {
    const settled = work.then(() => undefined, () => undefined).finally(() => this.transfers.delete(settled));
    this.transfers.add(settled);
  }

  /** A file transfer over this session's connection, allowed or refused: an event of this session. */
  recordTransfer(allowed: boolean, reason: string | null, detail: Record<string, unknown>): void {
    this.run.step('transfer', { decision: allowed ? 'allow' : 'deny', ...(reason ? { reasons: [reason] } : {}), detail });
  }

  /** Opens the channel (a command, or a terminal) and records its output from the first byte. */
  async start(mode: { exec: string } | { shell: PtyOptions }): Promise<SshChannel> {
    const width = 'shell' in mode ? mode.shell.cols : 80;
    const height = 'shell' in mode ? mode.shell.rows : 24;
    this.recorder = AsciicastRecorder.create({
      file: recordingFile(this.deps.dataDir, this.base.sessionId),
      sessionId: this.base.sessionId, width, height, recordInput: this.recordInput,
      title: `${this.base.site ?? ''} ${this.base.host ?? ''} (${this.base.ticket ?? ''})`.trim(),
      ...(this.deps.recorderFs ? { fs: this.deps.recorderFs } : {}),
    });
    this.recorder.onFailure((error) => {
      this.recordingError = error;
      this.connection.close();
    });
    this.channel = 'exec' in mode ? await this.connection.exec(mode.exec) : await this.connection.shell(mode.shell);
    return this.channel;
  }

  /** Passes output to `sink` only once it is recorded: nothing is shown unrecorded. */
  pipeOutput(sink: (data: Buffer, source: 'stdout' | 'stderr') => void): void {
    this.channel!.onData((data, source) => {
      try {
        this.recorder!.output(data);
      } catch {
        return;
      }
      sink(data, source);
    });
  }

  /**
   * Sends what was typed, recording it first when the site records input: nothing typed reaches the
   * host unrecorded. Once the recording has failed nothing more is sent (the session is ending).
   */
  input(data: Buffer): void {
    if (!this.channel || !this.recorder || this.recorder.failed) return;
    try {
      this.recorder.input(data);
    } catch {
      return;
    }
    this.channel.write(data);
  }

  resize(cols: number, rows: number): void {
    this.channel?.resize(cols, rows);
    this.recorder?.resize(cols, rows);
  }

  /** Hangs up; `because`, when the core ends it for a reason of its own, is what the log's 'ended' event says. */
  close(because: SessionEnd | null = null): void {
    this.endedBecause ??= because;
    this.connection.close();
  }

  /** Waits for the channel to end, closes everything and logs the end with the recording's hash. */
  async finish(): Promise<ChannelExit & { recording: string | null; sha256: string | null; error: string | null }> {
    const exit = this.channel ? await this.channel.exit : { code: null, signal: null };
    this.connection.close();
    const lost = await this.connection.closed;
    // A transfer cut off with the connection records its failure first (its SFTP requests fail on close).
    if (this.transfers.size > 0) await Promise.race([Promise.all(this.transfers), new Promise((resolve) => setTimeout(resolve, TRANSFER_SETTLE_MS).unref())]);
    let recording: { file: string; sha256: string } | null = null;
    try {
      recording = this.recorder ? await this.recorder.close() : null;
    } catch {
      recording = null;
    }
    const error = this.recordingError?.message ?? lost?.message ?? null;
    this.run.end(
      error ? 'failed' : this.endedBecause?.outcome ?? (exit.code === 0 ? 'completed' : 'disconnected'),
      {
        exitCode: exit.code, signal: exit.signal, ...(recording ? { recording: recording.file, recordingSha256: recording.sha256 } : {}), ...(error ? { error } : {}),
        ...(lost ? { failure: lost.failure } : {}), ...(this.endedBecause ? { endedBecause: this.endedBecause.reason } : {}),
      },
      { bytesIn: this.connection.bytesIn, bytesOut: this.connection.bytesOut },
    );
    return { ...exit, recording: recording?.file ?? null, sha256: recording?.sha256 ?? null, error };
  }
}

export function authMethods(deps: Pick<SshSessionDeps, 'db' | 'credentials'>, host: Host, prompts: SshPrompts): AuthMethod[] {
  const methods: AuthMethod[] = [];
  const ssh = host.ssh!;
  if (ssh.agent) methods.push({ kind: 'agent' });
  if (ssh.credential) {
    const name = ssh.credential;
    const kind = (deps.db.prepare('SELECT kind FROM credentials WHERE name = ?').get(name) as { kind: string } | undefined)?.kind;
    const secret = () => deps.credentials.reveal(name);
    methods.push(kind === 'private_key' ? { kind: 'publickey', privateKey: secret } : { kind: 'password', password: secret });
  }
  const respond = prompts.respond;
  if (respond) methods.push({ kind: 'keyboard-interactive', respond: (challenge, gone) => respond(challenge, host.name, gone) });
  return methods;
}

/** The jump chain from the first hop to the target's, each one a host of the same site. */
export function jumpChain(hosts: Host[], target: Host): Host[] {
  const chain: Host[] = [];
  for (let name = target.ssh?.jump; name; ) {
    const hop = hosts.find((h) => h.name === name);
    if (!hop) throw new ApiError('INVALID_INPUT', `Jump host "${name}" is not a host of this site.`);
    chain.unshift(hop);
    name = hop.ssh?.jump;
  }
  return chain;
}

/**
 * Runs the policy for the target and for every jump host, logs the attempt, connects hop by hop to
 * the approved IPs with pinned host keys (a first-use key is pinned only after an explicit yes),
 * and returns the open session — or the denial, already logged.
 */
export async function openSshSession(
  deps: SshSessionDeps, request: Omit<ConnectionRequest, 'engineer' | 'method'>, sessionId: string, prompts: SshPrompts,
  onDecision: (decision: PolicyDecision) => void = () => {},
): Promise<{ decision: PolicyDecision; session: SshSession | null }> {
  const run = await deps.lifecycle.begin({ ...request, method: 'ssh' }, { sessionId });
  const { decision } = run;
  onDecision(decision);
  if (!run.allowed) return { decision, session: null };
  const decided: { host: string; fingerprint: string; pinned: boolean }[] = [];
  try {
    const site = getSite(deps.db, request.siteId);
    const target = site.hosts.find((h) => h.name === decision.host)!;
    const hopHosts = [...jumpChain(site.hosts, target), target];
    const decisions: { host: Host; address: string }[] = [];
    for (const host of hopHosts) {
      if (host === target) { decisions.push({ host, address: run.address }); continue; }
      // Each jump host is decided too (a dry run: the attempt on record is the target's).
      const jump = await deps.policy.check({ ...request, target: host.name, method: 'ssh' });
      if (!jump.allowed) throw new ApiError('INVALID_INPUT', `Jump host ${host.name} is refused: ${jump.reasons.join(' ')}`);
      decisions.push({ host, address: jump.address! });
    }
    const hops: SshHop[] = decisions.map(({ host, address }) => ({
      host: host.name, address, port: host.ssh!.port, username: host.ssh!.user ?? os.userInfo().username, auth: authMethods(deps, host, prompts),
      hostKey: {
        pinned: host.ssh!.hostKey ?? null,
        confirmNew: async (fingerprint: string, gone: AbortSignal) => {
          // An answer that comes after the server hung up pins nothing: that connection is gone.
          const yes = (await prompts.confirmHostKey(host.name, fingerprint, gone)) && !gone.aborted;
          decided.push({ host: host.name, fingerprint, pinned: yes });
          if (yes) recordPolicyChange(deps.db, { engineer: run.base.engineer, via: 'pin-first-use', ticket: request.ticket, session: run.sessionId }, () => pinOnFirstUse(deps.db, host.id, fingerprint));
          return yes;
        },
      },
    }));
    const connection = await SshConnection.open({ hops, ...(deps.readyTimeoutMs ? { readyTimeoutMs: deps.readyTimeoutMs } : {}) });
    run.started('connected', {
      ownerPid: process.pid, hops: hops.map((h) => `${h.host}@${h.address}:${h.port}`), acceptedHostKeys: connection.acceptedHostKeys, inputRecorded: site.recordInput,
      ...(decided.length ? { hostKeyDecisions: decided } : {}),
    });
    return { decision, session: new SshSession(deps, run, connection, site.recordInput) };
  } catch (error) {
    throw run.fail(error, { ...(error instanceof SshError ? { failure: error.failure } : {}), ...(decided.length ? { hostKeyDecisions: decided } : {}) });
  }
}
