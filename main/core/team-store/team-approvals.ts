import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { ApiError } from '../../../contract/errors';
import { openApprovalNote } from '../approvals/approval-checks';
import type { ExceptionApprovals } from '../approvals/exception-approvals';
import { requestTime } from '../approvals/request-text';
import { nowIso, type Db } from '../store/database';
import { isConnectionLost } from './connection';
import { refusal } from './membership';

/** What a sync did with exception requests and approvals. */
export interface ApprovalsSynced {
  /** This data dir's open requests now in the store. */
  requestsPushed: number;
  /** A lead: the team's open requests new in this lead's inbox. */
  inbox: number;
  /** A lead: approvals this lead signed, now in the store. */
  approvalsPushed: number;
  /** Requests of this data dir whose lead-signed approval was imported here (their ids). */
  imported: string[];
  warnings: string[];
}

/** A request in a lead's inbox, as `approvals inbox` shows it. */
export interface InboxRequest {
  requestId: string; engineer: string; site: string; method: string; validUntil: string; requestedBy: string; receivedAt: string;
  status: 'waiting' | 'signed' | 'expired';
}

interface LocalRequest { id: string; note: string; engineer: string; valid_until: string }
interface StoredRequest { id: string; signed_text: string; requested_by: string; received_at: Date }
interface StoredApproval { request_id: string; signed_text: string; signed_by: string }

/**
 * Exception approvals through the team store (PostgreSQL migration 8). The texts travel; the checks stay
 * where they were: a lead signs with ExceptionApprovals.sign (requester in the roster, not expired, four
 * eyes), and the engineer's data dir imports the lead's approval with ExceptionApprovals.import (lead-signed
 * by the roster trusted here, matching the request as made, unexpired) — an import or a refusal is a record
 * in the chain. Steps: push this data dir's open requests; a lead pulls the team's open requests into its
 * inbox and pushes the approvals it signed; everyone imports the approvals of their own open requests.
 */
export async function syncApprovals(client: ClientBase, db: Db, exceptions: ExceptionApprovals, isLead: boolean): Promise<ApprovalsSynced> {
  const warnings: string[] = [];
  const requestsPushed = await pushRequests(client, db, warnings);
  const inbox = isLead ? await pullInbox(client, db, warnings) : 0;
  const approvalsPushed = isLead ? await pushApprovals(client, db, warnings) : 0;
  const imported = await importApprovals(client, db, exceptions, warnings);
  return { requestsPushed, inbox, approvalsPushed, imported, warnings };
}

async function pushRequests(client: ClientBase, db: Db, warnings: string[]): Promise<number> {
  const open = db.prepare('SELECT id, note, engineer, valid_until FROM approval_requests WHERE valid_until > ?').all(requestTime(new Date())) as LocalRequest[];
  if (open.length === 0) return 0;
  const there = new Set((await client.query<{ id: string }>('SELECT id FROM switchboard.approval_requests WHERE id = ANY($1)', [open.map((r) => r.id)])).rows.map((r) => r.id));
  let pushed = 0;
  for (const request of open.filter((r) => !there.has(r.id))) {
    try {
      const result = await client.query('INSERT INTO switchboard.approval_requests (id, signed_text, sha256, engineer, valid_until) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
        [request.id, request.note, sha256(request.note), request.engineer, request.valid_until]);
      pushed += result.rowCount ?? 0;
    } catch (error) {
      if (isConnectionLost(error)) throw error;
      warnings.push(refusal(error, `send exception request ${request.id} to the leads`).message);
    }
  }
  return pushed;
}

