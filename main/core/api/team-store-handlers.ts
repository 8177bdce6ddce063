import type { ApiHandlers } from '../../../contract/api';
import type { TeamSyncScheduler } from '../team-store/sync-scheduler';
import type { TeamLink } from '../team-store/team-link';

type TeamStoreMethods = 'team.status' | 'team.syncNow' | 'team.conflicts' | 'team.resolveConflict';

export interface TeamStoreDeps { teamSync: TeamSyncScheduler; team: TeamLink }

/** The window's view of the team store link, and "sync now". */
export function createTeamStoreHandlers({ teamSync, team }: TeamStoreDeps): Pick<ApiHandlers, TeamStoreMethods> {
  return {
    'team.status': () => teamSync.state(),
    'team.syncNow': async () => {
      await teamSync.syncNow();
      return teamSync.state();
    },
    'team.conflicts': ({ all }) => team.conflicts(all ?? false),
    'team.resolveConflict': ({ id, action }) => team.resolveConflict(id, action),
  };
}
