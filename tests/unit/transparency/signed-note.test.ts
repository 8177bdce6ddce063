import { describe, expect, it } from 'vitest';
import { generateKeyPair, privateKeyPemFromSeed } from '../../../main/core/transparency/ed25519';
import {
  addSignatures,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  keyId,
  noteVerifierFromKey,
  openNote,
  parseVerifierKey,
  signNote,
  verifiedBy,
  verifierKey,
  SIGNATURE_TYPE_ED25519,
  type NoteSigner,
} from '../../../main/core/transparency/signed-note';

// Vectors from golang.org/x/mod/sumdb/note (note.go, note_test.go).
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

// C2SP signed-note spec example.
const C2SP_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const C2SP_NOTE = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

function peterSigner(): NoteSigner {
  const seed = Buffer.from(PETER_SKEY.split('+').slice(4).join('+'), 'base64').subarray(1);
  return ed25519NoteSigner('PeterNeumann', privateKeyPemFromSeed(seed));
}

describe('signed notes match Go’s sumdb/note byte for byte', () => {
  it('signs the PeterNeumann text exactly as note.Sign does (Ed25519 is deterministic)', () => {
    expect(signNote(TEXT, [peterSigner()])).toBe(TEXT + '\n' + PETER_SIG);
  });

  it('derives the key IDs of Go’s vkeys and writes the same vkey', () => {
    for (const vkey of [PETER_VKEY, ENOCH_VKEY, C2SP_VKEY]) {
      const parsed = parseVerifierKey(vkey);
      expect(parsed.signatureType).toBe(SIGNATURE_TYPE_ED25519);
      expect(keyId(parsed.name, SIGNATURE_TYPE_ED25519, parsed.publicKey).toString(16).padStart(8, '0')).toBe(vkey.split('+')[1]);
      expect(verifierKey(parsed.name, parsed.publicKey)).toBe(vkey);
    }
    expect(peterSigner().keyId).toBe(0xc74f20a3);
  });

  it('verifies Go’s doubly-signed note with either key and ignores the unknown one', () => {
    const note = TEXT + '\n' + PETER_SIG + ENOCH_SIG;
    const opened = openNote(note);
    expect(opened.text).toBe(TEXT);
    expect(opened.signatures.map((s) => [s.name, s.keyId])).toEqual([['PeterNeumann', 0xc74f20a3], ['EnochRoot', 0xaf0cfe78]]);
    expect(verifiedBy(note, noteVerifierFromKey(PETER_VKEY))).toBe(true);
    expect(verifiedBy(note, noteVerifierFromKey(ENOCH_VKEY))).toBe(true);
    expect(verifiedBy(TEXT + '\n' + PETER_SIG, noteVerifierFromKey(ENOCH_VKEY))).toBe(false);
  });

  it('verifies the C2SP spec example', () => {
    expect(verifiedBy(C2SP_NOTE, noteVerifierFromKey(C2SP_VKEY))).toBe(true);
    expect(verifiedBy(C2SP_NOTE.replace('example message', 'example massage'), noteVerifierFromKey(C2SP_VKEY))).toBe(false);
  });

  it('rejects a note whose known-key signature is corrupted (Go: invalid signature)', () => {
    const corrupted = TEXT + '\n' + PETER_SIG.slice(0, 60) + 'ABCD' + PETER_SIG.slice(60);
    expect(verifiedBy(corrupted, noteVerifierFromKey(PETER_VKEY))).toBe(false);
    expect(verifiedBy(TEXT + '\n' + PETER_SIG + corrupted.split('\n\n')[1]!, noteVerifierFromKey(PETER_VKEY))).toBe(false);
  });

  it('ignores a signature that shares the name but not the key ID, or the key ID but not the name', () => {
    const otherName = TEXT + '\n' + PETER_SIG.replace('PeterNeumann', 'PeterNeumann2');
    expect(verifiedBy(otherName, noteVerifierFromKey(PETER_VKEY))).toBe(false);
    const wrongHash = TEXT + '\n' + PETER_SIG.replace('x08g', 'xxxx');
    expect(verifiedBy(wrongHash, noteVerifierFromKey(PETER_VKEY))).toBe(false);
  });
});