async function pullInbox(client: ClientBase, db: Db, warnings: string[]): Promise<number> {
  const rows = (await client.query<StoredRequest>(
    'SELECT id, signed_text, requested_by, received_at FROM switchboard.approval_requests WHERE valid_until > now() AND requested_by <> current_user ORDER BY received_at',
  )).rows;
  const insert = db.prepare(`INSERT OR IGNORE INTO team_approval_inbox (request_id, note, sha256, engineer, site, method, valid_until, requested_by, received_at)
                             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let added = 0;
  for (const row of rows) {
    try {
      const { request } = openApprovalNote(row.signed_text);
      if (request.id !== row.id) throw new ApiError('INVALID_INPUT', `its text names request ${request.id}`);
      added += insert.run(row.id, row.signed_text, sha256(row.signed_text), request.engineer, request.site, request.method, request.until, row.requested_by, row.received_at.toISOString()).changes;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      warnings.push(`Exception request ${row.id} from ${row.requested_by} in the team store cannot be read: ${error.message}`);
    }
  }
  return added;
}

async function pushApprovals(client: ClientBase, db: Db, warnings: string[]): Promise<number> {
  const signed = db.prepare('SELECT sha256, request_id, note FROM lead_signed_approvals WHERE pushed_at IS NULL AND valid_until > ?')
    .all(requestTime(new Date())) as { sha256: string; request_id: string; note: string }[];
  if (signed.length === 0) return 0;
  // An approval of a request the store does not have (it came by file) stays here until the request is there.
  const there = new Set((await client.query<{ id: string }>('SELECT id FROM switchboard.approval_requests WHERE id = ANY($1)', [signed.map((s) => s.request_id)])).rows.map((r) => r.id));
  const mark = db.prepare('UPDATE lead_signed_approvals SET pushed_at = ? WHERE sha256 = ?');
  let pushed = 0;
  for (const approval of signed.filter((s) => there.has(s.request_id))) {
    try {
      const result = await client.query('INSERT INTO switchboard.approvals (request_id, signed_text, sha256) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING',
        [approval.request_id, approval.note, approval.sha256]);
      pushed += result.rowCount ?? 0;
      mark.run(nowIso(), approval.sha256);
    } catch (error) {
      if (isConnectionLost(error)) throw error;
      warnings.push(refusal(error, `publish the approval of request ${approval.request_id}`).message);
    }
  }
  return pushed;
}

async function importApprovals(client: ClientBase, db: Db, exceptions: ExceptionApprovals, warnings: string[]): Promise<string[]> {
  const pending = db.prepare(`SELECT r.id FROM approval_requests r LEFT JOIN signed_approvals a ON a.request_id = r.id
                               WHERE a.request_id IS NULL AND r.valid_until > ?`).pluck().all(requestTime(new Date())) as string[];
  if (pending.length === 0) return [];
  const rows = (await client.query<StoredApproval>('SELECT request_id, signed_text, signed_by FROM switchboard.approvals WHERE request_id = ANY($1) ORDER BY id', [pending])).rows;
  // Tried already: imported, or refused under the roster trusted now. A roster imported since a refusal
  // (say, one naming the approving lead) gives a refused approval one more try.
  const rosterSince = (db.prepare('SELECT max(imported_at) FROM rosters').pluck().get() as string | null) ?? '';
  const tried = db.prepare("SELECT 1 FROM team_approval_pulls WHERE sha256 = ? AND (outcome = 'imported' OR at >= ?)").pluck();
  const note = db.prepare(`INSERT INTO team_approval_pulls (sha256, request_id, outcome, message, at) VALUES (?, ?, ?, ?, ?)
                           ON CONFLICT (sha256) DO UPDATE SET outcome = excluded.outcome, message = excluded.message, at = excluded.at`);
  const imported: string[] = [];
  for (const row of rows) {
    const digest = sha256(row.signed_text.replace(/\r\n/g, '\n'));
    if (imported.includes(row.request_id) || tried.get(digest, rosterSince)) continue;
    try {
      await exceptions.import(row.signed_text);
      imported.push(row.request_id);
      note.run(digest, row.request_id, 'imported', null, nowIso());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Refused and recorded by ExceptionApprovals; tried once, not at every sync.
      note.run(digest, row.request_id, 'refused', error.message, nowIso());
      warnings.push(`The approval of exception request ${row.request_id} that ${row.signed_by} published was not imported: ${error.message}`);
    }
  }
  return imported;
}

/** A lead's inbox: the team's requests pulled from the store, newest first. */
export function approvalInbox(db: Db): InboxRequest[] {
  const now = requestTime(new Date());
  const rows = db.prepare(`SELECT i.request_id AS requestId, i.engineer, i.site, i.method, i.valid_until AS validUntil, i.requested_by AS requestedBy, i.received_at AS receivedAt,
                                  EXISTS (SELECT 1 FROM lead_signed_approvals s WHERE s.request_id = i.request_id) AS signed
                             FROM team_approval_inbox i ORDER BY i.received_at DESC`).all() as (Omit<InboxRequest, 'status'> & { signed: number })[];
  return rows.map(({ signed, ...row }) => ({ ...row, status: signed ? 'signed' : row.validUntil <= now ? 'expired' : 'waiting' }));
}

/** The signed text of a request in the lead's inbox, to sign (`approvals sign ID --from-store`). */
export function inboxRequestText(db: Db, requestId: string): string {
  const text = db.prepare('SELECT note FROM team_approval_inbox WHERE request_id = ?').pluck().get(requestId) as string | undefined;
  if (!text) throw new ApiError('NOT_FOUND', `No request ${requestId} in this data dir's inbox; run "switchboard team sync", then "switchboard approvals inbox".`);
  return text;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
