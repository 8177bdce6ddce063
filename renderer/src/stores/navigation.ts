import { create } from 'zustand';
import { api } from '../api/transport';
import type { NavigationEntry } from '../../../contract/models';

interface NavigationState {
  entries: NavigationEntry[];
  loaded: boolean;
  load: () => Promise<void>;
}

/** The customers → sites → hosts index behind the navbar tree and the command palette. */
export const useNavigation = create<NavigationState>((set) => ({
  entries: [],
  loaded: false,
  load: async () => {
    try {
      set({ entries: await api['navigation.index']({}), loaded: true });
    } catch {
      set({ loaded: true });
    }
  },
}));
