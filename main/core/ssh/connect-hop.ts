import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { createLogger } from '../logger';
import { createAuthHandler, type AuthMethod } from './auth';
import { verifyHostKey, type AcceptedHostKey, type HostKeyPolicy, type HostKeyVerdict } from './host-key';
import { answerConnection } from './late-callback';
import { connectSlabSocket } from './slab-socket';
import { authFailed, classifySshError, closedWhileAsking, describeHop, handshakeTimedOut, type HopLabel, type SshError } from './ssh-errors';

const log = createLogger('ssh');

export interface SshHop {
  /** The trusted host's name, for messages and `acceptedHostKeys`. */
  host: string;
  /** The IP the policy approved (`PolicyDecision.address`); never re-resolved here. */
  address: string;
  port: number;
  username: string;
  hostKey: HostKeyPolicy;
  /** Tried in order; see `AuthMethod`. */
  auth: AuthMethod[];
}

export interface HopTimings { readyTimeoutMs: number; keepaliveIntervalMs: number; keepaliveCountMax: number }

/**
 * A deadline for reaching "ready" that stands still while a person is deciding (host key, OTP):
 * ssh2's own readyTimeout cannot be paused, so it is turned off and this one used instead.
 */
class ConnectDeadline {
  private handle: NodeJS.Timeout | null = null;
  private remaining: number;
  private startedAt = 0;
  private pauses = 0;
  constructor(private readonly ms: number, private readonly onExpired: () => void) {
    this.remaining = ms;
  }
  start(): void {
    if (this.ms <= 0 || this.pauses > 0) return;
    this.startedAt = Date.now();
    this.handle = setTimeout(this.onExpired, this.remaining);
  }
  hold(waiting: boolean): void {
    if (waiting) {
      if (this.pauses++ === 0 && this.handle) {
        clearTimeout(this.handle);
        this.handle = null;
        this.remaining = Math.max(1, this.remaining - (Date.now() - this.startedAt));
      }
    } else if (--this.pauses === 0) {
      this.start();
    }
  }
  clear(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
    this.pauses = Number.POSITIVE_INFINITY;
  }
}

export function hopLabel(hop: SshHop): HopLabel {
  return { host: hop.host, address: hop.address, port: hop.port, username: hop.username };
}

/**
 * One SSH connection: TCP to `hop.address` (or over `sock`, a channel through the previous hop), host key
 * checked against the pin, then the auth methods in order. Resolves once the server says "ready".
 */
export function connectHop(hop: SshHop, timings: HopTimings, sock?: Duplex, via?: HopLabel): Promise<{ client: Client; accepted: AcceptedHostKey }> {
  const label = hopLabel(hop);
  return new Promise((resolve, reject) => {
    const client = new Client();
    /** The first hop's own TCP connection (none when `sock` carries this hop). */
    let tcp: Socket | undefined;
    let verdict: HostKeyVerdict | null = null;
    /** A person is deciding on the host key or answering the server's questions. */
    let askingPerson = 0;
    let settled = false;
    // Aborted when this attempt ends, so nothing calls back into the dead connection and open questions are withdrawn.
    const gone = new AbortController();
    const deadline = new ConnectDeadline(timings.readyTimeoutMs, () => fail(handshakeTimedOut(label, timings.readyTimeoutMs)));
    const waitingForPerson = (waiting: boolean): void => {
      askingPerson += waiting ? 1 : -1;
      deadline.hold(waiting);
    };
    const { handler, log: authLog } = createAuthHandler(hop.username, hop.auth, {
      waitingForPerson,
      gone: gone.signal,
      failed: (error) => fail(classifySshError(error, label, 'connect', via)),
    });

    const fail = (error: SshError): void => {
      if (settled) return;
      settled = true;
      deadline.clear();
      gone.abort(error);
      log.info(`connect to ${describeHop(label)} failed: ${error.failure}`);
      client.end();
      client.destroy();
      sock?.destroy();
      tcp?.destroy();
      reject(error);
    };
    const lost = (error: Error): SshError => askingPerson > 0
      ? closedWhileAsking(label, verdict === null ? 'host-key' : 'sign-in')
      : classifySshError(error, label, 'connect', via);
    const onError = (error: Error & { level?: string }): void => {
      if (verdict && !verdict.ok) return fail(verdict.error);
      if (error.level === 'client-authentication') return fail(authFailed(label, authLog.tried, authLog.notes));
      fail(lost(error));
    };
    const onClose = (): void => {
      fail(verdict && !verdict.ok ? verdict.error : lost(new Error('connection lost before the session was ready')));
    };
    client.on('error', onError);
    client.on('close', onClose);
    client.once('ready', () => {
      if (settled || !verdict?.ok) return fail(classifySshError(new Error('ready without a verified host key'), label, 'connect', via));
      settled = true;
      deadline.clear();
      client.off('error', onError);
      client.off('close', onClose);
      log.info(`connected to ${describeHop(label)} as ${hop.username}`);
      resolve({ client, accepted: verdict.accepted });
    });

    deadline.start();
    // The first hop's TCP connection reads into slabs (no copy per read); later hops ride the previous one's
    // channel. ssh2 listens for its errors once connect() has run: until then, or if connect() throws, an
    // error must not go unhandled (that would end the process).
    try {
      tcp = sock ? undefined : connectSlabSocket(hop.address, hop.port).on('error', () => undefined);
      client.connect({
        host: hop.address,
        port: hop.port,
        username: hop.username,
        sock: sock ?? tcp,
        readyTimeout: 0,
        keepaliveInterval: timings.keepaliveIntervalMs,
        keepaliveCountMax: timings.keepaliveCountMax,
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          void verifyHostKey(label, hop.hostKey, key, waitingForPerson, gone.signal).then((result) => {
            verdict = result;
            answerConnection(gone.signal, () => verify(result.ok), (error) => fail(classifySshError(error, label, 'connect', via)));
          });
        },
        authHandler: handler,
      });
    } catch (error) {
      fail(classifySshError(error, label, 'connect', via));
    }
  });
}
