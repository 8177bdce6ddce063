import type { Method } from '../../../contract/domain/vocabulary';
import type { MethodApproval } from '../../../contract/models';
import { nowIso, type Db } from '../store/database';

/** A recorded exception: a method the site has not approved, allowed by a named person until a date. */
export function recordApproval(db: Db, input: Omit<MethodApproval, 'id' | 'recordedAt'>): number {
  return Number(
    db.prepare('INSERT INTO method_approvals (site_id, method, approved_by, reason, valid_until, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(input.siteId, input.method, input.approvedBy, input.reason, input.validUntil, input.recordedBy, nowIso()).lastInsertRowid,
  );
}

export function listApprovals(db: Db, siteId: number): MethodApproval[] {
  return db
    .prepare(
      `SELECT id, site_id AS siteId, method, approved_by AS approvedBy, reason, valid_until AS validUntil, recorded_by AS recordedBy, recorded_at AS recordedAt
         FROM method_approvals WHERE site_id = ? ORDER BY valid_until DESC`,
    )
    .all(siteId) as MethodApproval[];
}

export function validApproval(db: Db, siteId: number, method: Method, now: Date): MethodApproval | undefined {
  return listApprovals(db, siteId).find((a) => a.method === method && new Date(a.validUntil).getTime() > now.getTime());
}
