import { connect, type PeerCertificate } from 'node:tls';
import { checkIpLiteral } from '../../../contract/domain/address';
import { ApiError, type ErrorCode } from '../../../contract/errors';

export interface TlsProbeOptions {
  /** How long the TCP connect plus TLS handshake may take. */
  timeoutMs?: number;
  /**
   * The certificate authorities a certificate must chain to, to count as trusted without a pin.
   * Default: Node's bundled roots (Mozilla's list) plus NODE_EXTRA_CA_CERTS — what a browser trusts.
   */
  ca?: string[];
}

/** What the server presented: its certificate, and whether Node would trust it for the IP. */
export interface TlsCertificateSeen {
  ok: true;
  der: Buffer;
  /** The chain reaches a trusted root and the certificate names the IP that was dialled. */
  authorized: boolean;
  /** OpenSSL's or Node's code for why not (e.g. DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID). */
  authorizationError: string | null;
}

export type TlsNetworkCode = Extract<ErrorCode, 'HTTPS_CONNECTION_REFUSED' | 'HTTPS_TIMED_OUT' | 'HTTPS_UNREACHABLE' | 'HTTPS_TLS_FAILED'>;

export interface TlsProbeFailure { ok: false; code: TlsNetworkCode; message: string }

export type TlsProbe = TlsCertificateSeen | TlsProbeFailure;

export const DEFAULT_TLS_TIMEOUT_MS = 10_000;

/** A socket error as a person reads it, with the code the window shows it under. */
export function classifyTlsError(endpoint: string, error: NodeJS.ErrnoException): TlsProbeFailure {
  switch (error.code) {
    case 'ECONNREFUSED':
      return { ok: false, code: 'HTTPS_CONNECTION_REFUSED', message: `${endpoint} refused the connection: nothing listens on that port, or a firewall rejects it. Is the web console running?` };
    case 'ETIMEDOUT':
      return { ok: false, code: 'HTTPS_TIMED_OUT', message: `${endpoint} did not answer (the connection timed out).` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return { ok: false, code: 'HTTPS_UNREACHABLE', message: `${endpoint} is unreachable from this machine (${error.code}); is the site's VPN connected?` };
    default: {
      // OpenSSL's messages carry its internal location; its `reason` is the part a person can use.
      const reason = (error as NodeJS.ErrnoException & { reason?: string }).reason ?? error.message.split('\n')[0]!.replace(/^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:/, '').replace(/:[^:]*\.c:\d+:?$/, '');
      return {
        ok: false,
        code: 'HTTPS_TLS_FAILED',
        message: `The TLS handshake with ${endpoint} failed (${reason}). Is this port really the HTTPS console (not plain HTTP or another service)?`,
      };
    }
  }
}

/**
 * Opens one TLS connection to the approved IP, takes the certificate the server presents and Node's
 * opinion of it (chain and IP name), and closes. The certificate is read, never trusted here:
 * rejectUnauthorized is off so that the caller can decide by the pin.
 */
export function probeTls(address: string, port: number, options: TlsProbeOptions = {}): Promise<TlsProbe> {
  const ip = checkIpLiteral(address);
  if (!ip.ok) throw new ApiError('INVALID_INPUT', `The console address must be the approved IP: ${ip.reason}.`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ApiError('INVALID_INPUT', `${port} is not a TCP port.`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TLS_TIMEOUT_MS;
  const endpoint = ip.ip.kind === 'ipv6' ? `[${ip.ip.value}]:${port}` : `${ip.ip.value}:${port}`;
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host: ip.ip.value, port, rejectUnauthorized: false, ...(options.ca ? { ca: options.ca } : {}) });
    const finish = (result: TlsProbe): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // A wall-clock limit, not socket.setTimeout: a server that trickles bytes must not hold us forever.
    const timer = setTimeout(() => finish({ ok: false, code: 'HTTPS_TIMED_OUT', message: `${endpoint} did not complete a TLS handshake within ${timeoutMs / 1000} s.` }), timeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => finish(classifyTlsError(endpoint, error)));
    socket.once('secureConnect', () => {
      const peer: PeerCertificate = socket.getPeerCertificate(false);
      const der = peer?.raw;
      if (!der || der.length === 0) {
        finish({ ok: false, code: 'HTTPS_TLS_FAILED', message: `${endpoint} completed the handshake without presenting a certificate.` });
        return;
      }
      const reason = socket.authorizationError as unknown as Error | string | null | undefined;
      const authorizationError = reason ? (typeof reason === 'string' ? reason : (reason as NodeJS.ErrnoException).code ?? reason.message) : null;
      finish({ ok: true, der, authorized: socket.authorized, authorizationError });
    });
  });
}
