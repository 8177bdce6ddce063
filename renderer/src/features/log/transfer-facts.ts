import { escapeControls, escapeName } from '../../../../contract/domain/escape-name';

/**
 * A file transfer as the session log holds it (a 'transfer' event's detail, or one of a session
 * record's `transfers`), made safe and plain to read: every name from the server escaped by the same
 * rule the core and the CLI use — a name may hold an escape sequence or a right-to-left override —
 * and the reason's text with its control characters escaped.
 */
export interface TransferFacts {
  direction: 'download' | 'upload' | null;
  /** Escaped. */
  remotePath: string | null;
  /** Escaped; only when the server's real path differs from the one asked for. */
  resolvedPath: string | null;
  /** Escaped. */
  localName: string | null;
  size: number | null;
  sha256: string | null;
  result: string | null;
  /** Why it was refused, failed or cancelled, or a note on a complete one; controls escaped. */
  why: string | null;
  resumedFrom: number | null;
  bytesMoved: number | null;
  /** The evidence file's SHA-256, when it went into the ticket's evidence. */
  evidence: string | null;
  at: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function transferFacts(detail: Record<string, unknown>): TransferFacts {
  const remote = text(detail.remotePath);
  const resolved = text(detail.resolvedPath);
  const why = text(detail.reason) ?? text(detail.refused) ?? text(detail.note);
  return {
    direction: detail.direction === 'download' || detail.direction === 'upload' ? detail.direction : null,
    remotePath: remote === null ? null : escapeName(remote),
    resolvedPath: resolved === null || resolved === remote ? null : escapeName(resolved),
    localName: text(detail.localName) === null ? null : escapeName(text(detail.localName)!),
    size: count(detail.size),
    sha256: text(detail.sha256),
    result: text(detail.result),
    why: why === null ? null : escapeControls(why),
    resumedFrom: count(detail.resumedFrom),
    bytesMoved: count(detail.bytesMoved),
    evidence: text(detail.evidence),
    at: text(detail.at),
  };
}

/** "3f2a9c…e81b" — enough to tell two hashes apart at a glance; the whole one is on hover and copy. */
export function shortHash(hash: string): string {
  return hash.length <= 16 ? hash : `${hash.slice(0, 10)}…${hash.slice(-6)}`;
}
