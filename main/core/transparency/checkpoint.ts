/**
 * C2SP tlog-checkpoint note bodies (https://c2sp.org/tlog-checkpoint): the origin (which log), the
 * tree size and the RFC 6962 root hash, one per line, then optional non-empty extension lines.
 */
import { ApiError } from '../../../contract/errors';
import { assertNoteText } from './signed-note';

export const ROOT_HASH_BYTES = 32;

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions?: string[];
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (origin.length === 0 || origin.includes('\n')) throw new ApiError('INVALID_INPUT', 'A checkpoint origin must be one non-empty line.');
  if (!Number.isSafeInteger(size) || size < 0) throw new ApiError('INVALID_INPUT', `A checkpoint tree size must be a whole number ≥ 0, not ${String(size)}.`);
  if (rootHash.length !== ROOT_HASH_BYTES) throw new ApiError('INVALID_INPUT', `A checkpoint root hash is 32 bytes (SHA-256), not ${rootHash.length}.`);
  for (const line of extensions) {
    if (line.length === 0 || line.includes('\n')) throw new ApiError('INVALID_INPUT', 'Checkpoint extension lines must each be one non-empty line.');
  }
  const text = [origin, String(size), rootHash.toString('base64'), ...extensions].join('\n') + '\n';
  assertNoteText(text);
  return text;
}

/** Parses a checkpoint body (the note text, without signature lines); throws INVALID_INPUT naming the bad line. */
export function parseCheckpoint(text: string): Required<Checkpoint> {
  try {
    assertNoteText(text);
  } catch (error) {
    throw bad(error instanceof Error ? error.message : String(error));
  }
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw bad(`it has ${lines.length} line${lines.length === 1 ? '' : 's'}; it needs an origin, a tree size and a root hash`);
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw bad('the origin (line 1) is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw bad(`the tree size (line 2) "${sizeText}" is not a decimal number without leading zeros`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw bad(`the tree size (line 2) ${sizeText} is too large`);
  const rootHash = Buffer.from(rootText, 'base64');
  if (rootHash.length !== ROOT_HASH_BYTES || rootHash.toString('base64') !== rootText) throw bad('the root hash (line 3) is not base64 of 32 bytes');
  const empty = extensions.findIndex((line) => line.length === 0);
  if (empty >= 0) throw bad(`extension line ${empty + 4} is empty`);
  return { origin, size, rootHash, extensions };
}

function bad(reason: string): ApiError {
  return new ApiError('INVALID_INPUT', `The checkpoint is malformed: ${reason}.`);
}
