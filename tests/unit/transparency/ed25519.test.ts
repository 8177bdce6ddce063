import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, generateKeyPair, parsePublicKeyText, privateKeyPemFromSeed, publicKeyFromPrivateKeyPem, publicKeyText, sign, verify } from '../../../main/core/transparency/ed25519';

// RFC 8032 §7.1 TEST 1 and TEST 2.
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('Ed25519 keys', () => {
  it.each(RFC8032)('signs and verifies the RFC 8032 vector for key $publicKey', (v) => {
    const pem = privateKeyPemFromSeed(Buffer.from(v.seed, 'hex'));
    const publicKey = Buffer.from(v.publicKey, 'hex');
    expect(publicKeyFromPrivateKeyPem(pem).equals(publicKey)).toBe(true);
    const signature = sign(pem, Buffer.from(v.message, 'hex'));
    expect(signature.toString('hex')).toBe(v.signature);
    expect(verify(publicKey, Buffer.from(v.message, 'hex'), signature)).toBe(true);
    expect(verify(publicKey, Buffer.from(v.message + '00', 'hex'), signature)).toBe(false);
  });

  it('generates a pair whose PEM signs what the raw public key verifies, and rejects changed signatures and keys', () => {
    const pair = generateKeyPair();
    expect(pair.publicKey.length).toBe(32);
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const message = Buffer.from('checkpoint');
    const signature = sign(pair.privateKeyPem, message);
    expect(verify(pair.publicKey, message, signature)).toBe(true);
    const changed = Buffer.from(signature);
    changed[10]! ^= 1;
    expect(verify(pair.publicKey, message, changed)).toBe(false);
    expect(verify(generateKeyPair().publicKey, message, signature)).toBe(false);
    expect(verify(pair.publicKey, message, signature.subarray(0, 63))).toBe(false);
    expect(verify(pair.publicKey.subarray(0, 31), message, signature)).toBe(false);
  });

  it('writes and reads public keys as "ed25519:<base64>"', () => {
    const raw = Buffer.from(RFC8032[0]!.publicKey, 'hex');
    const text = publicKeyText(raw);
    expect(text).toBe('ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=');
    expect(parsePublicKeyText(text).equals(raw)).toBe(true);
  });

  it.each([
    ['ssh-ed25519 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=', /does not start with "ed25519:"/],
    ['ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHUQ==', /not base64 of exactly 32 bytes/],
    ['ed25519:', /not base64 of exactly 32 bytes/],
    ['ed25519:11qYAYKx!rfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=', /not base64 of exactly 32 bytes/],
  ])('refuses %s with INVALID_INPUT', (text, reason) => {
    expect(() => parsePublicKeyText(text)).toThrow(reason);
    expect(() => parsePublicKeyText(text)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
  });

  it('fingerprints like OpenSSH: SHA256: and unpadded base64 of the SHA-256 of the raw key', () => {
    const raw = Buffer.from(RFC8032[0]!.publicKey, 'hex');
    const expected = createHash('sha256').update(raw).digest('base64').replace(/=+$/, '');
    expect(fingerprint(raw)).toBe(`SHA256:${expected}`);
    expect(fingerprint(raw)).not.toContain('=');
    expect(fingerprint(raw)).toHaveLength(7 + 43);
  });

  it('refuses a private key that is not Ed25519', () => {
    expect(() => sign('not a key', Buffer.alloc(1))).toThrow(/not a PEM-encoded PKCS#8 key/);
  });
});
