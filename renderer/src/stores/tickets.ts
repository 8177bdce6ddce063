import { create } from 'zustand';
import { api } from '../api/transport';
import type { InputOf } from '../../../contract/api';
import type { Ticket, TicketSummary } from '../../../contract/models';
import { errorMessage } from '../lib/validation';

/** SLA clocks are computed by main; the window re-reads them this often (and on focus). */
export const TICKET_POLL_MS = 30_000;

interface TicketsState {
  /** Every ticket, newest first; the site tab and the connect flow filter it. */
  list: TicketSummary[] | null;
  listError: string | null;
  details: Record<number, Ticket>;
  /** Bumped on each poll so an open detail page re-reads its ticket too. */
  tick: number;
  load: () => Promise<void>;
  poll: () => Promise<void>;
  loadTicket: (id: number) => Promise<Ticket>;
  open: (input: InputOf<'tickets.open'>) => Promise<Ticket>;
  act: (input: InputOf<'tickets.act'>) => Promise<Ticket>;
}

export const useTickets = create<TicketsState>((set, get) => ({
  list: null,
  listError: null,
  details: {},
  tick: 0,
  load: async () => {
    try {
      set({ list: await api['tickets.list']({}), listError: null });
    } catch (error) {
      set({ listError: errorMessage(error) });
    }
  },
  poll: async () => {
    set((s) => ({ tick: s.tick + 1 }));
    await get().load();
  },
  loadTicket: async (id) => {
    const ticket = await api['tickets.get']({ id });
    set((s) => ({ details: { ...s.details, [id]: ticket } }));
    return ticket;
  },
  open: async (input) => {
    const ticket = await api['tickets.open'](input);
    set((s) => ({ details: { ...s.details, [ticket.id]: ticket } }));
    await get().load();
    return ticket;
  },
  act: async (input) => {
    const ticket = await api['tickets.act'](input);
    set((s) => ({ details: { ...s.details, [ticket.id]: ticket } }));
    await get().load();
    return ticket;
  },
}));

export const openTicketCount = (list: TicketSummary[] | null): number => list?.filter((t) => t.status === 'open').length ?? 0;

/** Keeps the clocks live: re-fetch every 30 s and whenever the window comes back into focus. */
export function startTicketPolling(): () => void {
  const poll = () => void useTickets.getState().poll();
  const timer = setInterval(poll, TICKET_POLL_MS);
  const onVisible = () => {
    if (document.visibilityState === 'visible') poll();
  };
  window.addEventListener('focus', poll);
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    clearInterval(timer);
    window.removeEventListener('focus', poll);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
