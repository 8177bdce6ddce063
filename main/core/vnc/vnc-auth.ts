import { createCipheriv } from 'node:crypto';

/** VNC Authentication (RFB 7.2.2): the server's 16-byte challenge and the password's DES of it. */
export const VNC_CHALLENGE_BYTES = 16;

/**
 * The response to a VNC Authentication challenge: the challenge encrypted with DES (ECB) under the first
 * eight bytes of the password, zero-padded, each byte's bits mirrored — the quirk every VNC server
 * expects. OpenSSL 3 leaves single DES to its legacy provider, so this uses two-key triple DES with both
 * keys the same, which is single DES (E_k(D_k(E_k(x))) = E_k(x)).
 */
export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  if (challenge.length !== VNC_CHALLENGE_BYTES) throw new Error(`a VNC challenge is ${VNC_CHALLENGE_BYTES} bytes, not ${challenge.length}`);
  const key = Buffer.alloc(8);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) key[i] = mirror(key[i]!);
  const cipher = createCipheriv('des-ede-ecb', Buffer.concat([key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

function mirror(byte: number): number {
  let out = 0;
  for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) out |= 0x80 >> bit;
  return out;
}
