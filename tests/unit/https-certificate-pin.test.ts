import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateFingerprint, certificateMatchesPin, decidePin, describeCertificate, parsePin } from '../../main/core/https/certificate-pin';

const der = Buffer.from('not really a certificate, but SHA-256 does not care');
const hex = createHash('sha256').update(der).digest('hex');
const pin = hex.toUpperCase().match(/../g)!.join(':');

describe('certificateMatchesPin compares the SHA-256 of the DER with the pin', () => {
  it('formats the fingerprint as 32 upper-case hex pairs', () => {
    expect(certificateFingerprint(der)).toBe(pin);
    expect(pin).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it.each([
    ['the exact pin', pin, true],
    ['the pin in lower case', pin.toLowerCase(), true],
    ['the pin with surrounding spaces', ` ${pin} `, true],
    ['a pin differing in the last byte', `${pin.slice(0, -2)}${pin.endsWith('00') ? '01' : '00'}`, false],
    ['the bare hex without colons', hex, false],
    ['a truncated pin', pin.slice(0, -3), false],
    ['a pin with an extra pair', `${pin}:00`, false],
    ['a SHA-1 length pin', pin.split(':').slice(0, 20).join(':'), false],
    ['non-hex characters', pin.replace(/^../, 'ZZ'), false],
    ['an OpenSSH-style fingerprint', 'SHA256:' + Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, ''), false],
    ['an empty pin', '', false],
  ] as const)('%s → %s', (_label, candidate, matches) => {
    expect(certificateMatchesPin(der, candidate)).toBe(matches);
  });

  it('never matches an empty certificate', () => {
    const emptyPin = createHash('sha256').digest('hex').toUpperCase().match(/../g)!.join(':');
    expect(certificateMatchesPin(Buffer.alloc(0), emptyPin)).toBe(false);
  });

  it('parsePin returns the 32 bytes or null', () => {
    expect(parsePin(pin.toLowerCase())).toEqual(Buffer.from(hex, 'hex'));
    expect(parsePin('AB:CD')).toBeNull();
  });
});

describe('decidePin gives the reason a person reads', () => {
  it('refuses without a pin, naming the fingerprint to pin', () => {
    expect(decidePin(der, undefined)).toEqual({ ok: false, fingerprint: pin, reason: 'no certificate pinned for this console; pin its SHA-256 first' });
    expect(decidePin(der, '').ok).toBe(false);
  });
  it('refuses a malformed pin and a different pin, naming both fingerprints', () => {
    expect(decidePin(der, 'AB:CD').reason).toMatch(/not a SHA-256 fingerprint/);
    const other = `00:${pin.slice(3)}`;
    const result = decidePin(der, other.toLowerCase());
    expect(result.ok).toBe(false);
    expect(result.reason).toContain(pin);
    expect(result.reason).toContain(other);
  });
  it('accepts the matching pin', () => {
    expect(decidePin(der, pin)).toEqual({ ok: true, fingerprint: pin, reason: expect.stringContaining(pin) });
  });
  it('describeCertificate refuses bytes that are not a certificate', () => {
    expect(() => describeCertificate(der)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
