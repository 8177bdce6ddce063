import { createHash, timingSafeEqual, X509Certificate } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import { probeTls } from './tls-probe';

const PIN = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

export interface CertificateDescription {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** SHA-256 of the DER, as `AB:CD:…` (the form a host's pin takes). */
  fingerprint: string;
  subjectAltName: string | null;
  selfSigned: boolean;
}

export interface ServerCertificateCheck { ok: boolean; fingerprint: string; reason: string }

/** The SHA-256 of a DER certificate as 32 upper-case hex pairs joined by ":". */
export function certificateFingerprint(certDer: Buffer): string {
  return createHash('sha256').update(certDer).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/** The pin's 32 bytes, or null when it is not `AB:CD:…` with 32 hex pairs (case-insensitive). */
export function parsePin(pin: string): Buffer | null {
  const upper = pin.trim().toUpperCase();
  return PIN.test(upper) ? Buffer.from(upper.replace(/:/g, ''), 'hex') : null;
}

/** Whether the SHA-256 of the DER certificate equals the pin; compared in constant time. */
export function certificateMatchesPin(certDer: Buffer, pin: string): boolean {
  const expected = parsePin(pin);
  if (!expected || certDer.length === 0) return false;
  return timingSafeEqual(createHash('sha256').update(certDer).digest(), expected);
}

/** The DER bytes of a PEM certificate (Electron hands certificates over as PEM). */
export function derFromPem(pem: string): Buffer {
  try {
    return new X509Certificate(pem).raw;
  } catch (error) {
    throw new ApiError('INVALID_INPUT', `Not a PEM certificate: ${(error as Error).message}`);
  }
}

/** What a person needs to see before deciding about a certificate. */
export function describeCertificate(certDer: Buffer): CertificateDescription {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certDer);
  } catch (error) {
    throw new ApiError('INVALID_INPUT', `Not a DER certificate: ${(error as Error).message}`);
  }
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    fingerprint: certificateFingerprint(certDer),
    subjectAltName: cert.subjectAltName ?? null,
    selfSigned: cert.checkIssued(cert) && cert.verify(cert.publicKey),
  };
}

/** Decides by the pin only: the certificate's name and chain are not trusted, its SHA-256 is. */
export function decidePin(certDer: Buffer, pin: string | undefined): ServerCertificateCheck {
  const fingerprint = certificateFingerprint(certDer);
  if (!pin) return { ok: false, fingerprint, reason: 'no certificate pinned for this console; pin its SHA-256 first' };
  if (!parsePin(pin)) return { ok: false, fingerprint, reason: `the pinned value "${pin}" is not a SHA-256 fingerprint (32 hex pairs separated by ":")` };
  if (!certificateMatchesPin(certDer, pin)) {
    return { ok: false, fingerprint, reason: `the certificate's SHA-256 is ${fingerprint}, but the pinned SHA-256 is ${pin.trim().toUpperCase()}; refusing` };
  }
  return { ok: true, fingerprint, reason: `the certificate matches the pinned SHA-256 ${fingerprint}` };
}

/**
 * Reads the certificate at the approved IP (probeTls: never trusting it) and decides by the pin
 * only. Network failures are not ok. consoles.open uses the richer certificate-decision.ts.
 */
export function checkServerCertificate(address: string, port: number, pin: string | undefined, timeoutMs = 10_000): Promise<ServerCertificateCheck> {
  return probeTls(address, port, { timeoutMs }).then((probe) =>
    probe.ok ? decidePin(probe.der, pin) : { ok: false, fingerprint: '', reason: `could not read the certificate of ${address}:${port}: ${probe.message}` });
}
