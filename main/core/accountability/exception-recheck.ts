import { createHash } from 'node:crypto';
import { openApprovalNote, leadSigners } from '../approvals/approval-checks';
import type { Db } from '../store/database';
import type { Roster, RosterMember } from './roster';

/** An exception session of a bundle whose approval the lead's own checks do not hold up, and why. */
export interface UnverifiedException { sessionId: string; reason: string }

interface ApprovalRef { id?: unknown; sha256?: unknown }
/** An attempt record's columns the recheck reads. */
export interface AttemptRow { session_id: string; at: string; site: string | null; method: string | null; host: string | null; detail: string | null }

/**
 * A lead does not take an engineer's word that a session ran under an exception: for each attempt among
 * `sessionIds` that names one, the approval note must be among the engineer's own signed records the
 * lead holds (its 'approval' record, step 'imported', with the same SHA-256), carry a valid signature by
 * a lead of the LEAD's roster (not the engineer's own copy of it), be the engineer's own request, and
 * cover the attempt: same site and method, the host when it names one, made before `until`.
 * An engineer whose app honoured a forged or stretched approval is caught here, not only by their app.
 */
export function recheckExceptions(db: Db, roster: Roster, engineer: RosterMember, engineerKey: string, sessionIds: readonly string[]): UnverifiedException[] {
  if (sessionIds.length === 0) return [];
  const attempts = db.prepare(
    `SELECT session_id, at, site, method, host, detail FROM imported_events
      WHERE engineer_key = ? AND kind = 'attempt' AND session_id IN (SELECT value FROM json_each(?))`,
  ).all(engineerKey, JSON.stringify(sessionIds)) as AttemptRow[];
  const approvals = () => db.prepare("SELECT detail FROM imported_events WHERE engineer_key = ? AND kind = 'approval'").pluck().all(engineerKey) as (string | null)[];
  return recheckAttempts(attempts, approvals, roster, engineer);
}

/**
 * The same check over records in hand (a bundle's, on the log's worker before anything is written):
 * `approvalDetails` gives the details of every 'approval' record of the engineer the lead holds (read
 * only when an attempt names an approval).
 */
export function recheckAttempts(attempts: readonly AttemptRow[], approvalDetails: () => readonly (string | null)[], roster: Roster, engineer: RosterMember): UnverifiedException[] {
  const withApproval = attempts
    .map((a) => ({ attempt: a, ref: (a.detail ? (JSON.parse(a.detail) as { approval?: ApprovalRef }).approval : undefined) }))
    .filter((a): a is { attempt: AttemptRow; ref: ApprovalRef } => a.ref !== undefined && a.ref !== null);
  if (withApproval.length === 0) return [];
  const notes = new Map<string, string>();
  for (const detail of approvalDetails()) {
    const d = detail ? (JSON.parse(detail) as { step?: unknown; sha256?: unknown; note?: unknown }) : {};
    if (d.step === 'imported' && typeof d.sha256 === 'string' && typeof d.note === 'string') notes.set(d.sha256, d.note);
  }
  const problems: UnverifiedException[] = [];
  for (const { attempt, ref } of withApproval) {
    const reason = problem(attempt, ref, notes, roster, engineer);
    if (reason) problems.push({ sessionId: attempt.session_id, reason });
  }
  return problems;
}

function problem(attempt: AttemptRow, ref: ApprovalRef, notes: Map<string, string>, roster: Roster, engineer: RosterMember): string | null {
  const sha = typeof ref.sha256 === 'string' ? ref.sha256 : '';
  const note = notes.get(sha);
  if (!note) return `the approval it names (${String(ref.id ?? 'no id')}) is not among ${engineer.name}'s imported approvals held here`;
  if (createHash('sha256').update(note, 'utf8').digest('hex') !== sha) return 'the approval note does not hash to the SHA-256 the session names';
  let opened;
  try {
    opened = openApprovalNote(note);
    leadSigners(opened, roster);
  } catch (error) {
    return (error as Error).message;
  }
  const { request } = opened;
  if (request.engineer !== engineer.email || request.engineerKey !== engineer.fingerprint) return `the approval was made for ${request.engineer}, not for ${engineer.email}`;
  if (request.site.toLowerCase() !== (attempt.site ?? '').toLowerCase()) return `the approval is for ${request.site}, the session was on ${attempt.site ?? 'no site'}`;
  if (request.method !== attempt.method) return `the approval is for ${request.method}, the session used ${attempt.method ?? 'no method'}`;
  if (request.host !== null && request.host.toLowerCase() !== (attempt.host ?? '').toLowerCase()) return `the approval covers only ${request.host}, the session went to ${attempt.host ?? 'no host'}`;
  if (Date.parse(attempt.at) > Date.parse(request.until)) return `the session started ${attempt.at}, after the approval ended (${request.until})`;
  return null;
}
