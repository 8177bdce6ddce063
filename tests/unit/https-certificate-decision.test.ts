import { describe, expect, it } from 'vitest';
import { decideCertificate, untrustedBecause } from '../../main/core/https/certificate-decision';
import { derFromPem } from '../../main/core/https/certificate-pin';
import { classifyTlsError } from '../../main/core/https/tls-probe';
import { checkConsoleUrl } from '../../main/core/launchers/external-opener';
import { OTHER_PIN, TEST_CERT_PEM as PEM, TEST_CERT_PIN as PIN } from '../helpers/certificate-fixture';

const der = derFromPem(PEM);
const where = { host: 'app01', endpoint: '10.20.0.11:8443' };
const seen = (authorized: boolean, authorizationError: string | null = null) => ({ ok: true as const, der, authorized, authorizationError });

describe('decideCertificate: the pin decides; without one, only a certificate a browser trusts', () => {
  it('accepts the pinned certificate although a browser would not trust it, and describes it', () => {
    const verdict = decideCertificate(seen(false, 'DEPTH_ZERO_SELF_SIGNED_CERT'), PIN.toLowerCase(), where);
    expect(verdict).toEqual({
      ok: true,
      certificate: {
        fingerprint: PIN, decision: 'pinned', pin: PIN, reason: "The certificate's SHA-256 matches the pin recorded for app01.",
        subject: 'CN=console.test.example', issuer: 'CN=console.test.example', selfSigned: true, validFrom: expect.any(String), validTo: expect.stringMatching(/^2126-/),
      },
    });
  });

  it('refuses a mismatch even when a certificate authority vouches for the certificate, naming both fingerprints', () => {
    const verdict = decideCertificate(seen(true), OTHER_PIN, where);
    expect(verdict).toMatchObject({ ok: false, code: 'HTTPS_CERT_MISMATCH', fingerprint: PIN, pin: OTHER_PIN });
    if (verdict.ok) throw new Error('unreachable');
    expect(verdict.message.split('\n')).toEqual([
      'The certificate of app01 (10.20.0.11:8443) does not match its pin — refusing to open the console.',
      `Presented: SHA-256 ${PIN}`,
      `Pinned:    SHA-256 ${OTHER_PIN}`,
      'If the customer renewed the certificate, confirm the new fingerprint with them before changing the pin.',
    ]);
  });

  it('accepts a CA-trusted certificate when no pin is recorded', () => {
    const verdict = decideCertificate(seen(true), undefined, where);
    expect(verdict).toMatchObject({ ok: true, certificate: { decision: 'trusted', pin: null, fingerprint: PIN } });
  });

  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'it is self-signed'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'it does not name the IP address Switchboard connects to'],
    ['CERT_HAS_EXPIRED', 'it has expired'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'it is issued by an authority this machine does not trust'],
    ['SOMETHING_NEW', 'a browser would not trust it (SOMETHING_NEW)'],
    [null, 'a browser would not trust it'],
  ] as const)('with no pin, refuses an untrusted certificate (%s) and offers its fingerprint', (code, because) => {
    expect(untrustedBecause(code)).toBe(because);
    for (const pin of [undefined, null, '', '   ']) {
      const verdict = decideCertificate(seen(false, code), pin, where);
      expect(verdict).toMatchObject({ ok: false, code: 'HTTPS_CERT_UNTRUSTED', fingerprint: PIN, pin: null });
      if (verdict.ok) throw new Error('unreachable');
      expect(verdict.message).toContain(`No certificate pin is recorded for app01, and a browser would not trust its certificate: ${because}`);
      expect(verdict.message).toContain(`Presented: SHA-256 ${PIN}`);
    }
  });

  it('refuses a malformed pin rather than ignoring it', () => {
    expect(decideCertificate(seen(true), 'SHA256:abc', where)).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('The certificate pin recorded for app01 ("SHA256:ABC") is not a SHA-256 fingerprint') });
  });
});

describe('classifyTlsError: each network failure has its code and sentence', () => {
  const error = (code: string | undefined, message: string) => Object.assign(new Error(message), code ? { code } : {});
  it.each([
    ['ECONNREFUSED', 'HTTPS_CONNECTION_REFUSED', /10\.20\.0\.11:8443 refused the connection/],
    ['ETIMEDOUT', 'HTTPS_TIMED_OUT', /did not answer/],
    ['EHOSTUNREACH', 'HTTPS_UNREACHABLE', /unreachable from this machine \(EHOSTUNREACH\)/],
    ['ENETUNREACH', 'HTTPS_UNREACHABLE', /VPN/],
    ['EPROTO', 'HTTPS_TLS_FAILED', /TLS handshake with 10\.20\.0\.11:8443 failed \(wrong version number\)\. Is this port really the HTTPS console/],
    ['ECONNRESET', 'HTTPS_TLS_FAILED', /TLS handshake/],
    [undefined, 'HTTPS_TLS_FAILED', /TLS handshake/],
  ] as const)('%s → %s', (code, expected, message) => {
    const failure = classifyTlsError('10.20.0.11:8443', error(code, 'wrong version number'));
    expect(failure.ok).toBe(false);
    expect(failure.code).toBe(expected);
    expect(failure.message).toMatch(message);
  });
  it('keeps OpenSSL\'s reason and drops its source location', () => {
    const openssl = Object.assign(new Error('80FC65AD467F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/ssl/record/ssl3_record.c:350:\n'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER', reason: 'wrong version number' });
    expect(classifyTlsError('10.20.0.11:8443', openssl).message).toBe('The TLS handshake with 10.20.0.11:8443 failed (wrong version number). Is this port really the HTTPS console (not plain HTTP or another service)?');
    const bare = new Error('80FC65AD467F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../ssl/record/rec_layer_s3.c:1586:\n');
    expect(classifyTlsError('10.20.0.11:8443', bare).message).toMatch(/failed \(sslv3 alert handshake failure\)\./);
  });
});

describe('checkConsoleUrl: the opener\'s console path takes only what consoleUrl() builds', () => {
  it.each([
    'https://10.20.0.11:8443/ameyo',
    'https://10.20.0.11/',
    'https://[2001:db8::11]:8443/console/',
    'https://127.0.0.1:44321/a/b;c=d',
  ])('opens %s', (url) => {
    expect(checkConsoleUrl(url)).toBe(url);
  });

  it.each([
    ['a host name', 'https://app01.acme.example:8443/', /IP address the policy approved, not a name/],
    ['http', 'http://10.20.0.11:8443/', /https only/],
    ['a deep link', 'anydesk:123456789', /https only/],
    ['javascript:', 'javascript:alert(1)', /https only/],
    ['userinfo', 'https://user@10.20.0.11:8443/', /user name or password/],
    ['a query', 'https://10.20.0.11:8443/?next=https://evil.example', /no query or fragment/],
    ['a fragment', 'https://10.20.0.11:8443/#x', /no query or fragment/],
    ['an obfuscated IP', 'https://0x7f.1:8443/', /normalised form/],
    ['a non-normalised path', 'https://10.20.0.11:8443/a/../b', /normalised form/],
    ['a space', 'https://10.20.0.11:8443/a b', /spaces/],
    ['a backslash', 'https://10.20.0.11:8443\\@evil.example/', /backslash/],
    ['nothing', '', /1–2048 characters/],
  ] as const)('refuses %s', (_label, url, why) => {
    expect(() => checkConsoleUrl(url)).toThrow(why);
  });
});
