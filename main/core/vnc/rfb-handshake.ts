import type { Duplex } from 'node:stream';
import { ApiError } from '../../../contract/errors';
import { ByteReader, ClosedDuring } from './byte-reader';
import { checkPinFormat, negotiateVencrypt, VENCRYPT, type RfbSecurity } from './vencrypt';
import { vncAuthResponse, VNC_CHALLENGE_BYTES } from './vnc-auth';

export { expectedSecurity, VncCertificateRefused, type RfbSecurity } from './vencrypt';

/** RFB security types this side speaks (RFB 7.1.2). */
export const SECURITY = { none: 1, vncAuth: 2 } as const;
const SECURITY_NAMES: Record<number, string> = { 0: 'invalid', 1: 'None', 2: 'VNC Authentication', 5: 'RA2', 6: 'RA2ne', 16: 'Tight', 18: 'TLS', 19: 'VeNCrypt', 30: 'Apple ARD', 113: 'MSLogon II' };
const securityName = (type: number) => SECURITY_NAMES[type] ?? `type ${type}`;

export interface RfbServer {
  /** "3.3", "3.7" or "3.8": what the two sides agreed. */
  version: string;
  security: RfbSecurity;
  /** The server certificate's SHA-256 (equal to the profile's pin) when the session runs over VeNCrypt TLS. */
  tls: { fingerprint: string } | null;
  /**
   * What to relay over from here on: the TLS socket when the session runs over VeNCrypt, else the socket
   * handed in. Attach an 'error' listener to it straight away.
   */
  stream: Duplex;
  width: number;
  height: number;
  name: string;
  /** The server's ServerInit message exactly as sent, to hand on to a viewer. */
  serverInit: Buffer;
  /** Bytes the server sent after ServerInit (normally none: it speaks when asked), already decrypted. */
  rest: Buffer;
}

export interface RfbHandshakeOptions {
  /** The VNC password (from the keychain); null when the site's profile names no credential. */
  password: string | null;
  /**
   * The host's pinned TLS certificate (`tls_cert_sha256`, SHA-256 of the DER as `AB:CD:…`); null or absent
   * when none is pinned. With a pin the server must offer VeNCrypt X509 with that certificate.
   */
  tlsPin?: string | null;
  /** Who is connected to, for messages: "pbx1 (10.0.0.5:5901)". */
  target: string;
  /** ClientInit's shared flag: let other viewers stay connected (default true). */
  shared?: boolean;
}

/**
 * The viewer's side of an RFB handshake, done by the core so no secret reaches the window: version, the
 * security type the profile expects (VNC Authentication when it names a password; a server that offers
 * only no authentication, or only types this side does not speak, is refused by name), the password's
 * answer to the challenge, the server's verdict, then ClientInit and the server's ServerInit.
 * With a pinned certificate the server must offer VeNCrypt X509 (anything else is refused as a
 * downgrade) and everything after the TLS handshake goes through TLS (vencrypt.ts). Without a pin, plain
 * VNC Authentication is preferred; a server offering only VeNCrypt is refused with its certificate's
 * fingerprint to pin.
 */
