import type { MethodApproval } from '../../../contract/models';
import type { Db } from '../store/database';

/**
 * Exceptions recorded before leads signed them: a typed "approved by" name. They stay on the record and
 * are listed, marked as no longer honoured; the policy reads only lead-signed approvals
 * (main/core/approvals/exception-approvals.ts).
 */
export function listLegacyApprovals(db: Db, siteId: number): MethodApproval[] {
  return db
    .prepare(
      `SELECT id, site_id AS siteId, method, approved_by AS approvedBy, reason, valid_until AS validUntil, recorded_by AS recordedBy, recorded_at AS recordedAt
         FROM method_approvals WHERE site_id = ? ORDER BY valid_until DESC`,
    )
    .all(siteId) as MethodApproval[];
}
