import { create } from 'zustand';
import type { ForwardOpenResult, ForwardView } from '../../../contract/models';
import { api } from '../api/transport';

interface ForwardsState {
  /** Live forwards per terminal session, as main last reported them. */
  bySession: Record<string, ForwardView[]>;
  load: (sessionId: string) => Promise<ForwardView[]>;
  open: (sessionId: string, request: { host: string; port: number; localPort?: number }) => Promise<ForwardOpenResult>;
  close: (forward: ForwardView) => Promise<void>;
  /** A terminal that ended took its forwards with it. */
  forget: (sessionId: string) => void;
}

/** Local port forwards through the window's SSH terminals; main owns them, this mirrors the list. */
export const useForwards = create<ForwardsState>((set, get) => ({
  bySession: {},
  load: async (sessionId) => {
    const forwards = await api['forwards.list']({ sessionId });
    set((s) => ({ bySession: { ...s.bySession, [sessionId]: forwards } }));
    return forwards;
  },
  open: async (sessionId, request) => {
    const result = await api['forwards.open']({ sessionId, ...request });
    await get().load(sessionId);
    return result;
  },
  close: async (forward) => {
    await api['forwards.close']({ forwardId: forward.forwardId });
    await get().load(forward.sessionId);
  },
  forget: (sessionId) => set((s) => {
    if (!(sessionId in s.bySession)) return s;
    const { [sessionId]: _gone, ...rest } = s.bySession;
    return { bySession: rest };
  }),
}));
