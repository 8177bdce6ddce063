import { create } from 'zustand';
import { api } from '../api/transport';
import type { AppInfo } from '../../../contract/models';

interface AppState {
  info: AppInfo | null;
  connectionError: string | null;
  loadInfo: () => Promise<void>;
}

export const useApp = create<AppState>((set) => ({
  info: null,
  connectionError: null,
  loadInfo: async () => {
    try {
      set({ info: await api['app.info']({}), connectionError: null });
    } catch (error) {
      set({ connectionError: error instanceof Error ? error.message : String(error) });
    }
  },
}));
