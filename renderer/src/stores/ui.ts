import { create } from 'zustand';
import { hrefFor, parseHash, type Route } from '../lib/routes';

interface UiState {
  route: Route;
  /** Bumped after every write so open pages reload what they show. */
  dataVersion: number;
  /** What the header search box holds (kept in sync with the search page's query). */
  searchText: string;
  navigate: (route: Route, options?: { replace?: boolean }) => void;
  bumpData: () => void;
  setSearchText: (text: string) => void;
}

export const useUi = create<UiState>((set) => ({
  route: parseHash(window.location.hash),
  dataVersion: 0,
  searchText: '',
  navigate: (route, options) => {
    const href = hrefFor(route);
    if (options?.replace) window.history.replaceState(null, '', href);
    else if (window.location.hash !== href) window.history.pushState(null, '', href);
    set({ route: parseHash(href) });
  },
  bumpData: () => set((s) => ({ dataVersion: s.dataVersion + 1 })),
  setSearchText: (searchText) => set({ searchText }),
}));

window.addEventListener('hashchange', () => useUi.setState({ route: parseHash(window.location.hash) }));
window.addEventListener('popstate', () => useUi.setState({ route: parseHash(window.location.hash) }));

export const navigate = (route: Route, options?: { replace?: boolean }) => useUi.getState().navigate(route, options);
