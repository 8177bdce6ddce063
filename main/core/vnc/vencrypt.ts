import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { ApiError } from '../../../contract/errors';
import { certificateFingerprint, certificateMatchesPin, parsePin } from '../https/certificate-pin';
import { ByteReader } from './byte-reader';

/** RFB security type 19: VeNCrypt, a TLS wrapper around the classic types (version 0.2). */
export const VENCRYPT = 19;
export const VENCRYPT_SUBTYPE = { plain: 256, tlsNone: 257, tlsVnc: 258, tlsPlain: 259, x509None: 260, x509Vnc: 261, x509Plain: 262 } as const;
const SUBTYPE_NAMES: Record<number, string> = { 256: 'Plain', 257: 'TLSNone', 258: 'TLSVnc', 259: 'TLSPlain', 260: 'X509None', 261: 'X509Vnc', 262: 'X509Plain' };
export const vencryptSubtypeName = (subtype: number) => SUBTYPE_NAMES[subtype] ?? `VeNCrypt subtype ${subtype}`;

/** How the core signed in to a VNC server; what `connect --method vnc --print` announces beforehand. */
export type RfbSecurity = 'None' | 'VNC Authentication' | 'None over TLS (X509None)' | 'VNC Authentication over TLS (X509Vnc)';

/** The security a host's profile leads to: a pinned certificate means VeNCrypt X509, a credential means VncAuth. */
export function expectedSecurity(profile: { password: boolean; tlsPin: string | null }): RfbSecurity {
  if (profile.tlsPin !== null) return profile.password ? 'VNC Authentication over TLS (X509Vnc)' : 'None over TLS (X509None)';
  return profile.password ? 'VNC Authentication' : 'None';
}

/** A refusal over the server's certificate, with the fingerprints for the session log. */
export class VncCertificateRefused extends ApiError {
  constructor(code: 'VNC_TLS_PIN_MISMATCH' | 'VNC_SECURITY_REFUSED', message: string, readonly fingerprint: string, readonly pinned: string | null) {
    super(code, message);
  }
}

export interface VencryptOptions { target: string; password: string | null; tlsPin: string | null }

export interface VencryptSession {
  /** The TLS socket over the server's socket; the rest of the handshake and the session go through it. */
  stream: tls.TLSSocket;
  reader: ByteReader;
  /** X509None or X509Vnc: whether a VNC Authentication challenge follows inside TLS. */
  subtype: number;
  /** SHA-256 of the server's certificate (`AB:CD:…`), equal to the pin. */
  fingerprint: string;
}

/**
 * VeNCrypt after the client chose type 19 (`reader` reads the plain socket): agree on version 0.2, pick
 * X509Vnc (a password is expected) or X509None from the server's subtypes, start TLS over the same socket
 * and check the certificate against the pin before anything else is sent — the password's answer only
 * ever travels inside a TLS session with the pinned certificate. Without a pin, the certificate is read
 * and the connection refused with its fingerprint, to be pinned. Anonymous TLS (TLSVnc, TLSNone) has no
 * certificate to pin and is refused by name.
 */
export async function negotiateVencrypt(socket: Duplex, reader: ByteReader, options: VencryptOptions): Promise<VencryptSession> {
  const { target } = options;
  const version = await reader.read(2, 'the VeNCrypt version');
  if (version[0] !== 0 || version[1]! < 2) throw failed(`${target} speaks VeNCrypt ${version[0]}.${version[1]}; Switchboard needs 0.2 (TigerVNC 1.x, libvncserver and QEMU speak it).`);
  socket.write(Buffer.from([0, 2]));
  if ((await reader.read(1, 'the VeNCrypt version agreement'))[0] !== 0) throw failed(`${target} did not accept VeNCrypt 0.2.`);
  const count = (await reader.read(1, 'the list of VeNCrypt subtypes'))[0]!;
  const raw = await reader.read(count * 4, 'the list of VeNCrypt subtypes');
  const offered = Array.from({ length: count }, (_, i) => raw.readUInt32BE(i * 4));

  const wanted = options.password !== null ? VENCRYPT_SUBTYPE.x509Vnc : VENCRYPT_SUBTYPE.x509None;
  if (!offered.includes(wanted)) throw refusedSubtypes(offered, options);
  const choice = Buffer.alloc(4);
  choice.writeUInt32BE(wanted);
  socket.write(choice);
  if ((await reader.read(1, 'the server\'s go-ahead for TLS'))[0] === 0) throw failed(`${target} could not start TLS (its VeNCrypt answer was 0). Check the server's X509 certificate and key settings.`);
  const early = reader.detach();
  if (early.length > 0) throw failed(`${target} sent ${early.length} bytes before the TLS handshake; that is not VeNCrypt.`);

  const stream = await startTls(socket, target);
  const der = stream.getPeerCertificate().raw ?? Buffer.alloc(0);
  const fingerprint = der.length > 0 ? certificateFingerprint(der) : '(no certificate)';
  if (options.tlsPin === null) {
    stream.destroy();
    throw new VncCertificateRefused('VNC_SECURITY_REFUSED', `${target} offers VNC only over TLS (${vencryptSubtypeName(wanted)}), and this site's profile pins no certificate for it. Its certificate's SHA-256 is ${fingerprint}: confirm it with the customer, then set tls_cert_sha256: ${fingerprint} on the host's vnc endpoint.`, fingerprint, null);
  }
  if (!certificateMatchesPin(der, options.tlsPin)) {
    stream.destroy();
    const pinned = options.tlsPin.trim().toUpperCase();
    throw new VncCertificateRefused('VNC_TLS_PIN_MISMATCH', `${target} presented a TLS certificate with SHA-256 ${fingerprint}, but this site's profile pins ${pinned}. Refusing before the password is sent. If the customer replaced the server's certificate, confirm the new fingerprint with them and update tls_cert_sha256; otherwise something is between you and the server.`, fingerprint, pinned);
  }
  return { stream, reader: new ByteReader(stream), subtype: wanted, fingerprint };
}

