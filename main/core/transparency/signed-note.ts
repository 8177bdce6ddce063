/**
 * C2SP signed notes (https://c2sp.org/signed-note, reference: golang.org/x/mod/sumdb/note): a text
 * ending in a newline, a blank line, then one or more lines `— <key name> base64(keyID || signature)`.
 * A signature is identified by the pair (key name, key ID); signatures from keys a reader does not
 * know are kept and ignored, so a lead's cosignature can be added beside the engineer's signature.
 */
import { hash } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import { publicKeyFromPrivateKeyPem, sign, verify, ED25519_PUBLIC_KEY_BYTES } from './ed25519';

/** Signature type byte of plain Ed25519 note signatures. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** Signature type byte of timestamped Ed25519 checkpoint cosignatures (c2sp.org/tlog-cosignature). */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;
/** More signatures than this and a note is refused (the spec asks readers to accept at least 16). */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 ';

export interface NoteSigner {
  name: string;
  /** The 32-bit key ID, as an unsigned number. */
  keyId: number;
  /** The signature bytes over the note text (what follows the key ID in the signature line). */
  sign(text: Buffer): Buffer;
}

export interface NoteVerifier {
  name: string;
  keyId: number;
  verify(text: Buffer, signature: Buffer): boolean;
}

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The bytes after the key ID. */
  signature: Buffer;
  /** base64(keyID || signature), exactly as the line had it. */
  base64: string;
}

export interface OpenedNote {
  /** The signed text, including its final newline but not the blank separator line. */
  text: string;
  signatures: NoteSignature[];
}

export interface ParsedVerifierKey {
  name: string;
  keyId: number;
  signatureType: number;
  publicKey: Buffer;
}

/** SHA-256(name || 0x0A || signature type || public key)[:4] as an unsigned 32-bit number. */
export function keyId(name: string, signatureType: number, publicKey: Buffer): number {
  const digest = hash('sha256', Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([signatureType]), publicKey]), 'buffer');
  return digest.readUInt32BE(0);
}

export function keyIdHex(id: number): string {
  return id.toString(16).padStart(8, '0');
}

/** Non-empty, no Unicode spaces, no plus sign. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s\u0085+]/u.test(name) && !/\p{Cs}/u.test(name) && !/[\u0000-\u001f]/.test(name);
}

export function ed25519NoteSigner(name: string, privateKeyPem: string): NoteSigner {
  assertKeyName(name);
  const publicKey = publicKeyFromPrivateKeyPem(privateKeyPem);
  return { name, keyId: keyId(name, SIGNATURE_TYPE_ED25519, publicKey), sign: (text) => sign(privateKeyPem, text) };
}

export function ed25519NoteVerifier(name: string, publicKeyRaw: Buffer): NoteVerifier {
  assertKeyName(name);
  assertEd25519Key(publicKeyRaw);
  return { name, keyId: keyId(name, SIGNATURE_TYPE_ED25519, publicKeyRaw), verify: (text, signature) => verify(publicKeyRaw, text, signature) };
}

/** Signs a bare text (not yet a note). */
export function signNote(text: string, signers: NoteSigner[]): string {
  assertNoteText(text);
  if (signers.length === 0) throw new ApiError('INVALID_INPUT', 'A note needs at least one signer.');
  return text + '\n' + signers.map((signer) => signatureLine(signer, text)).join('');
}

/**
 * Adds signatures to an already-signed note. The existing signature lines stay as they were, in order;
 * only one made earlier with the same key (name and key ID) as a new signer is replaced, as Go's note.Sign does.
 */
export function addSignatures(noteText: string, signers: NoteSigner[]): string {
  const note = openNote(noteText);
  if (signers.length === 0) throw new ApiError('INVALID_INPUT', 'Adding signatures needs at least one signer.');
  const replaced = new Set(signers.map((signer) => `${signer.name}+${signer.keyId}`));
  const kept = note.signatures.filter((s) => !replaced.has(`${s.name}+${s.keyId}`)).map((s) => `${SIGNATURE_PREFIX}${s.name} ${s.base64}\n`);
  const added = signers.map((signer) => signatureLine(signer, note.text));
  if (kept.length + added.length > MAX_NOTE_SIGNATURES) throw new ApiError('INVALID_INPUT', `A note may carry at most ${MAX_NOTE_SIGNATURES} signatures.`);
  return note.text + '\n' + kept.join('') + added.join('');
}

