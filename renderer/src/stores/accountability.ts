import { create } from 'zustand';
import type { IdentityView, RosterView, WitnessStatus } from '../../../contract/accountability';
import { api } from '../api/transport';
import { errorMessage } from '../lib/validation';

/** Who this data dir signs as, the team roster it trusts, and how much of its log a lead has witnessed. */
interface AccountabilityState {
  /** undefined until loaded; null when the data dir has none. */
  identity: IdentityView | null | undefined;
  roster: RosterView | null | undefined;
  witness: WitnessStatus | null;
  loadError: string | null;
  signingCheckpoint: boolean;
  load: () => Promise<void>;
  loadWitness: () => Promise<void>;
  /** Signs a checkpoint now; resolves to the error sentence, or null when it was signed. */
  signCheckpoint: () => Promise<string | null>;
}

export const useAccountability = create<AccountabilityState>((set, get) => ({
  identity: undefined,
  roster: undefined,
  witness: null,
  loadError: null,
  signingCheckpoint: false,
  load: async () => {
    try {
      const [{ identity }, { roster }] = await Promise.all([api['identity.get']({}), api['team.roster']({})]);
      set({ identity, roster, loadError: null });
    } catch (error) {
      set({ loadError: errorMessage(error) });
    }
    await get().loadWitness();
  },
  loadWitness: async () => {
    try {
      set({ witness: await api['log.witnessStatus']({}) });
    } catch (error) {
      set({ loadError: errorMessage(error) });
    }
  },
  signCheckpoint: async () => {
    set({ signingCheckpoint: true });
    try {
      await api['log.checkpoint']({});
      return null;
    } catch (error) {
      return errorMessage(error);
    } finally {
      set({ signingCheckpoint: false });
      await get().loadWitness();
    }
  },
}));
