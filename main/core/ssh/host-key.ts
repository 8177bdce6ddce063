import { sameFingerprint, sha256Fingerprint } from './fingerprint';
import { hostKeyMismatch, hostKeyRejected, type HopLabel, type SshError } from './ssh-errors';

export interface HostKeyPolicy {
  /** The pinned `SHA256:…` fingerprint, or null when this host was never connected to (first use: ask). */
  pinned: string | null;
  /**
   * First use: shows the fingerprint to a person; true pins it (the caller stores `acceptedHostKeys`).
   * `gone` aborts when the connection ends while the person is still deciding: withdraw the question.
   */
  confirmNew(fingerprint: string, gone: AbortSignal): Promise<boolean>;
}

export interface AcceptedHostKey { host: string; fingerprint: string; firstUse: boolean }

export type HostKeyVerdict = { ok: true; accepted: AcceptedHostKey } | { ok: false; error: SshError };

/**
 * Decides on a host key presented during key exchange — before ssh2 starts user authentication, so a
 * refused key means no credential was ever sent. `asking` brackets the wait for a person's answer.
 */
export async function verifyHostKey(
  hop: HopLabel,
  policy: HostKeyPolicy,
  hostKey: Buffer,
  asking: (waiting: boolean) => void = () => {},
  gone: AbortSignal = new AbortController().signal,
): Promise<HostKeyVerdict> {
  const fingerprint = sha256Fingerprint(hostKey);
  if (policy.pinned !== null) {
    return sameFingerprint(policy.pinned, fingerprint)
      ? { ok: true, accepted: { host: hop.host, fingerprint, firstUse: false } }
      : { ok: false, error: hostKeyMismatch(hop, fingerprint, policy.pinned) };
  }
  asking(true);
  try {
    const accepted = await policy.confirmNew(fingerprint, gone);
    return accepted === true
      ? { ok: true, accepted: { host: hop.host, fingerprint, firstUse: true } }
      : { ok: false, error: hostKeyRejected(hop, fingerprint) };
  } catch (_error) {
    return { ok: false, error: hostKeyRejected(hop, fingerprint) };
  } finally {
    asking(false);
  }
}
