import type { CurrentEngineer } from '../who';
import type { ParsedInputOf } from '../../../contract/api';
import type { MethodApproval } from '../../../contract/models';
import { getSite } from '../directory/sites';
import { listApprovals, recordApproval } from '../policy/approvals';
import { recordPolicyChange } from '../policy-record/recorder';
import type { Db } from '../store/database';

/** Recorded exceptions: a method a site has not approved, allowed by a named person until a date. */
export interface ApprovalService {
  list(siteId: number): Promise<MethodApproval[]>;
  record(input: ParsedInputOf<'approvals.record'>): Promise<MethodApproval>;
}

export class SqliteApprovals implements ApprovalService {
  constructor(private readonly db: Db, private readonly engineer: CurrentEngineer) {}

  async list(siteId: number): Promise<MethodApproval[]> { return listApprovals(this.db, siteId); }

  async record(input: ParsedInputOf<'approvals.record'>): Promise<MethodApproval> {
    getSite(this.db, input.siteId);
    const id = recordPolicyChange(this.db, { engineer: this.engineer(), via: 'approval' }, () => recordApproval(this.db, { ...input, recordedBy: this.engineer() }));
    return listApprovals(this.db, input.siteId).find((a) => a.id === id)!;
  }
}
