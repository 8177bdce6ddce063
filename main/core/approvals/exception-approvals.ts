import { createHash, randomUUID } from 'node:crypto';
import type { ApprovalInspection, ApprovalNoteView, ExceptionApprovalView, ExceptionRequestView, SignerView } from '../../../contract/approvals';
import type { Method } from '../../../contract/domain/vocabulary';
import { ApiError } from '../../../contract/errors';
import type { Identities, Identity } from '../accountability/identity';
import { signersAmong, type RosterMember } from '../accountability/roster';
import type { CurrentRoster, TeamRoster } from '../accountability/team-roster';
import { getSite } from '../directory/sites';
import type { SessionLog } from '../session-log/session-log';
import { nowIso, type Db } from '../store/database';
import { addSignatures, signNote, verifiedBy } from '../transparency/signed-note';
import { leadSigners, openApprovalNote, requester, type OpenedApproval } from './approval-checks';
import { differingFields, formatRequest, parseRequest, requestTime, type ExceptionRequest } from './request-text';

export interface RequestInput { siteId: number; method: Method; host?: string | undefined; ticket: string; reason: string; validUntil: string }

/** An imported approval the policy may use now: lead-signed, unexpired, its lead still a lead. */
export interface ActiveApproval {
  id: string;
  host: string | null;
  ticket: string;
  reason: string;
  validUntil: string;
  lead: SignerView;
  sha256: string;
}

interface RequestRow { id: string; note: string; site_id: number }
interface ApprovalRow { request_id: string; lead: string; lead_email: string; lead_key: string; note: string; sha256: string; imported_at: string }
interface RefusalRow { request_id: string; code: string; message: string; refused_at: string }

export interface ExceptionApprovalsDeps { db: Db; log: SessionLog; identities: Identities; roster: TeamRoster; now?: () => Date }

/**
 * Exceptions a lead signed (issue 9 §4): the engineer signs a request, a lead of the roster adds their
 * signature, the engineer imports the result. The policy honours only imported approvals that are still
 * lead-signed by the roster trusted now, unexpired, and for the site and method (and host) asked for.
 * Every step — requested, signed, imported, refused — is a record in the chain.
 */
