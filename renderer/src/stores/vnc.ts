import { create } from 'zustand';

export type VncScale = 'fit' | 'actual';

/** How a viewer shows its desktop: noVNC's scaleViewport (fit) or 1:1 with scroll bars, and the Tight encoding's levels. */
export interface VncViewerSettings { scale: VncScale; quality: number; compression: number }

/** noVNC's own defaults (quality 6, compression 2), scaled to fit the tab. */
export const DEFAULT_VNC_SETTINGS: VncViewerSettings = { scale: 'fit', quality: 6, compression: 2 };

interface VncState {
  /** By site and target, so a reconnect (a new session) keeps what the engineer chose for that desktop. */
  settings: Record<string, VncViewerSettings>;
  change: (key: string, patch: Partial<VncViewerSettings>) => void;
}

export const vncSettingsKey = (siteId: number, target: string) => `${siteId}:${target}`;

/** The window's VNC viewer settings; the sessions themselves live in their tabs (stores/terminals.ts). */
export const useVnc = create<VncState>((set) => ({
  settings: {},
  change: (key, patch) => set((s) => ({ settings: { ...s.settings, [key]: { ...DEFAULT_VNC_SETTINGS, ...s.settings[key], ...patch } } })),
}));
