import { createHash } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import type { ReviewFilter, ReviewSessionView } from '../../../contract/review';
import { canonicalJson } from '../session-log/hash-chain';
import { csvCell } from '../session-log/export';
import { openNote, signNote, type NoteSigner } from '../transparency/signed-note';
import { signersAmong, type RosterMember } from './roster';

export const REVIEW_REPORT_FORMAT = 'switchboard-review-report';
const NOTE_HEADER = `${REVIEW_REPORT_FORMAT} v1`;

/** One row per session, in this order (docs/cli.md names them). */
export const REVIEW_CSV_COLUMNS = [
  'id', 'engineer', 'ticket', 'customer', 'site', 'host', 'method', 'outcome', 'started', 'ended', 'state', 'comment', 'decided by', 'decided at',
] as const;

export function reviewReportCsv(sessions: Iterable<ReviewSessionView>): string {
  const lines: string[] = [REVIEW_CSV_COLUMNS.join(',')];
  for (const s of sessions) {
    lines.push([
      s.sessionId, s.engineer, s.ticket, s.customer, s.site, s.host, s.method, s.outcome, s.startedAt, s.endedAt, s.state, s.comment,
      s.decidedBy, s.decidedAt,
    ].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export interface ReviewReport {
  team: string | null;
  lead: { name: string; email: string; fingerprint: string };
  exportedAt: string;
  filter: ReviewFilter;
  sessions: ReviewSessionView[];
}

/**
 * The signed JSON report: `{format, version, report, sha256, signature}`. `sha256` is the SHA-256 of
 * the canonical JSON of `report` (keys sorted at every depth, no spaces); `signature` is a C2SP signed
 * note whose text is "switchboard-review-report v1\nsha256 <hex>\n", signed by the lead's Ed25519 key
 * under their e-mail as key name — the same signatures as checkpoints and rosters, so the same tools
 * check it. Anyone with the roster can verify it offline (verifyReviewReport).
 */
export function signedReviewReport(report: ReviewReport, signer: NoteSigner): string {
  const sha256 = digest(report);
  const signature = signNote(`${NOTE_HEADER}\nsha256 ${sha256}\n`, [signer]);
  return `${JSON.stringify({ format: REVIEW_REPORT_FORMAT, version: 1, report, sha256, signature }, null, 2)}\n`;
}

/** Checks a signed report: its digest, and that a lead of `leads` signed it. Returns the report and who signed. */
export function verifyReviewReport(text: string, leads: readonly RosterMember[]): { report: ReviewReport; signedBy: RosterMember } {
  let parsed: { format?: unknown; version?: unknown; report?: unknown; sha256?: unknown; signature?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (error) {
    throw new ApiError('INVALID_INPUT', `This is not a review report: ${(error as Error).message}.`);
  }
  if (parsed.format !== REVIEW_REPORT_FORMAT || parsed.version !== 1 || typeof parsed.signature !== 'string' || typeof parsed.report !== 'object' || parsed.report === null) {
    throw new ApiError('INVALID_INPUT', `This is not a ${REVIEW_REPORT_FORMAT} version 1 file.`);
  }
  const report = parsed.report as ReviewReport;
  const sha256 = digest(report);
  const note = openNote(parsed.signature);
  if (note.text !== `${NOTE_HEADER}\nsha256 ${sha256}\n`) {
    throw new ApiError('SIGNATURE_INVALID', `The report was changed after it was signed: its SHA-256 is ${sha256}, the signature covers ${note.text.split('\n')[1] ?? 'something else'}.`);
  }
  const [signedBy] = signersAmong(note, leads);
  if (!signedBy) throw new ApiError('UNTRUSTED_SIGNER', `The report's signature (${note.signatures.map((s) => s.name).join(', ') || 'none'}) is not by a lead of the roster.`);
  return { report, signedBy };
}

function digest(report: unknown): string {
  return createHash('sha256').update(canonicalJson(report), 'utf8').digest('hex');
}