export class ExceptionApprovals {
  private readonly now: () => Date;
  constructor(private readonly deps: ExceptionApprovalsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Makes and signs a request as this data dir's identity and keeps it; returns the text to send to a lead. */
  async request(input: RequestInput): Promise<ApprovalNoteView> {
    const { db, identities } = this.deps;
    const me = identities.require();
    const site = getSite(db, input.siteId);
    const host = input.host?.trim() || null;
    if (host && !site.hosts.some((h) => h.name === host)) {
      throw new ApiError('INVALID_INPUT', `${site.customerName}/${site.name} has no host "${host}"; an exception can be limited only to one of the site's trusted hosts (${site.hosts.map((h) => h.name).join(', ') || 'none yet'}).`, [{ path: 'host', message: 'not a host of this site' }]);
    }
    if (site.approvedMethods.includes(input.method)) {
      throw new ApiError('INVALID_INPUT', `${input.method} is already approved for ${site.customerName}/${site.name}; no exception is needed.`, [{ path: 'method', message: 'already approved for this site' }]);
    }
    const now = this.now();
    const until = new Date(input.validUntil);
    if (until.getTime() <= now.getTime()) throw new ApiError('INVALID_INPUT', `The exception would end at ${requestTime(until)}, which has passed; choose a time in the future.`, [{ path: 'validUntil', message: 'in the past' }]);
    const request: ExceptionRequest = {
      id: randomUUID(), engineer: me.email, engineerKey: me.fingerprint, site: `${site.customerName}/${site.name}`, method: input.method,
      host, ticket: input.ticket, reason: input.reason.trim(), until: requestTime(until), requested: requestTime(now),
    };
    const note = signNote(formatRequest(request), [await identities.signer()]);
    db.transaction(() => {
      db.prepare(`INSERT INTO approval_requests (id, site_id, site, method, host, ticket, reason, valid_until, requested_at, engineer, engineer_key, note)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(request.id, site.id, request.site, request.method, request.host, request.ticket, request.reason, request.until, request.requested, me.email, me.fingerprint, note);
      this.record(me, request, 'requested', `Exception requested: ${request.method} on ${request.site}${host ? ` (${host})` : ''} until ${request.until}`, { sha256: sha256(note) }, site.id);
    }).immediate();
    return { request, text: note, fileName: fileName(request, 'request') };
  }

  /** What a signed request or approval says, and which roster members signed it. Stores nothing. */
  async inspect(text: string): Promise<ApprovalInspection> {
    const opened = openApprovalNote(text);
    const roster = this.deps.roster.current();
    const members = roster ? signersAmong(opened.note, roster.roster.members) : [];
    return {
      request: opened.request,
      signers: members.map((m) => ({ name: m.name, email: m.email, fingerprint: m.fingerprint, role: m.role })),
      expired: this.expired(opened.request),
    };
  }

  /** A lead of the current roster adds their signature to a roster member's unexpired request. */
  async sign(text: string): Promise<ApprovalNoteView> {
    const { identities } = this.deps;
    const me = identities.require();
    const roster = this.requireRoster();
    const lead = roster.roster.members.find((m) => m.fingerprint === me.fingerprint);
    if (lead?.role !== 'lead') {
      throw new ApiError('NOT_A_LEAD', `${me.name} <${me.email}> (${me.fingerprint}) is ${lead ? 'an engineer' : 'not a member'} in the roster of ${roster.roster.team}; only its leads (${roster.roster.members.filter((m) => m.role === 'lead').map((m) => m.name).join(', ')}) can sign an exception.`);
    }
    const opened = openApprovalNote(text);
    const { request } = opened;
    const from = requester(opened, roster.roster);
    if (from.email === me.email) throw new ApiError('NOT_A_LEAD', 'This is your own request: another lead of the roster must approve it.');
    if (this.expired(request)) throw new ApiError('EXPIRED', `This request ended at ${request.until}; it can no longer be approved. Ask ${from.name} for a new one.`);
    const signed = addSignatures(text.replace(/\r\n/g, '\n'), [await identities.signer()]);
    const digest = sha256(signed);
    this.deps.db.transaction(() => {
      this.record(me, request, 'signed', `Exception signed for ${from.name}: ${request.method} on ${request.site} until ${request.until}`, {
        requester: { name: from.name, email: from.email, fingerprint: from.fingerprint }, sha256: digest,
      });
      // Kept so that a data dir linked to a team store publishes it at its next sync (team-approvals.ts).
      this.deps.db.prepare('INSERT OR IGNORE INTO lead_signed_approvals (sha256, request_id, note, valid_until, signed_at) VALUES (?, ?, ?, ?, ?)')
        .run(digest, request.id, signed, request.until, nowIso());
    }).immediate();
    return { request, text: signed, fileName: fileName(request, 'approval') };
  }

  /**
   * Accepts a lead-signed approval for a request this data dir made. Every refusal is kept and recorded
   * too, so an engineer trying approvals until one passes leaves a trail.
   */
  async import(text: string): Promise<ExceptionApprovalView> {
    const me = this.deps.identities.require();
    const digest = sha256(text.replace(/\r\n/g, '\n'));
    let opened: OpenedApproval | null = null;
    try {
      opened = openApprovalNote(text);
      return this.accept(me, text, opened, digest);
    } catch (error) {
      if (error instanceof ApiError) this.refused(me, opened?.request ?? null, error, digest);
      throw error;
    }
  }

  /** The site's requests and their approvals, newest first. */
  async list(siteId: number): Promise<ExceptionApprovalView[]> {
    const rows = this.deps.db.prepare('SELECT id, note, site_id FROM approval_requests WHERE site_id = ? ORDER BY requested_at DESC, rowid DESC').all(siteId) as RequestRow[];
    return rows.map((row) => this.view(row));
  }

  /**
   * The approvals the policy may honour now for this site and method. Each is checked again here
   * against the roster trusted now, so a lead removed from the roster no longer approves anything.
   */
  active(siteId: number, method: Method, at: Date = this.now()): ActiveApproval[] {
    const roster = this.deps.roster.current();
    if (!roster) return [];
    const rows = this.deps.db.prepare(
      `SELECT a.request_id, a.lead, a.lead_email, a.lead_key, a.note, a.sha256, a.imported_at FROM signed_approvals a
         JOIN approval_requests r ON r.id = a.request_id
        WHERE r.site_id = ? AND r.method = ? AND r.valid_until > ? ORDER BY r.valid_until DESC`,
    ).all(siteId, method, requestTime(at)) as ApprovalRow[];
    const me = this.deps.identities.current();
    return rows.flatMap((row): ActiveApproval[] => {
      try {
        const opened = openApprovalNote(row.note);
        const lead = leadSigners(opened, roster.roster).find((m) => m.fingerprint === row.lead_key);
        if (!lead || !me || opened.request.engineerKey !== me.fingerprint || !verifiedBy(opened.note, this.deps.identities.verifier(me))) return [];
        const { request } = opened;
        if (Date.parse(request.until) <= at.getTime()) return [];
        return [{ id: request.id, host: request.host, ticket: request.ticket, reason: request.reason, validUntil: request.until, lead: signer(lead), sha256: row.sha256 }];
      } catch {
        return [];
      }
    });
  }

  private accept(me: Identity, text: string, opened: OpenedApproval, digest: string): ExceptionApprovalView {
    const { db } = this.deps;
    const roster = this.requireRoster();
    const { request } = opened;
    const lead = leadSigners(opened, roster.roster)[0]!;
    const row = db.prepare('SELECT id, note, site_id FROM approval_requests WHERE id = ?').get(request.id) as RequestRow | undefined;
    if (!row) {
      throw new ApiError('UNKNOWN_REQUEST', `This approval (request ${request.id}, ${request.engineer}) is for a request this data dir did not make; an approval is imported only by the engineer who asked for it.`);
    }
    const mine = parseRequest(openApprovalNote(row.note).note.text);
    const differs = differingFields(mine, request);
    if (differs.length > 0 || request.engineerKey !== me.fingerprint || !verifiedBy(opened.note, this.deps.identities.verifier(me))) {
      throw new ApiError('APPROVAL_MISMATCH', `This approval does not match request ${request.id} as you made it${differs.length > 0 ? ` (${differs.join(', ')} differ)` : ': it does not carry your signature'}. Nothing was imported.`);
    }
    if (this.expired(request)) throw new ApiError('EXPIRED', `This approval ended at ${request.until}; an expired approval is not imported. Ask for a new one.`);
    const earlier = db.prepare('SELECT imported_at FROM signed_approvals WHERE request_id = ? OR sha256 = ?').pluck().get(request.id, digest) as string | undefined;
    if (earlier) throw new ApiError('ALREADY_IMPORTED', `The approval for request ${request.id} was already imported on ${earlier}; an approval is imported once.`);
    const importedAt = nowIso();
    const normalized = text.replace(/\r\n/g, '\n');
    db.transaction(() => {
      db.prepare('INSERT INTO signed_approvals (request_id, lead, lead_email, lead_key, note, sha256, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(request.id, lead.name, lead.email, lead.fingerprint, normalized, digest, importedAt);
      this.record(me, request, 'imported', `Exception approved by ${lead.name} (${lead.fingerprint}): ${request.method} on ${request.site} until ${request.until}`, {
        lead: signer(lead), sha256: digest, note: normalized,
      }, row.site_id);
    }).immediate();
    return this.view(row);
  }

  private refused(me: Identity, request: ExceptionRequest | null, error: ApiError, digest: string): void {
    const { db, log } = this.deps;
    const known = request ? (db.prepare('SELECT site_id FROM approval_requests WHERE id = ?').pluck().get(request.id) as number | undefined) : undefined;
    const at = nowIso();
    db.transaction(() => {
      db.prepare('INSERT INTO approval_refusals (request_id, code, message, sha256, refused_at) VALUES (?, ?, ?, ?, ?)')
        .run(known ? request!.id : null, error.code, error.message, digest, at);
      if (request) {
        this.record(me, request, 'import-refused', `Exception approval refused: ${error.message}`, { code: error.code, sha256: digest }, known);
      } else {
        log.append({ sessionId: `approval-${digest.slice(0, 16)}`, kind: 'approval', engineer: me.email, summary: `Exception approval refused: ${error.message}`, detail: { step: 'import-refused', code: error.code, sha256: digest } });
      }
    }).immediate();
  }

  private view(row: RequestRow): ExceptionApprovalView {
    const { db } = this.deps;
    const request = parseRequest(openApprovalNote(row.note).note.text);
    const approval = db.prepare('SELECT request_id, lead, lead_email, lead_key, note, sha256, imported_at FROM signed_approvals WHERE request_id = ?').get(row.id) as ApprovalRow | undefined;
    const refusal = approval ? undefined : (db.prepare('SELECT request_id, code, message, refused_at FROM approval_refusals WHERE request_id = ? ORDER BY id DESC LIMIT 1').get(row.id) as RefusalRow | undefined);
    const honoured = approval ? this.active(row.site_id, request.method).some((a) => a.id === request.id) : false;
    const status = this.expired(request) ? 'expired' : honoured ? 'active' : refusal || approval ? 'refused' : 'requested';
    return {
      request: request satisfies ExceptionRequestView,
      status,
      approvedBy: approval ? { name: approval.lead, email: approval.lead_email, fingerprint: approval.lead_key } : null,
      importedAt: approval?.imported_at ?? null,
      sha256: approval?.sha256 ?? null,
      refusal: refusal ? { code: refusal.code, message: refusal.message, at: refusal.refused_at }
        : approval && !honoured ? { code: 'UNTRUSTED_SIGNER', message: `${approval.lead} (${approval.lead_key}) is no longer a lead of the roster trusted now.`, at: approval.imported_at } : null,
      requestText: row.note,
    };
  }

  private record(me: Identity, request: ExceptionRequest, step: string, summary: string, extra: Record<string, unknown>, siteId?: number): void {
    this.deps.log.append({
      sessionId: `approval-${request.id}`, kind: 'approval', engineer: me.email, ticket: request.ticket, site: request.site,
      ...(siteId ? { siteId } : {}), method: request.method, host: request.host, summary,
      detail: { step, request: { ...request }, ...extra },
    });
  }

  private requireRoster(): CurrentRoster {
    const roster = this.deps.roster.current();
    if (!roster) throw new ApiError('UNTRUSTED_SIGNER', 'This data dir has no team roster yet, so it cannot tell who is a lead. Import the roster your lead signed first: "switchboard team roster import FILE".');
    return roster;
  }

  private expired(request: ExceptionRequest): boolean {
    return Date.parse(request.until) <= this.now().getTime();
  }
}

function signer(member: RosterMember): SignerView {
  return { name: member.name, email: member.email, fingerprint: member.fingerprint };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function fileName(request: ExceptionRequest, what: 'request' | 'approval'): string {
  return `exception-${what}-${request.ticket.replace(/[^A-Za-z0-9._-]/g, '_')}-${request.id.slice(0, 8)}.txt`;
}