export async function rfbHandshake(socket: Duplex, options: RfbHandshakeOptions): Promise<RfbServer> {
  const { target } = options;
  const tlsPin = options.tlsPin ?? null;
  checkPinFormat(tlsPin);
  let reader = new ByteReader(socket);
  let stream: Duplex = socket;
  try {
    const greeting = (await reader.read(12, 'the server\'s RFB version')).toString('latin1');
    const match = /^RFB (\d{3})\.(\d{3})\n$/.exec(greeting);
    if (!match) throw failed(`${target} did not answer as a VNC server (it sent ${JSON.stringify(greeting)}). Check the host's VNC port.`);
    const minor = Number(match[1]) === 3 ? Math.min(Number(match[2]), 8) : 8;
    const version = minor >= 8 ? '3.8' : minor >= 7 ? '3.7' : '3.3';
    socket.write(`RFB 003.00${version.slice(2)}\n`);

    const offered = version === '3.3' ? [(await reader.read(4, 'the security type')).readUInt32BE(0)] : await readTypes(reader);
    if (offered.length === 1 && offered[0] === 0) throw await refusedBefore(reader, target);
    const wanted = options.password !== null ? SECURITY.vncAuth : SECURITY.none;
    if (tlsPin !== null && !offered.includes(VENCRYPT)) {
      throw new ApiError('VNC_SECURITY_REFUSED', `${target} offers ${offered.map(securityName).join(', ')} without TLS, but this site's profile pins the server's TLS certificate (tls_cert_sha256), so it must offer VeNCrypt with X509. Refusing: a server that drops TLS may be something in between downgrading the connection. If the customer really turned TLS off, confirm it with them and remove tls_cert_sha256 from the host's vnc endpoint.`);
    }
    const overTls = tlsPin !== null || (!offered.includes(wanted) && offered.includes(VENCRYPT));
    if (!overTls && !offered.includes(wanted)) {
      const list = offered.map(securityName).join(', ');
      throw new ApiError('VNC_SECURITY_REFUSED', options.password !== null
        ? offered.includes(SECURITY.none) && offered.length === 1
          ? `${target} offers no authentication at all, but this site's profile expects a VNC password. Refusing to connect: a server that suddenly needs no password is not the one the profile describes.`
          : `${target} offers ${list}, not VNC Authentication, which this site's profile expects (with its password). Switchboard speaks VNC Authentication here; ask the customer which security type the server uses.`
        : `${target} asks for ${list}, but this site's profile names no VNC credential. Set the host's VNC credential (switchboard credentials set NAME) and name it in the profile.`);
    }
    if (version !== '3.3') socket.write(Buffer.from([overTls ? VENCRYPT : wanted]));
    let fingerprint: string | null = null;
    if (overTls) {
      const session = await negotiateVencrypt(socket, reader, { target, password: options.password, tlsPin });
      ({ reader, stream, fingerprint } = session);
    }
    if (wanted === SECURITY.vncAuth) {
      const challenge = await reader.read(VNC_CHALLENGE_BYTES, 'the VNC Authentication challenge');
      stream.write(vncAuthResponse(options.password!, challenge));
    }
    if (wanted === SECURITY.vncAuth || overTls || version === '3.8') {
      const result = (await reader.read(4, 'the authentication result')).readUInt32BE(0);
      if (result !== 0) {
        const reason = version === '3.8' ? await readReason(reader).catch(() => '') : '';
        throw new ApiError('VNC_AUTH_FAILED', `${target} refused the VNC password${reason ? ` ("${reason}")` : ''}. Check the host's VNC credential in the keychain; too many failures make some servers refuse for a while.`);
      }
    }
    stream.write(Buffer.from([options.shared === false ? 0 : 1]));
    const head = await reader.read(24, 'the server\'s screen description (ServerInit)');
    const nameLength = head.readUInt32BE(20);
    if (nameLength > 1 << 20) throw failed(`${target} sent a desktop name of ${nameLength} bytes; that is not a VNC server speaking.`);
    const name = await reader.read(nameLength, 'the desktop name');
    return {
      version, security: securityUsed(wanted === SECURITY.vncAuth, overTls), tls: fingerprint === null ? null : { fingerprint }, stream,
      width: head.readUInt16BE(0), height: head.readUInt16BE(2), name: name.toString('utf8'),
      serverInit: Buffer.concat([head, name]), rest: reader.detach(),
    };
  } catch (error) {
    reader.detach();
    if (stream !== socket) stream.destroy();
    if (error instanceof ClosedDuring) throw failed(`${target} closed the connection during the VNC handshake, while Switchboard waited for ${error.what}.`);
    throw error;
  }
}

function securityUsed(vncAuth: boolean, overTls: boolean): RfbSecurity {
  if (overTls) return vncAuth ? 'VNC Authentication over TLS (X509Vnc)' : 'None over TLS (X509None)';
  return vncAuth ? 'VNC Authentication' : 'None';
}

/** RFB 3.7+: a count, then that many types; a count of 0 means the server refuses (a reason follows). */
async function readTypes(reader: ByteReader): Promise<number[]> {
  const count = (await reader.read(1, 'the list of security types'))[0]!;
  if (count === 0) return [0];
  return [...await reader.read(count, 'the list of security types')];
}

/** A server that offers no security type says why. */
async function refusedBefore(reader: ByteReader, target: string): Promise<ApiError> {
  const reason = await readReason(reader).catch(() => '');
  return failed(`${target} refused the connection before authentication${reason ? `: "${reason}"` : ''}.`);
}

async function readReason(reader: ByteReader): Promise<string> {
  const length = (await reader.read(4, 'the reason')).readUInt32BE(0);
  return (await reader.read(Math.min(length, 4096), 'the reason')).toString('utf8');
}

function failed(message: string): ApiError {
  return new ApiError('VNC_HANDSHAKE_FAILED', message);
}
