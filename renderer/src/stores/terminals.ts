import { create } from 'zustand';

export interface TerminalTab {
  sessionId: string; host: string; ticket: string; siteId: number; target: string;
  /** An SSH terminal unless 'vnc' (an embedded VNC viewer, features/vnc). */
  kind?: 'ssh' | 'vnc';
  /** VNC: the engineer asked for view-only for this session (the site may impose it anyway). */
  viewOnly?: boolean;
}

interface TerminalsState {
  tabs: TerminalTab[];
  active: string | null;
  /** Tabs whose terminal rang its bell since the engineer last looked at them. */
  bells: Record<string, true>;
  /** Split view: this terminal stays on the left while the active one shows on the right. */
  split: string | null;
  add: (tab: TerminalTab) => void;
  remove: (sessionId: string) => void;
  /** A reconnect: the tab keeps its place, its session is the new one (the old one stays in the log). */
  replace: (sessionId: string, next: TerminalTab) => void;
  setActive: (sessionId: string) => void;
  ring: (sessionId: string) => void;
  viewed: (sessionId: string) => void;
  /** Splits the view (the active terminal stays, the one used before it joins on the right), or unsplits. */
  toggleSplit: () => void;
}

const without = (bells: Record<string, true>, sessionId: string): Record<string, true> => {
  if (!bells[sessionId]) return bells;
  const { [sessionId]: _gone, ...rest } = bells;
  return rest;
};

/** The window's open terminal (and VNC viewer) tabs; each tab's bytes live in its xterm or noVNC, not here. */
export const useTerminals = create<TerminalsState>((set) => ({
  tabs: [],
  active: null,
  bells: {},
  split: null,
  add: (tab) => set((s) => ({ tabs: [...s.tabs, tab], active: tab.sessionId })),
  remove: (sessionId) => set((s) => {
    const tabs = s.tabs.filter((t) => t.sessionId !== sessionId);
    const active = s.active === sessionId ? tabs.find((t) => t.sessionId !== s.split)?.sessionId ?? tabs[tabs.length - 1]?.sessionId ?? null : s.active;
    const split = s.split === sessionId || s.split === active ? null : s.split;
    return { tabs, bells: without(s.bells, sessionId), active, split };
  }),
  replace: (sessionId, next) => set((s) => ({
    tabs: s.tabs.map((t) => (t.sessionId === sessionId ? next : t)),
    bells: without(s.bells, sessionId),
    active: s.active === sessionId ? next.sessionId : s.active,
    split: s.split === sessionId ? next.sessionId : s.split,
  })),
  setActive: (active) => set((s) => ({ active, bells: without(s.bells, active), split: s.split === active ? null : s.split })),
  ring: (sessionId) => set((s) => (s.bells[sessionId] ? s : { bells: { ...s.bells, [sessionId]: true } })),
  viewed: (sessionId) => set((s) => ({ bells: without(s.bells, sessionId) })),
  toggleSplit: () => set((s) => {
    if (s.split !== null) return { split: null };
    const other = [...s.tabs].reverse().find((t) => t.sessionId !== s.active);
    if (!s.active || !other) return s;
    return { split: s.active, active: other.sessionId, bells: without(s.bells, other.sessionId) };
  }),
}));
