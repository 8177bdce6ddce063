import { create } from 'zustand';
import type { FieldIssue } from '../../../contract/errors';

export interface ImportFailure { fileName: string; message: string; issues: FieldIssue[] }

interface ProfilesState {
  importing: boolean;
  failure: ImportFailure | null;
  setImporting: (importing: boolean) => void;
  setFailure: (failure: ImportFailure | null) => void;
}

export const useProfiles = create<ProfilesState>((set) => ({
  importing: false,
  failure: null,
  setImporting: (importing) => set({ importing }),
  setFailure: (failure) => set({ failure }),
}));
