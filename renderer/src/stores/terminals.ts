import { create } from 'zustand';

export interface TerminalTab { sessionId: string; host: string; ticket: string; siteId: number; target: string }

interface TerminalsState {
  tabs: TerminalTab[];
  active: string | null;
  /** Tabs whose terminal rang its bell since the engineer last looked at them. */
  bells: Record<string, true>;
  add: (tab: TerminalTab) => void;
  remove: (sessionId: string) => void;
  /** A reconnect: the tab keeps its place, its session is the new one (the old one stays in the log). */
  replace: (sessionId: string, next: TerminalTab) => void;
  setActive: (sessionId: string) => void;
  ring: (sessionId: string) => void;
  viewed: (sessionId: string) => void;
}

const without = (bells: Record<string, true>, sessionId: string): Record<string, true> => {
  if (!bells[sessionId]) return bells;
  const { [sessionId]: _gone, ...rest } = bells;
  return rest;
};

/** The window's open terminal tabs; each tab's bytes live in its xterm, not here. */
export const useTerminals = create<TerminalsState>((set) => ({
  tabs: [],
  active: null,
  bells: {},
  add: (tab) => set((s) => ({ tabs: [...s.tabs, tab], active: tab.sessionId })),
  remove: (sessionId) => set((s) => {
    const tabs = s.tabs.filter((t) => t.sessionId !== sessionId);
    return { tabs, bells: without(s.bells, sessionId), active: s.active === sessionId ? tabs[tabs.length - 1]?.sessionId ?? null : s.active };
  }),
  replace: (sessionId, next) => set((s) => ({
    tabs: s.tabs.map((t) => (t.sessionId === sessionId ? next : t)),
    bells: without(s.bells, sessionId),
    active: s.active === sessionId ? next.sessionId : s.active,
  })),
  setActive: (active) => set((s) => ({ active, bells: without(s.bells, active) })),
  ring: (sessionId) => set((s) => (s.bells[sessionId] ? s : { bells: { ...s.bells, [sessionId]: true } })),
  viewed: (sessionId) => set((s) => ({ bells: without(s.bells, sessionId) })),
}));
