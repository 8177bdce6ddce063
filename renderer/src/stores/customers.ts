import { create } from 'zustand';
import { api } from '../api/transport';
import type { Customer, CustomerSummary } from '../../../contract/models';
import { errorMessage } from '../lib/validation';

interface CustomersState {
  list: CustomerSummary[] | null;
  listError: string | null;
  details: Record<number, Customer>;
  loadList: () => Promise<void>;
  loadCustomer: (id: number) => Promise<Customer>;
}

export const useCustomers = create<CustomersState>((set) => ({
  list: null,
  listError: null,
  details: {},
  loadList: async () => {
    try {
      const list = await api['customers.list']({});
      set({ list, listError: null });
    } catch (error) {
      set({ listError: errorMessage(error) });
    }
  },
  loadCustomer: async (id) => {
    const customer = await api['customers.get']({ id });
    set((s) => ({ details: { ...s.details, [id]: customer } }));
    return customer;
  },
}));
