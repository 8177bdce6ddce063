import { create } from 'zustand';
import type { LiveTerminalView } from '../../../contract/models';
import { api } from '../api/transport';

interface LiveTerminalsState {
  /** Every terminal the core holds that has not ended, as it last reported them. */
  live: LiveTerminalView[];
  load: () => Promise<void>;
  /** Ends a terminal (logged as the engineer's disconnect), then refreshes the list. */
  end: (sessionId: string) => Promise<void>;
}

/**
 * The core's live terminals, whichever window shows them: after a reload this window's tabs are gone
 * but the SSH sessions are not, and this is how the window finds them again (terminals.list).
 */
export const useLiveTerminals = create<LiveTerminalsState>((set, get) => ({
  live: [],
  load: async () => {
    const all = await api['terminals.list']({});
    set({ live: all.filter((t) => t.state !== 'ended') });
  },
  end: async (sessionId) => {
    await api['terminals.close']({ sessionId });
    await get().load();
  },
}));
