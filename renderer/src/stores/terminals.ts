import { create } from 'zustand';

export interface TerminalTab { sessionId: string; host: string; ticket: string; siteId: number; target: string }

interface TerminalsState {
  tabs: TerminalTab[];
  active: string | null;
  add: (tab: TerminalTab) => void;
  remove: (sessionId: string) => void;
  setActive: (sessionId: string) => void;
}

/** The window's open terminal tabs; each tab's bytes live in its xterm, not here. */
export const useTerminals = create<TerminalsState>((set) => ({
  tabs: [],
  active: null,
  add: (tab) => set((s) => ({ tabs: [...s.tabs, tab], active: tab.sessionId })),
  remove: (sessionId) => set((s) => {
    const tabs = s.tabs.filter((t) => t.sessionId !== sessionId);
    return { tabs, active: s.active === sessionId ? tabs[tabs.length - 1]?.sessionId ?? null : s.active };
  }),
  setActive: (active) => set({ active }),
}));
