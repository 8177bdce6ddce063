import { hash } from 'node:crypto';
import type { Db } from '../store/database';
import { CompactRange } from '../transparency/merkle';
import { GENESIS_HASH } from './hash-chain';
import { scanChain } from './chain-scan';
import type { VerifyResult } from './types';
import { verifyChain } from './verify';

/** How often (in records) a scan says how far it got: a few hundred messages for a million records. */
export const PROGRESS_EVERY = 4096;

/** One slice of the log to check: records from..to (inclusive), Merkle leaves counted from from-1. */
export interface RangeScanRequest {
  from: number;
  to: number;
  /** Tree sizes (counted from the slice's first leaf) whose roots the caller wants. */
  wanted: number[];
}

export interface RangeScanResult {
  /** False at the first record whose own hash, number or link (inside the slice) does not hold. */
  ok: boolean;
  count: number;
  /** The first record's prev_hash, for the caller to check against the slice before it. */
  firstPrevHash: string | null;
  lastSeq: number | null;
  lastHash: string | null;
  /** [size, root] for each wanted size the slice reached, roots as base64. */
  roots: [number, string][];
}

/**
 * The fast path of verification over one slice, for a worker thread: every record hashed from the
 * canonical JSON SQLite writes, linked, numbered, and folded into the slice's own Merkle tree. It only
 * ever says "all held" or "something did not": naming what is wrong is verify.ts's job, on the whole log.
 */
export function scanRange(db: Db, request: RangeScanRequest, progress?: (done: number) => void): RangeScanResult {
  const wanted = new Set(request.wanted);
  const tree = new CompactRange();
  const leaf = Buffer.alloc(33);
  const roots: [number, string][] = [];
  if (wanted.has(0)) roots.push([0, tree.root().toString('base64')]);
  return db.transaction((): RangeScanResult => {
    // The first slice links to nothing before it; a later one's first link is the caller's to check.
    const scan = scanChain(db, request.from, request.to, request.from === 1 ? GENESIS_HASH : null, (_seq, digest) => {
      digest.copy(leaf, 1);
      tree.append(hash('sha256', leaf, 'buffer'));
      if (wanted.has(tree.size)) roots.push([tree.size, tree.root().toString('base64')]);
      if (tree.size % PROGRESS_EVERY === 0) progress?.(tree.size);
    });
    const ok = scan.brokenAt === null && scan.held === request.to - request.from + 1;
    return { ok, count: scan.held, firstPrevHash: scan.firstPrevHash, lastSeq: scan.held > 0 ? request.from + scan.held - 1 : null, lastHash: scan.lastHash, roots };
  })();
}

/** The whole log checked the thorough way (verify.ts, which names what is wrong), with the roots wanted. */
export interface ChainAuditRequest {
  wanted: number[];
  expectedHead?: { seq: number; hash: string };
}

export interface ChainAuditResult {
  chain: VerifyResult;
  /** [size, root] for each wanted size the intact chain reached, roots as base64. */
  roots: [number, string][];
}

/**
 * verifyChain over the whole log with each record's leaf folded into the log's Merkle tree: what
 * auditLog needs to hold the log to its checkpoints, and what a worker runs when the fast slices did
 * not all hold (so even naming a tampered record never runs on the core's thread).
 */
export function auditChain(db: Db, request: ChainAuditRequest, progress?: (done: number) => void): ChainAuditResult {
  const tree = new CompactRange();
  const wanted = new Set(request.wanted);
  const roots: [number, string][] = [];
  if (wanted.has(0)) roots.push([0, tree.root().toString('base64')]);
  const leaf = Buffer.alloc(33); // 0x00 || record hash: RFC 6962's leaf, without a fresh buffer per record
  const chain = verifyChain(db, request.expectedHead, (_seq, recordHash) => {
    recordHash.copy(leaf, 1);
    tree.append(hash('sha256', leaf, 'buffer'));
    if (wanted.has(tree.size)) roots.push([tree.size, tree.root().toString('base64')]);
    if (tree.size % PROGRESS_EVERY === 0) progress?.(tree.size);
  });
  return { chain, roots };
}
