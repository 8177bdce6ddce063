/**
 * Ed25519 keys as this product shows and stores them: raw 32-byte public keys (`ed25519:<base64>` in
 * rosters, an OpenSSH-style `SHA256:` fingerprint for people to compare) and PKCS#8 PEM private keys
 * (what the keychain holds). Only node:crypto.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import { sha256Fingerprint } from '../ssh/fingerprint';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

const PUBLIC_KEY_PREFIX = 'ed25519:';
/** DER SubjectPublicKeyInfo header for an Ed25519 key (RFC 8410); the raw 32 bytes follow. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** DER PKCS#8 header for an Ed25519 private key (RFC 8410); the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface Ed25519KeyPair {
  /** The raw 32-byte public key. */
  publicKey: Buffer;
  /** PKCS#8 PEM; keep it in the keychain only. */
  privateKeyPem: string;
}

export function generateKeyPair(): Ed25519KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: rawPublicKey(publicKey), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/** The PKCS#8 PEM for a 32-byte Ed25519 seed (RFC 8032 private key), e.g. from a test vector. */
export function privateKeyPemFromSeed(seed: Buffer): string {
  if (seed.length !== 32) throw new ApiError('INVALID_INPUT', `An Ed25519 private key seed is 32 bytes, not ${seed.length}.`);
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** The raw 32-byte public key that belongs to a PKCS#8 PEM private key. */
export function publicKeyFromPrivateKeyPem(privateKeyPem: string): Buffer {
  return rawPublicKey(createPublicKey(privateKeyFromPem(privateKeyPem)));
}

export function publicKeyText(raw: Buffer): string {
  assertPublicKeyLength(raw);
  return PUBLIC_KEY_PREFIX + raw.toString('base64');
}

export function parsePublicKeyText(text: string): Buffer {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PUBLIC_KEY_PREFIX)) {
    throw new ApiError('INVALID_INPUT', `A public key is written "ed25519:" followed by base64 of its 32 bytes; "${shorten(trimmed)}" does not start with "ed25519:".`);
  }
  const body = trimmed.slice(PUBLIC_KEY_PREFIX.length);
  const raw = Buffer.from(body, 'base64');
  if (raw.length !== ED25519_PUBLIC_KEY_BYTES || raw.toString('base64') !== body) {
    throw new ApiError('INVALID_INPUT', `The public key "${shorten(trimmed)}" is not base64 of exactly 32 bytes (an Ed25519 public key).`);
  }
  return raw;
}

/** OpenSSH-style fingerprint: `SHA256:` + unpadded base64 of SHA-256 over the raw key. */
export function fingerprint(raw: Buffer): string {
  assertPublicKeyLength(raw);
  return sha256Fingerprint(raw);
}

export function sign(privateKeyPem: string, message: Buffer): Buffer {
  return cryptoSign(null, message, privateKeyFromPem(privateKeyPem));
}

/** False for a wrong signature, a signature of the wrong length or a malformed key; never throws. */
export function verify(publicKeyRaw: Buffer, message: Buffer, signature: Buffer): boolean {
  if (publicKeyRaw.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return cryptoVerify(null, message, publicKeyObject(publicKeyRaw), signature);
  } catch {
    return false;
  }
}

export function publicKeyObject(raw: Buffer): KeyObject {
  assertPublicKeyLength(raw);
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

function privateKeyFromPem(privateKeyPem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch {
    throw new ApiError('INVALID_INPUT', 'The private key is not a PEM-encoded PKCS#8 key.');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ApiError('INVALID_INPUT', `The private key is a ${key.asymmetricKeyType ?? 'unknown'} key, not an Ed25519 key.`);
  return key;
}

function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - ED25519_PUBLIC_KEY_BYTES));
}

function assertPublicKeyLength(raw: Buffer): void {
  if (raw.length !== ED25519_PUBLIC_KEY_BYTES) throw new ApiError('INVALID_INPUT', `An Ed25519 public key is 32 bytes, not ${raw.length}.`);
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
