import type { Duplex, Writable } from 'node:stream';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
// ssh2's own window adjustment (not in its typings): sends CHANNEL_WINDOW_ADJUST up to the channel's window.
import { windowAdjust as sshWindowAdjust } from 'ssh2/lib/Channel';
import { ApiError } from '../../../contract/errors';
import { createLogger } from '../logger';
import { connectHop, hopLabel, type HopTimings, type SshHop } from './connect-hop';
import type { AcceptedHostKey } from './host-key';
import { openLocalForward, type LocalForward } from './local-forward';
import { SshChannel, type ByteCounters, type ExecChannel, type ShellChannel } from './ssh-channel';
import { channelFailed, classifySshError, SshError } from './ssh-errors';

export type { SshHop } from './connect-hop';
export type { AcceptedHostKey, HostKeyPolicy } from './host-key';
export type { AuthMethod, KeyboardChallenge, Secret } from './auth';
export type { ChannelExit, ExecChannel, ShellChannel } from './ssh-channel';
export type { LocalForward } from './local-forward';

const log = createLogger('ssh');

export interface SshConnectOptions {
  /** Jump hosts first, the target last; each one already approved by the policy. */
  hops: SshHop[];
  /** Per hop: TCP connect + handshake + sign-in, not counting time a person spends answering. Default 20 s. */
  readyTimeoutMs?: number;
  /** SSH-level keep-alive (like ServerAliveInterval); 0 turns it off. Default 15 s. */
  keepaliveIntervalMs?: number;
  /** Unanswered keep-alives before the connection is declared lost (ServerAliveCountMax). Default 3. */
  keepaliveCountMax?: number;
}

export interface PtyOptions { cols: number; rows: number; term: string }

function validate(options: SshConnectOptions): void {
  if (!Array.isArray(options.hops) || options.hops.length === 0) throw new ApiError('INVALID_INPUT', 'An SSH connection needs at least one host.');
  for (const hop of options.hops) {
    if (!Number.isInteger(hop.port) || hop.port < 1 || hop.port > 65535) throw new ApiError('INVALID_INPUT', `${hop.host}: port ${hop.port} is not a TCP port.`);
    if (!hop.address) throw new ApiError('INVALID_INPUT', `${hop.host} has no approved address.`);
    if (!hop.username) throw new ApiError('INVALID_INPUT', `${hop.host}: no user name to sign in as.`);
  }
}

/**
 * The SFTP channel's receive window. ssh2 gives every channel 2 MiB; with the transfer engine's 2 MiB
 * of reads in flight sshd kept stalling for window adjustments (bench/sftp.mjs: ~400 MB/s downloads
 * with 2 MiB, ~500 with 8 MiB, OpenSSH's sftp ~550–650 on the same loopback). An SFTP channel only
 * receives replies to its own requests, so a wider window never lets unread data pile up.
 */
const SFTP_RECEIVE_WINDOW = 8 * 1024 * 1024;

/** Raises a channel's receive window now and at every later adjustment (needs scripts/patch-ssh2.mjs's Channel.js patch). */
function widenReceiveWindow(channel: SFTPWrapper, bytes: number): void {
  const incoming = (channel as unknown as { incoming?: { maxWindow?: number } }).incoming;
  if (!incoming) return;
  incoming.maxWindow = bytes;
  sshWindowAdjust(channel);
}

function forwardThrough(client: Client, to: { address: string; port: number }): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, to.address, to.port, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}

/**
 * An SSH session to the last hop, reached through the others (`forwardOut` → `sock`, like `ssh -J`).
 * Every hop's host key is verified before any credential goes to it.
 */
export class SshConnection {
  readonly acceptedHostKeys: readonly AcceptedHostKey[];
  /** Resolves when the connection ends: null after `close()`, the reason when it was lost. */
  readonly closed: Promise<SshError | null>;
  private readonly counters: ByteCounters = { bytesIn: 0, bytesOut: 0 };
  private readonly forwards = new Set<LocalForward>();
  private isClosed = false;
  private lostWith: SshError | null = null;

  private constructor(private readonly clients: Client[], private readonly hops: SshHop[], accepted: AcceptedHostKey[]) {
    this.acceptedHostKeys = Object.freeze(accepted);
    this.closed = new Promise((resolve) => {
      let error: SshError | null = null;
      clients.forEach((client, i) => {
        const hop = hops[i]!;
        client.on('error', (e: Error) => {
          error ??= classifySshError(e, hopLabel(hop), 'session');
        });
        client.once('close', () => {
          if (!this.isClosed) {
            this.lostWith = error ?? classifySshError(new Error('connection lost'), hopLabel(hop), 'session');
            log.info(`session to ${this.target.host} lost: ${this.lostWith.message}`);
          }
          this.close();
          resolve(this.lostWith);
        });
      });
    });
  }

