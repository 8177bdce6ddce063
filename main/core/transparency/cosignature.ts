/**
 * C2SP tlog-cosignature v1 (https://c2sp.org/tlog-cosignature), Ed25519 flavour: a witness (here a
 * lead) signs `cosignature/v1\ntime <unix seconds>\n` + the checkpoint body, and the signature line
 * carries keyID(type 0x04) || 8-byte big-endian timestamp || 64-byte Ed25519 signature.
 */
import { ApiError } from '../../../contract/errors';
import { ED25519_SIGNATURE_BYTES, publicKeyFromPrivateKeyPem, sign, verify } from './ed25519';
import { parseCheckpoint } from './checkpoint';
import { addSignatures, keyId, openNote, SIGNATURE_TYPE_COSIGNATURE_V1, type NoteSigner } from './signed-note';

const TIMESTAMP_BYTES = 8;
/** The last second a JavaScript Date can hold (8.64e15 ms); later timestamps cannot be shown. */
const MAX_DATE_SECONDS = 8_640_000_000_000n;

export type CosignatureCheck = { ok: true; time: Date } | { ok: false };

export function cosignatureKeyId(witnessName: string, publicKeyRaw: Buffer): number {
  return keyId(witnessName, SIGNATURE_TYPE_COSIGNATURE_V1, publicKeyRaw);
}

/** The exact bytes a v1 cosignature signs. */
export function cosignedMessage(checkpointBody: string, unixSeconds: bigint): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${unixSeconds.toString()}\n${checkpointBody}`, 'utf8');
}

export function cosignatureSigner(witnessName: string, privateKeyPem: string, time: Date): NoteSigner {
  const milliseconds = time.getTime();
  if (!Number.isFinite(milliseconds) || milliseconds < 0) throw new ApiError('INVALID_INPUT', 'A cosignature needs a valid time at or after 1970-01-01.');
  const seconds = BigInt(Math.floor(milliseconds / 1000));
  const publicKey = publicKeyFromPrivateKeyPem(privateKeyPem);
  return {
    name: witnessName,
    keyId: cosignatureKeyId(witnessName, publicKey),
    sign: (text) => {
      const timestamp = Buffer.alloc(TIMESTAMP_BYTES);
      timestamp.writeBigUInt64BE(seconds, 0);
      return Buffer.concat([timestamp, sign(privateKeyPem, cosignedMessage(text.toString('utf8'), seconds))]);
    },
  };
}

/** The checkpoint note with this witness's cosignature added (an earlier one by the same key is replaced). */
export function cosign(checkpointNote: string, witnessName: string, privateKeyPem: string, time: Date): string {
  parseCheckpoint(openNote(checkpointNote).text);
  return addSignatures(checkpointNote, [cosignatureSigner(witnessName, privateKeyPem, time)]);
}

/**
 * Whether the note carries a valid v1 cosignature by this witness over its checkpoint, and when it was
 * made. `{ ok: false }` for no such cosignature, a bad one, or a note that is not a checkpoint.
 */
export function verifyCosignature(note: string, witnessName: string, publicKeyRaw: Buffer): CosignatureCheck {
  let opened;
  try {
    opened = openNote(note);
    parseCheckpoint(opened.text);
  } catch {
    return { ok: false };
  }
  const id = cosignatureKeyId(witnessName, publicKeyRaw);
  let latest: Date | undefined;
  for (const s of opened.signatures) {
    if (s.name !== witnessName || s.keyId !== id) continue;
    if (s.signature.length !== TIMESTAMP_BYTES + ED25519_SIGNATURE_BYTES) return { ok: false };
    const seconds = s.signature.readBigUInt64BE(0);
    if (seconds > MAX_DATE_SECONDS) return { ok: false };
    if (!verify(publicKeyRaw, cosignedMessage(opened.text, seconds), s.signature.subarray(TIMESTAMP_BYTES))) return { ok: false };
    const time = new Date(Number(seconds) * 1000);
    if (!latest || time > latest) latest = time;
  }
  return latest ? { ok: true, time: latest } : { ok: false };
}
