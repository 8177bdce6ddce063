/** Exception approvals signed by a lead: what the window sends and is shown back. */
import { z } from 'zod';
import { METHODS, type Method } from './domain/vocabulary';
import { id, ticketRef } from './inputs';
import type { MethodApproval } from './models';

const noteText = z.string().min(1, 'paste the signed text or choose its file').max(64 * 1024, 'an approval is at most 64 KiB');

export const approvalInputs = {
  list: z.strictObject({ siteId: id }),
  request: z.strictObject({
    siteId: id,
    method: z.enum(METHODS, { error: 'pick a method' }),
    /** Limits the exception to one of the site's hosts; absent: any trusted host of the site. */
    host: z.string().trim().max(253).optional(),
    ticket: ticketRef,
    reason: z.string().trim().min(1, 'say why').max(500, 'a reason is at most 500 characters').regex(/^[^\r\n]*$/, 'a reason is one line'),
    /** The last moment the exception is valid (UTC). */
    validUntil: z.iso.datetime({ offset: true, error: 'valid until must be a date and time' }),
  }),
  /** A signed request or approval, as text. */
  note: z.strictObject({ text: noteText }),
  /** A request in a lead's team-store inbox, by its id. */
  inboxRequest: z.strictObject({ requestId: z.string().trim().min(1, 'which request?').max(100) }),
};

/** The request's fields, exactly as the signed text says them. */
export interface ExceptionRequestView {
  id: string;
  engineer: string;
  engineerKey: string;
  site: string;
  method: Method;
  host: string | null;
  ticket: string;
  reason: string;
  until: string;
  requested: string;
}

/** An engineer's request in a lead's inbox, pulled from the team store at the last sync. */
export interface InboxRequestView {
  requestId: string;
  engineer: string;
  site: string;
  method: Method;
  host: string | null;
  ticket: string;
  reason: string;
  validUntil: string;
  /** The team-store login that sent it, and when the store received it. */
  requestedBy: string;
  receivedAt: string;
  /** waiting: to sign; signed: this lead signed it (it goes to the engineer at the next sync); expired: ended unsigned. */
  status: 'waiting' | 'signed' | 'expired';
}

export interface SignerView { name: string; email: string; fingerprint: string }

/** A signed note to hand on: the request (for the lead) or the approval (for the engineer). */
export interface ApprovalNoteView { request: ExceptionRequestView; text: string; fileName: string }

/** What a signed request or approval says and who of the trusted roster signed it (nothing is stored). */
export interface ApprovalInspection {
  request: ExceptionRequestView;
  signers: (SignerView & { role: 'engineer' | 'lead' })[];
  expired: boolean;
}

export type ApprovalStatus = 'requested' | 'active' | 'expired' | 'refused';

export interface ExceptionApprovalView {
  request: ExceptionRequestView;
  status: ApprovalStatus;
  /** The lead whose signature was imported. */
  approvedBy: SignerView | null;
  importedAt: string | null;
  /** SHA-256 of the imported signed approval. */
  sha256: string | null;
  /** The latest refused import for this request, when nothing was accepted. */
  refusal: { code: string; message: string; at: string } | null;
  /** The signed request, to send again. */
  requestText: string;
}

export interface ApprovalsOverview {
  approvals: ExceptionApprovalView[];
  /** Approvals recorded before leads signed them, with a typed name: shown, no longer honoured. */
  legacy: MethodApproval[];
}
