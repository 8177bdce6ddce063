import type { ApiHandlers } from '../../../contract/api';
import type { TeamSyncScheduler } from '../team-store/sync-scheduler';

type TeamStoreMethods = 'team.status' | 'team.syncNow';

export interface TeamStoreDeps { teamSync: TeamSyncScheduler }

/** The window's view of the team store link, and "sync now". */
export function createTeamStoreHandlers({ teamSync }: TeamStoreDeps): Pick<ApiHandlers, TeamStoreMethods> {
  return {
    'team.status': () => teamSync.state(),
    'team.syncNow': async () => {
      await teamSync.syncNow();
      return teamSync.state();
    },
  };
}
