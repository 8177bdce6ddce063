/**
 * RFC 6962 / RFC 9162 Merkle tree hashing over SHA-256: leaf = H(0x00 || data), node = H(0x01 || l || r),
 * the empty tree's root = H(""). Sizes and indexes are plain numbers (safe integers); every loop is
 * iterative, so proofs and roots cost O(log n) memory however large the log grows.
 */
import { hash } from 'node:crypto';
import { ApiError } from '../../../contract/errors';

export const HASH_BYTES = 32;
/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = hash('sha256', Buffer.alloc(0), 'buffer');

/** MTH(D[start:end]) for a range of the caller's leaves, complete subtree or not. */
export type SubtreeHash = (start: number, end: number) => Buffer;

const LEAF_PREFIX = Buffer.from([0x00]);
const nodeScratch = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeScratch[0] = 0x01;

export function leafHash(data: Buffer): Buffer {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) throw new ApiError('INVALID_INPUT', 'Merkle node hashes are 32 bytes each.');
  left.copy(nodeScratch, 1);
  right.copy(nodeScratch, 1 + HASH_BYTES);
  return hash('sha256', nodeScratch, 'buffer');
}

/** MTH over leaf hashes (already leafHash'ed). */
export function rootFromLeafHashes(hashes: readonly Buffer[]): Buffer {
  const range = new CompactRange();
  for (const h of hashes) range.append(h);
  return range.root();
}

/**
 * The "compact range" [0, size): the roots of the maximal complete subtrees covering it, left to right
 * (one per set bit of size, largest first). Appending a leaf merges equal-sized neighbours, like a
 * binary counter; the root folds them right to left.
 */
export class CompactRange {
  private readonly hashes: Buffer[];
  private count: number;

  constructor() {
    this.hashes = [];
    this.count = 0;
  }

  /** Continue from a frontier someone else computed (e.g. `frontierHashes`, or stored with a checkpoint). */
  static fromFrontier(size: number, hashes: readonly Buffer[]): CompactRange {
    assertSize(size, 'size');
    const expected = subtreeSizes(size).length;
    if (hashes.length !== expected) throw new ApiError('INVALID_INPUT', `A frontier of a ${size}-leaf tree has ${expected} hashes, not ${hashes.length}.`);
    for (const h of hashes) assertHash(h, 'frontier hash');
    const range = new CompactRange();
    range.hashes.push(...hashes.map((h) => Buffer.from(h)));
    range.count = size;
    return range;
  }

  get size(): number {
    return this.count;
  }

  append(leafHashValue: Buffer): void {
    assertHash(leafHashValue, 'leaf hash');
    let merged = leafHashValue;
    let n = this.count;
    while (n % 2 === 1) {
      merged = nodeHash(this.hashes.pop()!, merged);
      n = (n - 1) / 2;
    }
    this.hashes.push(merged);
    this.count += 1;
  }

  /** The frontier hashes, left to right (copies). */
  frontier(): Buffer[] {
    return this.hashes.map((h) => Buffer.from(h));
  }

  root(): Buffer {
    if (this.hashes.length === 0) return Buffer.from(EMPTY_ROOT);
    let root = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i -= 1) root = nodeHash(this.hashes[i]!, root);
    return Buffer.from(root);
  }
}

/** The hashes of the maximal complete subtrees covering [0, size), left to right. */
export function frontierHashes(size: number, subtreeHash: SubtreeHash): Buffer[] {
  assertSize(size, 'size');
  const result: Buffer[] = [];
  let start = 0;
  for (const width of subtreeSizes(size)) {
    result.push(subtreeHash(start, start + width));
    start += width;
  }
  return result;
}

/** RFC 9162 §2.1.3.1 PATH(index, D[0:size]), nearest sibling first. */
export function inclusionProof(index: number, size: number, subtreeHash: SubtreeHash): Buffer[] {
  assertSize(size, 'size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new ApiError('INVALID_INPUT', `Leaf ${index} is not in a tree of ${size} leaves.`);
  const outerFirst: Buffer[] = [];
  let start = 0;
  let end = size;
  let m = index;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m < k) {
      outerFirst.push(subtreeHash(start + k, end));
      end = start + k;
    } else {
      outerFirst.push(subtreeHash(start, start + k));
      start += k;
      m -= k;
    }
  }
  return outerFirst.reverse();
}

/** RFC 9162 §2.1.3.2. False (never throws) for any mismatch or malformed input. */
export function verifyInclusion(index: number, size: number, leafHashValue: Buffer, proof: readonly Buffer[], root: Buffer): boolean {
  if (!isSize(size) || !isSize(index) || index >= size) return false;
  if (!isHash(leafHashValue) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHashValue;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.1 PROOF(oldSize, D[0:newSize]) = SUBPROOF(oldSize, D[0:newSize], true); empty for 0 or equal sizes. */
export function consistencyProof(oldSize: number, newSize: number, subtreeHash: SubtreeHash): Buffer[] {
  assertSize(oldSize, 'old size');
  assertSize(newSize, 'new size');
  if (oldSize > newSize) throw new ApiError('INVALID_INPUT', `A tree of ${oldSize} leaves cannot be proven consistent with a smaller one of ${newSize}.`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const outerFirst: Buffer[] = [];
  let start = 0;
  let end = newSize;
  let m = oldSize;
  let wholeOldTree = true;
  for (;;) {
    const n = end - start;
    if (m === n) {
      if (!wholeOldTree) outerFirst.push(subtreeHash(start, end));
      break;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      // The old tree lies inside the left subtree: still "the whole old tree" if it was.
      outerFirst.push(subtreeHash(start + k, end));
      end = start + k;
    } else {
      outerFirst.push(subtreeHash(start, start + k));
      start += k;
      m -= k;
      wholeOldTree = false;
    }
  }
  return outerFirst.reverse();
}

/**
 * RFC 9162 §2.1.4.2. An empty tree is consistent with any tree (empty proof, old root = EMPTY_ROOT);
 * equal sizes need an empty proof and equal roots. False (never throws) for anything else that fails.
 */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Buffer, newRoot: Buffer, proof: readonly Buffer[]): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (oldSize === 0) return proof.length === 0 && oldRoot.equals(EMPTY_ROOT);
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i += 1) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0;
}

/** Widths of the maximal complete subtrees covering [0, size), largest first. */
function subtreeSizes(size: number): number[] {
  const widths: number[] = [];
  let width = 1;
  while (width * 2 <= size) width *= 2;
  let rest = size;
  for (; width >= 1 && rest > 0; width /= 2) {
    if (rest >= width) {
      widths.push(width);
      rest -= width;
    }
  }
  return widths;
}

/** The largest power of two strictly below n (n ≥ 2). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isHash(h: Buffer): boolean {
  return Buffer.isBuffer(h) && h.length === HASH_BYTES;
}

function assertSize(n: number, what: string): void {
  if (!isSize(n)) throw new ApiError('INVALID_INPUT', `A tree ${what} must be a whole number ≥ 0, not ${String(n)}.`);
}

function assertHash(h: Buffer, what: string): void {
  if (!isHash(h)) throw new ApiError('INVALID_INPUT', `A ${what} is 32 bytes (SHA-256).`);
}
