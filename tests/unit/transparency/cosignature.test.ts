import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from '../../../main/core/transparency/checkpoint';
import { cosign, cosignatureKeyId, cosignedMessage, verifyCosignature } from '../../../main/core/transparency/cosignature';
import { generateKeyPair, sign } from '../../../main/core/transparency/ed25519';
import { ed25519NoteSigner, ed25519NoteVerifier, keyId, openNote, signNote, verifiedBy, SIGNATURE_TYPE_COSIGNATURE_V1 } from '../../../main/core/transparency/signed-note';

// The C2SP tlog-cosignature spec example (a log signature and a witness cosignature).
const SPEC_NOTE = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n'
  + '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n'
  + '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';

const LOG = 'switchboard.local/engineer/ravi';
const WITNESS = 'switchboard.local/lead/lena';
const TIME = new Date('2026-05-01T10:00:00.750Z');

function signedCheckpoint(): { note: string; engineer: ReturnType<typeof generateKeyPair> } {
  const engineer = generateKeyPair();
  const body = formatCheckpoint({ origin: LOG, size: 12, rootHash: Buffer.alloc(32, 7) });
  return { note: signNote(body, [ed25519NoteSigner(LOG, engineer.privateKeyPem)]), engineer };
}

describe('v1 cosignatures', () => {
  it('the spec example’s witness line has the v1 layout: key ID, 8-byte timestamp 1679315147, 64-byte signature', () => {
    const witness = openNote(SPEC_NOTE).signatures[1]!;
    expect(witness.name).toBe('witness.example.com/w1');
    expect(witness.signature.length).toBe(8 + 64);
    expect(witness.signature.readBigUInt64BE(0)).toBe(1679315147n);
  });

  it('signs exactly "cosignature/v1\\ntime <seconds>\\n" + the checkpoint body', () => {
    const { note } = signedCheckpoint();
    const lead = generateKeyPair();
    const cosigned = cosign(note, WITNESS, lead.privateKeyPem, TIME);
    const line = openNote(cosigned).signatures.find((s) => s.name === WITNESS)!;
    expect(line.keyId).toBe(keyId(WITNESS, SIGNATURE_TYPE_COSIGNATURE_V1, lead.publicKey));
    expect(line.keyId).toBe(cosignatureKeyId(WITNESS, lead.publicKey));
    const seconds = BigInt(Math.floor(TIME.getTime() / 1000));
    expect(line.signature.readBigUInt64BE(0)).toBe(seconds);
    const body = openNote(note).text;
    expect(cosignedMessage(body, seconds).toString()).toBe(`cosignature/v1\ntime ${seconds}\n${body}`);
    expect(line.signature.subarray(8).equals(sign(lead.privateKeyPem, cosignedMessage(body, seconds)))).toBe(true);
  });

  it('a cosignature made here verifies, keeps the log’s own signature, and gives the time to the second', () => {
    const { note, engineer } = signedCheckpoint();
    const lead = generateKeyPair();
    const cosigned = cosign(note, WITNESS, lead.privateKeyPem, TIME);
    expect(cosigned.startsWith(note)).toBe(true);
    expect(verifiedBy(cosigned, ed25519NoteVerifier(LOG, engineer.publicKey))).toBe(true);
    expect(verifyCosignature(cosigned, WITNESS, lead.publicKey)).toEqual({ ok: true, time: new Date('2026-05-01T10:00:00Z') });
  });

  it('fails for a changed timestamp, a changed checkpoint byte, another witness key or name, or no cosignature', () => {
    const { note } = signedCheckpoint();
    const lead = generateKeyPair();
    const cosigned = cosign(note, WITNESS, lead.privateKeyPem, TIME);
    expect(verifyCosignature(note, WITNESS, lead.publicKey)).toEqual({ ok: false });
    expect(verifyCosignature(cosigned, WITNESS, generateKeyPair().publicKey)).toEqual({ ok: false });
    expect(verifyCosignature(cosigned.replaceAll(WITNESS, `${WITNESS}2`), `${WITNESS}2`, lead.publicKey)).toEqual({ ok: false });

    const opened = openNote(cosigned);
    const line = opened.signatures.find((s) => s.name === WITNESS)!;
    const raw = Buffer.from(line.base64, 'base64');
    raw.writeBigUInt64BE(raw.readBigUInt64BE(4) + 1n, 4);
    expect(verifyCosignature(cosigned.replace(line.base64, raw.toString('base64')), WITNESS, lead.publicKey)).toEqual({ ok: false });

    const changedSize = cosigned.replace(`${LOG}\n12\n`, `${LOG}\n13\n`);
    expect(changedSize).not.toBe(cosigned);
    expect(verifyCosignature(changedSize, WITNESS, lead.publicKey)).toEqual({ ok: false });
    const rootText = Buffer.alloc(32, 7).toString('base64');
    const changedRoot = cosigned.replace(rootText, Buffer.alloc(32, 8).toString('base64'));
    expect(verifyCosignature(changedRoot, WITNESS, lead.publicKey)).toEqual({ ok: false });
  });

  it('a plain Ed25519 note signature by the witness key is not a cosignature (different key ID and message)', () => {
    const { note } = signedCheckpoint();
    const lead = generateKeyPair();
    const plain = signNote(openNote(note).text, [ed25519NoteSigner(WITNESS, lead.privateKeyPem)]);
    expect(verifyCosignature(plain, WITNESS, lead.publicKey)).toEqual({ ok: false });
  });

  it('cosigning again with the same key replaces the earlier cosignature', () => {
    const { note } = signedCheckpoint();
    const lead = generateKeyPair();
    const later = new Date('2026-05-02T00:00:00Z');
    const twice = cosign(cosign(note, WITNESS, lead.privateKeyPem, TIME), WITNESS, lead.privateKeyPem, later);
    expect(openNote(twice).signatures.filter((s) => s.name === WITNESS)).toHaveLength(1);
    expect(verifyCosignature(twice, WITNESS, lead.publicKey)).toEqual({ ok: true, time: later });
  });

  it('refuses to cosign a note that is not a checkpoint', () => {
    const lead = generateKeyPair();
    const note = signNote('hello\n', [ed25519NoteSigner('someone', lead.privateKeyPem)]);
    expect(() => cosign(note, WITNESS, lead.privateKeyPem, TIME)).toThrow(/checkpoint is malformed/);
    expect(verifyCosignature(note, WITNESS, lead.publicKey)).toEqual({ ok: false });
  });
});
