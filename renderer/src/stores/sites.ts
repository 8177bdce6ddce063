import { create } from 'zustand';
import { api } from '../api/transport';
import type { Site } from '../../../contract/models';

interface SitesState {
  details: Record<number, Site>;
  loadSite: (id: number) => Promise<Site>;
}

export const useSites = create<SitesState>((set) => ({
  details: {},
  loadSite: async (id) => {
    const site = await api['sites.get']({ id });
    set((s) => ({ details: { ...s.details, [id]: site } }));
    return site;
  },
}));
