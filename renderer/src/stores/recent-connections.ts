import { create } from 'zustand';
import { api } from '../api/transport';
import type { RecentConnection } from '../../../contract/connect-flow';

interface RecentConnectionsState {
  entries: RecentConnection[];
  load: () => Promise<void>;
}

/**
 * The engineer's last few connections (site, host, method, ticket), offered at the top of the command
 * palette. The core derives them from the session log, so there is nothing here to keep or lose.
 */
export const useRecentConnections = create<RecentConnectionsState>((set) => ({
  entries: [],
  load: async () => {
    try {
      set({ entries: await api['connections.recent']({}) });
    } catch {
      // The palette still works without them; the connect flow reports real errors.
    }
  },
}));
