import type { ApiHandlers } from '../../../contract/api';
import type { CoreServices } from '../services';
import { inboxView } from '../team-store/inbox-view';
import type { TeamSyncScheduler } from '../team-store/sync-scheduler';
import type { TeamLink } from '../team-store/team-link';

type TeamStoreMethods = 'team.status' | 'team.syncNow' | 'team.conflicts' | 'team.resolveConflict' | 'team.importWaitingRoster'
  | 'approvals.inbox' | 'approvals.inboxText';

export interface TeamStoreDeps { teamSync: TeamSyncScheduler; team: TeamLink; services: CoreServices }

/** The window's view of the team store link, "sync now", and what travels through it: the waiting roster, a lead's inbox. */
export function createTeamStoreHandlers({ teamSync, team, services }: TeamStoreDeps): Pick<ApiHandlers, TeamStoreMethods> {
  return {
    'team.status': () => teamSync.state(),
    'team.syncNow': async () => {
      await teamSync.syncNow();
      return teamSync.state();
    },
    'team.conflicts': ({ all }) => team.conflicts(all ?? false),
    'team.resolveConflict': ({ id, action }) => team.resolveConflict(id, action),
    // The same checks as a roster file: the first trust is the fingerprint the person confirmed.
    'team.importWaitingRoster': ({ trustLead }) => services.accountability.importRoster(team.waitingRosterText(), trustLead),
    'approvals.inbox': () => inboxView(team),
    'approvals.inboxText': ({ requestId }) => ({ text: team.inboxRequestText(requestId) }),
  };
}
