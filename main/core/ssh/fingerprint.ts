import { createHash } from 'node:crypto';

/**
 * The SHA256 fingerprint of a host key blob (the wire-format public key ssh2 hands to `hostVerifier`),
 * exactly as OpenSSH prints it: `SHA256:` + unpadded base64, so it can be compared by eye with
 * `ssh-keygen -lf` on the server.
 */
export function sha256Fingerprint(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

/** Tolerates the pasted forms people copy around: surrounding spaces, a trailing `=` padding. */
export function normalizeFingerprint(fingerprint: string): string {
  const trimmed = fingerprint.trim().replace(/=+$/, '');
  return trimmed.startsWith('SHA256:') ? trimmed : `SHA256:${trimmed}`;
}

export function sameFingerprint(a: string, b: string): boolean {
  return normalizeFingerprint(a) === normalizeFingerprint(b);
}
