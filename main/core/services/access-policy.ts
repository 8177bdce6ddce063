import type { PolicyDecision } from '../../../contract/models';
import type { ConnectionRequest } from '../policy/authorize';

export type AccessRequest = Omit<ConnectionRequest, 'engineer'>;

/**
 * The one decision every connection goes through (docs/security.md): ticket, approved method, trusted
 * host, and the address it resolves to now. A dry run: deciding logs nothing; opening a session does.
 */
export interface AccessPolicy {
  check(request: AccessRequest): Promise<PolicyDecision>;
}