/** A pin that is not `AB:CD:…` (32 hex pairs) is a profile error, said before any connection. */
export function checkPinFormat(tlsPin: string | null): void {
  if (tlsPin !== null && !parsePin(tlsPin)) {
    throw new ApiError('INVALID_INPUT', `The host's tls_cert_sha256 "${tlsPin}" is not a SHA-256 fingerprint (32 hex pairs separated by ":", e.g. AB:CD:…). Fix it in the site's profile.`);
  }
}

/** TLS over the existing socket; the certificate is not trusted by its chain or name, only by the pin. */
function startTls(socket: Duplex, target: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const stream = tls.connect({ socket, rejectUnauthorized: false });
    const onError = (error: Error) => {
      stream.destroy();
      reject(failed(`The TLS handshake with ${target} failed: ${error.message}. Check that the server's VeNCrypt X509 settings (certificate and key) are valid.`));
    };
    const onClose = () => reject(failed(`${target} closed the connection during the TLS handshake.`));
    stream.once('error', onError);
    stream.once('close', onClose);
    stream.once('secureConnect', () => {
      stream.off('error', onError);
      stream.off('close', onClose);
      resolve(stream);
    });
  });
}

/** Why none of the offered VeNCrypt subtypes will do, named so the customer's admin can change it. */
function refusedSubtypes(offered: number[], options: VencryptOptions): ApiError {
  const { target } = options;
  const list = offered.map(vencryptSubtypeName).join(', ') || 'no subtypes';
  const anonymous = offered.filter((subtype) => subtype === VENCRYPT_SUBTYPE.tlsNone || subtype === VENCRYPT_SUBTYPE.tlsVnc);
  const reasons: string[] = [];
  if (options.password !== null && offered.includes(VENCRYPT_SUBTYPE.x509None)) {
    reasons.push('X509None would connect with no password, but this site\'s profile expects a VNC password');
  }
  if (options.password === null && offered.includes(VENCRYPT_SUBTYPE.x509Vnc)) {
    reasons.push('X509Vnc asks for a VNC password, but this site\'s profile names no VNC credential (set one with switchboard credentials set NAME and name it in the profile)');
  }
  if (anonymous.length > 0) {
    reasons.push(`${anonymous.map(vencryptSubtypeName).join(' and ')} use anonymous TLS, with no certificate to pin, so they cannot tell the real server from one in between`);
  }
  if (offered.some((subtype) => subtype === VENCRYPT_SUBTYPE.plain || subtype === VENCRYPT_SUBTYPE.tlsPlain || subtype === VENCRYPT_SUBTYPE.x509Plain)) {
    reasons.push('the Plain types need a user name, which Switchboard does not keep for VNC');
  }
  const wanted = options.password !== null ? 'X509Vnc' : 'X509None';
  return new ApiError('VNC_SECURITY_REFUSED', `${target} offers VeNCrypt ${list}, not ${wanted}${reasons.length ? `: ${reasons.join('; ')}` : ''}. Ask the customer to enable ${wanted} with an X509 certificate (TigerVNC: -SecurityTypes ${wanted} -X509Cert … -X509Key …)${options.tlsPin === null ? ', or plain VNC Authentication' : ''}.`);
}

function failed(message: string): ApiError {
  return new ApiError('VNC_HANDSHAKE_FAILED', message);
}