describe('Go’s malformed notes are refused with a reason', () => {
  it.each([
    ['text only', TEXT, /no blank line/],
    ['blank line, no signatures', TEXT + '\n', /no signature lines/],
    ['last line without newline', TEXT + '\n' + PETER_SIG.slice(0, -1), /does not end with a newline/],
    ['control character', '\x01' + TEXT + '\n' + PETER_SIG, /control character \(U\+0001\)/],
    ['lone surrogate', '\ud800' + TEXT + '\n' + PETER_SIG, /unpaired surrogate/],
    ['name with a space', TEXT + '\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n', /not valid base64/],
    ['unexpected line after signatures', TEXT + '\n' + PETER_SIG + 'Unexpected line.\n', /signature line 2 does not start with an em dash/],
    ['hyphen instead of em dash', TEXT + '\n' + PETER_SIG.replace('—', '-'), /em dash/],
    ['too short signature', TEXT + '\n— PeterNeumann AAAA\n', /too short/],
    ['101 signatures', TEXT + '\n' + PETER_SIG.repeat(101), /at most 100/],
    ['empty', '', /empty/],
  ])('%s', (_label, note, reason) => {
    expect(() => openNote(note)).toThrow(reason);
    try {
      openNote(note);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('INVALID_INPUT');
    }
  });

  it('refuses to sign texts that break the rules', () => {
    const signer = peterSigner();
    expect(() => signNote('abc', [signer])).toThrow(/end with a newline/);
    expect(() => signNote('', [signer])).toThrow(/empty/);
    expect(() => signNote('a\tb\n', [signer])).toThrow(/control character/);
    expect(() => signNote(TEXT, [])).toThrow(/at least one signer/);
    expect(() => signNote(TEXT, [{ ...signer, name: 'a+b' }])).toThrow(/key name/);
  });
});

describe('a second signer adds to a signed note without disturbing the first', () => {
  it('keeps the first signature line byte for byte and both verify', () => {
    const engineer = generateKeyPair();
    const lead = generateKeyPair();
    const first = signNote(TEXT, [ed25519NoteSigner('engineer.example/ravi', engineer.privateKeyPem)]);
    const both = addSignatures(first, [ed25519NoteSigner('engineer.example/lena', lead.privateKeyPem)]);
    expect(both.startsWith(first)).toBe(true);
    expect(verifiedBy(both, ed25519NoteVerifier('engineer.example/ravi', engineer.publicKey))).toBe(true);
    expect(verifiedBy(both, ed25519NoteVerifier('engineer.example/lena', lead.publicKey))).toBe(true);
  });

  it('adds to Go’s note, keeping the unknown EnochRoot signature', () => {
    const me = generateKeyPair();
    const note = addSignatures(TEXT + '\n' + PETER_SIG + ENOCH_SIG, [ed25519NoteSigner('me.example', me.privateKeyPem)]);
    expect(note.startsWith(TEXT + '\n' + PETER_SIG + ENOCH_SIG)).toBe(true);
    expect(verifiedBy(note, noteVerifierFromKey(ENOCH_VKEY))).toBe(true);
    expect(verifiedBy(note, ed25519NoteVerifier('me.example', me.publicKey))).toBe(true);
  });

  it('replaces an earlier signature by the same key rather than duplicating it (as Go does)', () => {
    const signer = peterSigner();
    const stale = TEXT + '\n' + PETER_SIG.replace('x08go/ZJ', 'x08go/ZK') + ENOCH_SIG;
    expect(addSignatures(stale, [signer])).toBe(TEXT + '\n' + ENOCH_SIG + PETER_SIG);
  });

  it('a key cannot verify text signed by another key under the same name', () => {
    const real = generateKeyPair();
    const impostor = generateKeyPair();
    const note = signNote(TEXT, [ed25519NoteSigner('lead.example', impostor.privateKeyPem)]);
    expect(verifiedBy(note, ed25519NoteVerifier('lead.example', real.publicKey))).toBe(false);
  });
});

describe('verifier keys', () => {
  it('rejects every mangling of Go’s PeterNeumann vkey (substrings and single-byte changes)', () => {
    const bad: string[] = [];
    for (let i = 0; i <= PETER_VKEY.length; i += 1) {
      for (let j = i + 1; j <= PETER_VKEY.length; j += 1) if (i !== 0 || j !== PETER_VKEY.length) bad.push(PETER_VKEY.slice(i, j));
    }
    for (let i = 0; i < PETER_VKEY.length; i += 1) bad.push(PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1));
    bad.push('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==');
    bad.push('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    const accepted = bad.filter((vkey) => {
      try {
        parseVerifierKey(vkey);
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted).toEqual([]);
  });

  it('names what is wrong', () => {
    expect(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/key ID does not match/);
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/signature type 0x65/);
    expect(() => parseVerifierKey('PeterNeumann')).toThrow(/three parts/);
  });
});
