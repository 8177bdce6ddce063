import type { ApprovalInspection, ApprovalNoteView, ApprovalsOverview, ExceptionApprovalView } from '../../../contract/approvals';
import type { ExceptionApprovals, RequestInput } from '../approvals/exception-approvals';
import { getSite } from '../directory/sites';
import { listLegacyApprovals } from '../policy/approvals';
import type { Db } from '../store/database';

/**
 * Exceptions — a method a site has not approved — asked for by the engineer and signed by a lead of
 * the team roster (docs/security.md, "Exception approvals").
 */
export interface ApprovalService {
  /** The site's requests with their status, and the old typed approvals the policy no longer honours. */
  list(siteId: number): Promise<ApprovalsOverview>;
  /** Signs and keeps a request as this data dir's identity; the text goes to a lead. */
  request(input: RequestInput): Promise<ApprovalNoteView>;
  /** What a signed request or approval says and who signed it; stores nothing. */
  inspect(text: string): Promise<ApprovalInspection>;
  /** A lead adds their signature to a request. */
  sign(text: string): Promise<ApprovalNoteView>;
  /** The engineer imports the lead-signed approval of their own request. */
  import(text: string): Promise<ExceptionApprovalView>;
}

export class SqliteApprovals implements ApprovalService {
  constructor(private readonly db: Db, private readonly exceptions: ExceptionApprovals) {}

  async list(siteId: number): Promise<ApprovalsOverview> {
    getSite(this.db, siteId);
    return { approvals: await this.exceptions.list(siteId), legacy: listLegacyApprovals(this.db, siteId) };
  }

  request(input: RequestInput): Promise<ApprovalNoteView> { return this.exceptions.request(input); }
  inspect(text: string): Promise<ApprovalInspection> { return this.exceptions.inspect(text); }
  sign(text: string): Promise<ApprovalNoteView> { return this.exceptions.sign(text); }
  import(text: string): Promise<ExceptionApprovalView> { return this.exceptions.import(text); }
}
