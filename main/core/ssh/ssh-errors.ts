import { ApiError, type ErrorCode } from '../../../contract/errors';

/** Why an SSH connection or channel failed; stable, so callers and tests can branch on it. */
export type SshFailure =
  | 'host-key-mismatch'
  | 'host-key-rejected'
  | 'auth-failed'
  | 'refused'
  | 'timed-out'
  | 'unreachable'
  | 'connection-lost'
  | 'channel-failed'
  | 'protocol';

/** The contract code each failure crosses the API as. */
export const SSH_ERROR_CODES: Record<SshFailure, ErrorCode> = {
  'host-key-mismatch': 'SSH_HOST_KEY_MISMATCH',
  'host-key-rejected': 'SSH_HOST_KEY_REJECTED',
  'auth-failed': 'SSH_AUTH_FAILED',
  refused: 'SSH_CONNECTION_REFUSED',
  'timed-out': 'SSH_TIMED_OUT',
  unreachable: 'SSH_UNREACHABLE',
  'connection-lost': 'SSH_CONNECTION_LOST',
  'channel-failed': 'SSH_CHANNEL_FAILED',
  protocol: 'SSH_CHANNEL_FAILED',
};

export class SshError extends ApiError {
  readonly failure: SshFailure;
  /** The host name the message speaks of (the hop that failed). */
  readonly host: string;
  /** For a changed host key: what the host offers now and what is pinned, so no one has to parse the message. */
  readonly hostKey: { offered: string; pinned: string } | null;
  constructor(failure: SshFailure, host: string, message: string, hostKey: { offered: string; pinned: string } | null = null) {
    super(SSH_ERROR_CODES[failure], message);
    this.name = 'SshError';
    this.failure = failure;
    this.host = host;
    this.hostKey = hostKey;
  }
}

/** The hop as messages name it: `app01 (10.0.0.5:22)`. */
export interface HopLabel { host: string; address: string; port: number; username?: string }

export function describeHop(hop: HopLabel): string {
  const address = hop.address.includes(':') ? `[${hop.address}]` : hop.address;
  return hop.host === hop.address ? `${address}:${hop.port}` : `${hop.host} (${address}:${hop.port})`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function hostKeyMismatch(hop: HopLabel, now: string, pinned: string): SshError {
  return new SshError('host-key-mismatch', hop.host,
    `WARNING: the host key for ${describeHop(hop)} has CHANGED since it was pinned — refusing to connect; no credential was sent. `
    + `Fingerprint now ${now}, pinned ${pinned}. Someone may be intercepting the connection (man-in-the-middle), or the host was `
    + 'reinstalled. Confirm the new fingerprint with the customer out of band before replacing the pin.',
    { offered: now, pinned });
}

export function hostKeyRejected(hop: HopLabel, fingerprint: string): SshError {
  return new SshError('host-key-rejected', hop.host,
    `The host key of ${describeHop(hop)} (${fingerprint}) was not accepted — not connecting; no credential was sent. `
    + 'Compare it with `ssh-keygen -lf` on the server, then connect again and accept it to pin it.');
}

export function handshakeTimedOut(hop: HopLabel, ms: number): SshError {
  return new SshError('timed-out', hop.host,
    `${describeHop(hop)} did not complete the SSH handshake within ${seconds(ms)}. A firewall may be dropping the traffic, `
    + 'the port may not be an SSH server, or the host is overloaded.');
}

/** The server hung up while a person was still deciding (sshd gives a login LoginGraceTime, 120 s by default). */
export function closedWhileAsking(hop: HopLabel, question: 'host-key' | 'sign-in'): SshError {
  const what = question === 'host-key' ? 'its new host key was waiting for your answer' : 'its sign-in questions were waiting for your answers';
  const after = question === 'host-key' ? 'Nothing was pinned and no credential was sent. ' : '';
  return new SshError('connection-lost', hop.host,
    `${describeHop(hop)} closed the connection while ${what} — an SSH server allows only so long to sign in `
    + `(sshd's LoginGraceTime, 2 minutes by default). ${after}Connect again and answer within that time.`);
}

export function authFailed(hop: HopLabel, tried: string[], notes: string[]): SshError {
  const user = hop.username ? ` as ${hop.username}` : '';
  const what = tried.length > 0 ? `rejected every sign-in method tried${user} (${tried.join(', ')})` : `was not signed in to${user}: none of the configured sign-in methods could be used`;
  const extra = notes.length > 0 ? ` ${notes.join(' ')}` : '';
  return new SshError('auth-failed', hop.host,
    `${describeHop(hop)} ${what}. Check the user name and the credential stored in the keychain.${extra}`);
}

export function channelFailed(hop: HopLabel, what: string, reason: string): SshError {
  return new SshError('channel-failed', hop.host, `${describeHop(hop)} refused to ${what}: ${reason}.`);
}

interface Ssh2ErrorShape { message?: string; code?: string | number; level?: string; reason?: number }

/**
 * Turns an ssh2 or socket error into a sentence a person can act on. `phase` says what was going on:
 * reaching the hop (through `via` when it is behind a jump host) or an established session.
 */
export function classifySshError(error: unknown, hop: HopLabel, phase: 'connect' | 'session', via?: HopLabel): SshError {
  if (error instanceof SshError) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Ssh2ErrorShape;
  const message = e.message ?? 'unknown error';
  const code = typeof e.code === 'string' ? e.code : '';
  const where = describeHop(hop);
  const route = via ? ` through the jump host ${describeHop(via)}` : '';

  if (code === 'ECONNREFUSED' || (via && /connection refused/i.test(message))) {
    return new SshError('refused', hop.host, `${where} refused the connection${route} — nothing is listening on port ${hop.port}, or a firewall rejects it. Is sshd running?`);
  }
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'EADDRNOTAVAIL' || (via && /(no route|unreachable)/i.test(message))) {
    return new SshError('unreachable', hop.host, `${where} is unreachable${route} (${code || message}) — no network route to it. Check the VPN or the network this machine is on.`);
  }
  if (code === 'ETIMEDOUT' || (via && /timed out/i.test(message))) {
    return new SshError('timed-out', hop.host, `Connecting to ${where}${route} timed out — a firewall may be dropping the traffic, or the host is down.`);
  }
  if (e.level === 'client-authentication') return authFailed(hop, [], []);
  if (/keepalive timeout/i.test(message)) {
    return new SshError('connection-lost', hop.host, `${where} stopped answering keep-alives — the network path or the host went away. Reconnect when it is reachable again.`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /connection lost|socket (hang up|closed)|no response from server/i.test(message)) {
    const when = phase === 'connect' ? 'closed the connection during the SSH handshake' : 'dropped the connection';
    return new SshError('connection-lost', hop.host, `${where}${route} ${when} (${code || message}). Its sshd may have restarted or refused us (MaxStartups, AllowUsers), or the network path broke.`);
  }
  if (e.level === 'client-timeout' || /timed out/i.test(message)) {
    return new SshError('timed-out', hop.host, `${where}${route} timed out: ${message}.`);
  }
  if (via && e.reason !== undefined) {
    return channelFailed(via, `open a tunnel to ${where}`, message.replace(/^\(SSH\) Channel open failure: ?/, '') || 'no reason given');
  }
  if (e.level === 'protocol' || e.level === 'handshake') {
    return new SshError('protocol', hop.host, `SSH negotiation with ${where}${route} failed: ${message}.`);
  }
  return new SshError(phase === 'connect' ? 'protocol' : 'connection-lost', hop.host, `SSH connection to ${where}${route} failed: ${message}.`);
}
