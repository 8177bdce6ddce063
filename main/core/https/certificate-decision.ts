import type { ConsoleCertificateView } from '../../../contract/consoles';
import type { ErrorCode } from '../../../contract/errors';
import { certificateFingerprint, certificateMatchesPin, describeCertificate, parsePin } from './certificate-pin';
import type { TlsCertificateSeen } from './tls-probe';

export type CertificateVerdict =
  | { ok: true; certificate: ConsoleCertificateView }
  | { ok: false; code: Extract<ErrorCode, 'HTTPS_CERT_MISMATCH' | 'HTTPS_CERT_UNTRUSTED' | 'INVALID_INPUT'>; message: string; fingerprint: string; pin: string | null };

/** Node's and OpenSSL's verification codes, as a person reads them. */
const UNTRUSTED_BECAUSE: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed root no browser trusts',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it is issued by an authority this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'it is issued by an authority this machine does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer could not be verified',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it does not name the IP address Switchboard connects to',
  CERT_REVOKED: 'it has been revoked',
};

export function untrustedBecause(code: string | null): string {
  if (!code) return 'a browser would not trust it';
  return UNTRUSTED_BECAUSE[code] ?? `a browser would not trust it (${code})`;
}

/**
 * Decides whether the console may open, from what the server presented and the host's pin. With a
 * pin, the pin alone decides: its SHA-256 must match, and a certificate a CA vouches for does not
 * override a mismatch (that is what a pin is for). Without a pin, only a certificate a browser
 * trusts for the approved IP is accepted; the fingerprint is reported so it can be pinned.
 */
export function decideCertificate(seen: TlsCertificateSeen, pin: string | null | undefined, where: { host: string; endpoint: string }): CertificateVerdict {
  const fingerprint = certificateFingerprint(seen.der);
  const pinned = pin?.trim() ? pin.trim().toUpperCase() : null;
  const view = (decision: ConsoleCertificateView['decision'], reason: string): CertificateVerdict => {
    const described = describeCertificate(seen.der);
    return {
      ok: true,
      certificate: {
        fingerprint, decision, pin: pinned, reason,
        subject: described.subject, issuer: described.issuer, validFrom: described.validFrom, validTo: described.validTo, selfSigned: described.selfSigned,
      },
    };
  };
  if (pinned !== null) {
    if (!parsePin(pinned)) {
      return { ok: false, code: 'INVALID_INPUT', fingerprint, pin: pinned, message: `The certificate pin recorded for ${where.host} ("${pinned}") is not a SHA-256 fingerprint (32 hex pairs separated by ":"); fix it on the host.` };
    }
    if (!certificateMatchesPin(seen.der, pinned)) {
      return {
        ok: false, code: 'HTTPS_CERT_MISMATCH', fingerprint, pin: pinned,
        message: [
          `The certificate of ${where.host} (${where.endpoint}) does not match its pin — refusing to open the console.`,
          `Presented: SHA-256 ${fingerprint}`,
          `Pinned:    SHA-256 ${pinned}`,
          'If the customer renewed the certificate, confirm the new fingerprint with them before changing the pin.',
        ].join('\n'),
      };
    }
    return view('pinned', `The certificate's SHA-256 matches the pin recorded for ${where.host}.`);
  }
  if (seen.authorized) return view('trusted', `No pin is recorded for ${where.host}; the certificate is trusted by a certificate authority for ${where.endpoint}.`);
  return {
    ok: false, code: 'HTTPS_CERT_UNTRUSTED', fingerprint, pin: null,
    message: [
      `No certificate pin is recorded for ${where.host}, and a browser would not trust its certificate: ${untrustedBecause(seen.authorizationError)} — refusing to open the console.`,
      `Presented: SHA-256 ${fingerprint}`,
      `Confirm this fingerprint with the customer, then record it as the host's pinned certificate (HTTPS endpoint).`,
    ].join('\n'),
  };
}
