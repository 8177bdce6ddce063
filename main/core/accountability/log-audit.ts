import type { Db } from '../store/database';
import { signedTime } from './checkpoints';
import { auditChain } from '../session-log/range-scan';
import type { VerifyResult } from '../session-log/types';
import { parseCheckpoint } from '../transparency/checkpoint';
import { openNote, verifiedBy, type NoteVerifier } from '../transparency/signed-note';

/** A signed checkpoint to hold the log to, and where it was found (for the message). */
export interface CheckpointClaim { note: string; source: string }

export interface AuditInputs {
  /** Every checkpoint known: the database's and the keychain's copy. */
  checkpoints: CheckpointClaim[];
  /** This log's origin line. */
  origin: string;
  /** The identity's verifier; null when the data dir has no identity (then no checkpoint can be trusted). */
  verifier: NoteVerifier | null;
  /** An exported copy's head, as `log verify EXPORT.json` gives it. */
  expectedHead?: { seq: number; hash: string };
}

export interface CheckpointSummary {
  checked: number;
  latest: { size: number; signedAt: string | null; source: string } | null;
}

export type AuditResult = (Extract<VerifyResult, { ok: true }> & { checkpoints: CheckpointSummary }) | Extract<VerifyResult, { ok: false }>;

export interface Claim { size: number; root: Buffer; signedAt: string | null; source: string }

const describe = (c: Claim) => `the checkpoint ${c.signedAt ? `signed ${c.signedAt} ` : ''}(${c.source})`;
const range = (from: number, to: number) => (from === to ? `record ${from}` : `records ${from}–${to}`);

/**
 * Verifies the log the way a second person would: the hash chain (every record, its number and its
 * link), then every signed checkpoint — its signature by this data dir's key, and that the records still
 * produce the Merkle root it signed. The chain alone cannot show a cut-off or rewritten tail; a
 * checkpoint can, and the keychain's copy survives the checkpoints table being cut back too.
 * One pass over the records: each intact record's leaf is added to a compact range, and each claimed
 * size's root is compared as the pass reaches it.
 */
export function auditLog(db: Db, inputs: AuditInputs, progress?: (done: number) => void): AuditResult {
  const claims = readClaims(inputs);
  if (!Array.isArray(claims)) return claims;
  const { chain, roots } = auditChain(db, { wanted: claims.map((c) => c.size), ...(inputs.expectedHead ? { expectedHead: inputs.expectedHead } : {}) }, progress);
  if (!chain.ok) return chain;
  return judgeClaims(chain, decodeRoots(roots), claims);
}

/** Roots as a worker posts them ([size, base64]), keyed by size. */
export function decodeRoots(roots: readonly [number, string][]): Map<number, Buffer> {
  return new Map(roots.map(([size, root]) => [size, Buffer.from(root, 'base64')]));
}

/** Every checkpoint's own checks (readable, this log's, signed by this key), smallest first. */
export function readClaims(inputs: AuditInputs): Claim[] | Extract<VerifyResult, { ok: false }> {
  const claims: Claim[] = [];
  for (const { note, source } of inputs.checkpoints) {
    const checked = readClaim(note, source, inputs);
    if ('problem' in checked) return checked;
    claims.push(checked);
  }
  return claims.sort((a, b) => a.size - b.size);
}

/** Holds an intact chain to each claim: the log still reaches its size, and produces its root there. */
export function judgeClaims(chain: Extract<VerifyResult, { ok: true }>, roots: ReadonlyMap<number, Buffer>, claims: readonly Claim[]): AuditResult {
  let lastGood = 0;
  for (const claim of claims) {
    if (claim.size > chain.count) {
      return {
        ok: false, seq: chain.count + 1, problem: 'truncated',
        message: `${range(chain.count + 1, claim.size)} ${claim.size - chain.count === 1 ? 'is' : 'are'} missing: ${describe(claim)} covers ${claim.size} records, but the log now ends at record ${chain.count}. The newest records were deleted.`,
      };
    }
    if (!roots.get(claim.size)!.equals(claim.root)) {
      return {
        ok: false, seq: lastGood + 1, problem: 'rewritten',
        message: `The log was rewritten: its first ${claim.size} records no longer produce the root ${describe(claim)} signed. ${lastGood > 0 ? `Records up to ${lastGood} still match an earlier checkpoint, so ${range(lastGood + 1, claim.size)} were changed, removed or replaced` : `${range(1, claim.size)} were changed, removed or replaced`} and the chain re-hashed to hide it.`,
      };
    }
    lastGood = claim.size;
  }
  const latest = claims.at(-1);
  return {
    ...chain,
    checkpoints: { checked: claims.length, latest: latest ? { size: latest.size, signedAt: latest.signedAt, source: latest.source } : null },
  };
}

function readClaim(note: string, source: string, inputs: AuditInputs): Claim | Extract<VerifyResult, { ok: false }> {
  const bad = (message: string): Extract<VerifyResult, { ok: false }> => ({ ok: false, seq: 0, problem: 'bad-checkpoint', message });
  let body;
  try {
    body = parseCheckpoint(openNote(note).text);
  } catch (error) {
    return bad(`A checkpoint (${source}) cannot be read: ${(error as Error).message}`);
  }
  const signedAt = signedTime(body) ?? null;
  const claim: Claim = { size: body.size, root: body.rootHash, signedAt, source };
  if (body.origin !== inputs.origin) return bad(`${describe(claim)} is for another log (${body.origin}), not this one (${inputs.origin}).`);
  if (!inputs.verifier) return bad(`${describe(claim)} cannot be checked: this data dir has no identity, so there is no key to check its signature with.`);
  if (!verifiedBy(note, inputs.verifier)) {
    return bad(`${describe(claim)} does not carry a valid signature of this data dir's key (${inputs.verifier.name}); it was forged or altered.`);
  }
  return claim;
}