/** Parses a signed note without checking any signature; throws INVALID_INPUT naming what is malformed. */
export function openNote(noteText: string): OpenedNote {
  if (typeof noteText !== 'string' || noteText.length === 0) throw malformed('it is empty');
  assertNoControlCharacters(noteText, 'The signed note');
  const split = noteText.lastIndexOf('\n\n');
  if (split < 0) throw malformed('there is no blank line before the signature lines');
  const text = noteText.slice(0, split + 1);
  const block = noteText.slice(split + 2);
  if (block.length === 0) throw malformed('it has no signature lines after the last blank line');
  if (!block.endsWith('\n')) throw malformed('its last signature line does not end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`it has ${lines.length} signature lines; at most ${MAX_NOTE_SIGNATURES} are accepted`);
  const signatures = lines.map((line, index) => parseSignatureLine(line, index + 1));
  return { text, signatures };
}

/**
 * True when the note carries a signature by this verifier's key (same name and key ID) and every such
 * signature verifies. Signatures by other keys are ignored. Accepts a note's text or an opened note.
 */
export function verifiedBy(note: string | OpenedNote, verifier: NoteVerifier): boolean {
  const opened = typeof note === 'string' ? openNote(note) : note;
  const text = Buffer.from(opened.text, 'utf8');
  let found = false;
  for (const s of opened.signatures) {
    if (s.name !== verifier.name || s.keyId !== verifier.keyId) continue;
    if (!verifier.verify(text, s.signature)) return false;
    found = true;
  }
  return found;
}

/** Go's vkey form `<name>+<hex key ID>+base64(signature type || public key)`. */
export function verifierKey(name: string, publicKeyRaw: Buffer, signatureType: number = SIGNATURE_TYPE_ED25519): string {
  assertKeyName(name);
  assertEd25519Key(publicKeyRaw);
  assertKnownSignatureType(signatureType);
  const material = Buffer.concat([Buffer.from([signatureType]), publicKeyRaw]);
  return `${name}+${keyIdHex(keyId(name, signatureType, publicKeyRaw))}+${material.toString('base64')}`;
}

/** Parses and checks a vkey (Ed25519 note keys, type 0x01, and Ed25519 cosignature keys, type 0x04). */
export function parseVerifierKey(vkey: string): ParsedVerifierKey {
  const parts = vkey.split('+');
  if (parts.length !== 3) throw badVkey(vkey, 'it is not three parts "<name>+<key ID>+<key>" separated by "+"');
  const [name, idHex, keyBase64] = parts as [string, string, string];
  if (!isValidKeyName(name)) throw badVkey(vkey, 'its name is empty or contains a space');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw badVkey(vkey, 'its key ID is not 8 lowercase hex digits');
  const material = Buffer.from(keyBase64, 'base64');
  if (material.length === 0 || material.toString('base64') !== keyBase64) throw badVkey(vkey, 'its key is not base64');
  const signatureType = material[0]!;
  const publicKey = material.subarray(1);
  if (signatureType !== SIGNATURE_TYPE_ED25519 && signatureType !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw badVkey(vkey, `its signature type 0x${signatureType.toString(16).padStart(2, '0')} is not Ed25519 (0x01) or an Ed25519 cosignature (0x04)`);
  }
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw badVkey(vkey, `its Ed25519 key is ${publicKey.length} bytes, not 32`);
  const id = Number.parseInt(idHex, 16);
  if (id !== keyId(name, signatureType, publicKey)) throw badVkey(vkey, 'its key ID does not match its name and key');
  return { name, keyId: id, signatureType, publicKey: Buffer.from(publicKey) };
}

/** A verifier for a plain Ed25519 vkey (type 0x01). */
export function noteVerifierFromKey(vkey: string): NoteVerifier {
  const parsed = parseVerifierKey(vkey);
  if (parsed.signatureType !== SIGNATURE_TYPE_ED25519) throw badVkey(vkey, 'it is a cosignature key (type 0x04), not a note signing key (type 0x01)');
  return ed25519NoteVerifier(parsed.name, parsed.publicKey);
}

/** The text rules of a note body: non-empty, ends with a newline, no control characters but newline. */
export function assertNoteText(text: string): void {
  if (typeof text !== 'string' || text.length === 0) throw new ApiError('INVALID_INPUT', 'A note text cannot be empty.');
  if (!text.endsWith('\n')) throw new ApiError('INVALID_INPUT', 'A note text must end with a newline.');
  assertNoControlCharacters(text, 'The note text');
}

function signatureLine(signer: NoteSigner, text: string): string {
  if (!isValidKeyName(signer.name)) throw new ApiError('INVALID_INPUT', `"${signer.name}" cannot sign a note: a key name must be non-empty, with no spaces and no "+".`);
  if (!Number.isInteger(signer.keyId) || signer.keyId < 0 || signer.keyId > 0xffffffff) throw new ApiError('INVALID_INPUT', `The key ID of "${signer.name}" is not a 32-bit unsigned number.`);
  const id = Buffer.alloc(4);
  id.writeUInt32BE(signer.keyId, 0);
  const signature = signer.sign(Buffer.from(text, 'utf8'));
  return `${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

function parseSignatureLine(line: string, lineNumber: number): NoteSignature {
  const where = `signature line ${lineNumber}`;
  if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed(`${where} does not start with an em dash (U+2014) and a space`);
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw malformed(`${where} has no space between the key name and the signature`);
  const name = rest.slice(0, space);
  const base64 = rest.slice(space + 1);
  if (!isValidKeyName(name)) throw malformed(`${where} has an invalid key name "${name}"`);
  const raw = Buffer.from(base64, 'base64');
  if (base64.length === 0 || raw.toString('base64') !== base64) throw malformed(`${where} (${name}) is not valid base64`);
  if (raw.length < 5) throw malformed(`${where} (${name}) is too short to hold a key ID and a signature`);
  return { name, keyId: raw.readUInt32BE(0), signature: Buffer.from(raw.subarray(4)), base64 };
}

function assertNoControlCharacters(text: string, what: string): void {
  const control = /[\u0000-\u0009\u000b-\u001f]/.exec(text);
  if (control) throw new ApiError('INVALID_INPUT', `${what} contains a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}); only newlines are allowed.`);
  if (/\p{Cs}/u.test(text)) throw new ApiError('INVALID_INPUT', `${what} is not valid Unicode (it has an unpaired surrogate).`);
}

function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) throw new ApiError('INVALID_INPUT', `"${name}" is not a usable key name: it must be non-empty, with no spaces and no "+".`);
}

function assertEd25519Key(raw: Buffer): void {
  if (raw.length !== ED25519_PUBLIC_KEY_BYTES) throw new ApiError('INVALID_INPUT', `An Ed25519 public key is 32 bytes, not ${raw.length}.`);
}

function assertKnownSignatureType(signatureType: number): void {
  if (signatureType !== SIGNATURE_TYPE_ED25519 && signatureType !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new ApiError('INVALID_INPUT', `Signature type ${signatureType} is not Ed25519 (0x01) or an Ed25519 cosignature (0x04).`);
  }
}

function malformed(reason: string): ApiError {
  return new ApiError('INVALID_INPUT', `The signed note is malformed: ${reason}.`);
}

function badVkey(vkey: string, reason: string): ApiError {
  const shown = vkey.length > 80 ? `${vkey.slice(0, 77)}…` : vkey;
  return new ApiError('INVALID_INPUT', `"${shown}" is not a verifier key: ${reason}.`);
}
