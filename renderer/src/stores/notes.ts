import { create } from 'zustand';
import { api } from '../api/transport';
import type { NoteMatch } from '../../../contract/models';
import { errorMessage } from '../lib/validation';

interface NotesState {
  /** The open note editor has changes that are not saved yet. */
  editorDirty: boolean;
  query: string;
  results: NoteMatch[] | null;
  searching: boolean;
  searchError: string | null;
  search: (query: string) => Promise<void>;
}

let latest = 0;

export const useNotes = create<NotesState>((set) => ({
  editorDirty: false,
  query: '',
  results: null,
  searching: false,
  searchError: null,
  search: async (query) => {
    const ticket = ++latest;
    if (query.trim() === '') {
      set({ query, results: null, searching: false, searchError: null });
      return;
    }
    set({ query, searching: true });
    try {
      const results = await api['notes.search']({ query, limit: 50 });
      if (ticket === latest) set({ results, searching: false, searchError: null });
    } catch (error) {
      if (ticket === latest) set({ results: [], searching: false, searchError: errorMessage(error) });
    }
  },
}));