  static async open(options: SshConnectOptions): Promise<SshConnection> {
    validate(options);
    const timings: HopTimings = {
      readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
    };
    const clients: Client[] = [];
    const accepted: AcceptedHostKey[] = [];
    try {
      for (const [i, hop] of options.hops.entries()) {
        const previous = i > 0 ? { client: clients[i - 1]!, hop: options.hops[i - 1]! } : null;
        const sock = previous
          ? await forwardThrough(previous.client, hop).catch((e: unknown) => { throw classifySshError(e, hopLabel(hop), 'connect', hopLabel(previous.hop)); })
          : undefined;
        const { client, accepted: key } = await connectHop(hop, timings, sock, previous ? hopLabel(previous.hop) : undefined);
        clients.push(client);
        accepted.push(key);
      }
    } catch (error) {
      for (const client of clients.reverse()) client.end();
      throw error;
    }
    return new SshConnection(clients, options.hops, accepted);
  }

  get bytesIn(): number { return this.counters.bytesIn; }
  get bytesOut(): number { return this.counters.bytesOut; }
  get lost(): SshError | null { return this.lostWith; }

  private get target(): SshHop { return this.hops[this.hops.length - 1]!; }
  private get client(): Client { return this.clients[this.clients.length - 1]!; }

  private ensureOpen(): void {
    if (this.isClosed) throw this.lostWith ?? new SshError('connection-lost', this.target.host, `The SSH session to ${this.target.host} is closed.`);
  }

  /** Runs `command` (a string the remote shell interprets; quoting is the caller's job). */
  async exec(command: string): Promise<ExecChannel> {
    this.ensureOpen();
    return this.openChannel('run a command', false, (cb) => this.client.exec(command, cb));
  }

  async shell(pty: PtyOptions): Promise<ShellChannel> {
    this.ensureOpen();
    const window = { cols: pty.cols, rows: pty.rows, width: 0, height: 0, term: pty.term };
    return this.openChannel('open a terminal', true, (cb) => this.client.shell(window, cb));
  }

  /**
   * The SFTP subsystem on this same connection (so the same policy decision, pinned host keys,
   * credentials and jump hosts carry the files). Its bytes are not seen by the channel counters:
   * the transfer engine reports them with `countTransfer`.
   */
  async sftp(): Promise<SFTPWrapper> {
    this.ensureOpen();
    // Nagle's algorithm holds back the small window adjustments and read requests behind unacknowledged
    // data: measured on loopback, a download ran at ~45 MiB/s with it and ~110–180 MiB/s without.
    for (const client of this.clients) client.setNoDelay(true);
    return new Promise((resolve, reject) => {
      this.client.sftp((error, sftp) => {
        if (!error) {
          widenReceiveWindow(sftp, SFTP_RECEIVE_WINDOW);
          resolve(sftp);
          return;
        }
        const label = hopLabel(this.target);
        reject(this.isClosed ? classifySshError(error, label, 'session') : channelFailed(label, 'open SFTP (is its Subsystem sftp configured?)', error.message.replace(/^\(SSH\) Channel open failure: ?/, '')));
      });
    });
  }

  /**
   * Runs `send` with the connection's socket corked, so the SSH packets it produces (ssh2 writes each
   * one to the socket on its own: eight for one 255 KiB SFTP write) leave in one writev instead of one
   * system call each. ssh2 keeps its socket private (`_sock`); without one this simply runs `send`.
   */
  batchWrites<T>(send: () => T): T {
    const socket = (this.client as unknown as { _sock?: Writable })._sock;
    if (!socket?.writable) return send();
    socket.cork();
    try {
      return send();
    } finally {
      socket.uncork();
    }
  }

  /** File bytes moved over SFTP, counted into the session's totals like a channel's. */
  countTransfer(bytesIn: number, bytesOut: number): void {
    this.counters.bytesIn += bytesIn;
    this.counters.bytesOut += bytesOut;
  }

  /**
   * A TCP stream to `address:port` opened by the target (`direct-tcpip`, like `ssh -W`), with no
   * listener anywhere: the VNC relay reaches a server behind a jump host this way.
   */
  async tunnel(address: string, port: number): Promise<Duplex> {
    this.ensureOpen();
    return forwardThrough(this.client, { address, port })
      .catch((error: unknown) => { throw channelFailed(hopLabel(this.target), `reach ${address}:${port}`, (error as Error).message.replace(/^\(SSH\) Channel open failure: ?/, '')); });
  }

  /** A 127.0.0.1-only listener (on `localPort`, or an ephemeral port) leading to `remoteHost:remotePort` via the target. */
  async forwardLocal(remoteHost: string, remotePort: number, localPort = 0): Promise<LocalForward> {
    this.ensureOpen();
    const forward = await openLocalForward(this.client, remoteHost, remotePort, this.counters, localPort);
    this.forwards.add(forward);
    return {
      ...forward,
      close: () => {
        this.forwards.delete(forward);
        return forward.close();
      },
    };
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const forward of this.forwards) void forward.close();
    this.forwards.clear();
    for (const client of [...this.clients].reverse()) client.end();
  }

  private openChannel(what: string, pty: boolean, open: (cb: (error: Error | undefined, channel: ClientChannel) => void) => void): Promise<SshChannel> {
    return new Promise((resolve, reject) => {
      open((error, channel) => {
        if (error) {
          const label = hopLabel(this.target);
          reject(this.isClosed ? classifySshError(error, label, 'session') : channelFailed(label, what, error.message.replace(/^\(SSH\) Channel open failure: ?/, '')));
          return;
        }
        resolve(new SshChannel(channel, this.counters, pty));
      });
    });
  }
}
