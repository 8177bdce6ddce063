import type { InboxRequestView } from '../../../contract/approvals';
import { openApprovalNote } from '../approvals/approval-checks';
import type { TeamLink } from './team-link';

/**
 * A lead's inbox as the window shows it: each request pulled from the team store with the fields its
 * signed text says (host, ticket, reason), so the lead can tell the requests apart before opening one.
 * The text was read when the sync pulled it; a row whose text no longer reads is left out rather than
 * shown half.
 */
export function inboxView(team: TeamLink): InboxRequestView[] {
  return team.approvalInbox().flatMap((row) => {
    try {
      const { request } = openApprovalNote(team.inboxRequestText(row.requestId));
      return [{ ...row, method: request.method, host: request.host ?? null, ticket: request.ticket, reason: request.reason }];
    } catch {
      return [];
    }
  });
}
