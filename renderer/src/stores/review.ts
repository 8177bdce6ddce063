import { create } from 'zustand';
import { api } from '../api/transport';
import type { InputOf } from '../../../contract/api';
import type { ReviewDetail, ReviewFacets, ReviewSessionView, ReviewState } from '../../../contract/review';
import { errorMessage } from '../lib/validation';

/** The queue's filter bar: names as typed, days as local calendar days (YYYY-MM-DD). */
export interface ReviewFilters {
  engineer: string | null;
  customer: string;
  site: string;
  ticket: string;
  method: string | null;
  outcome: string | null;
  state: ReviewState | null;
  from: string;
  to: string;
}

export const EMPTY_REVIEW_FILTERS: ReviewFilters = { engineer: null, customer: '', site: '', ticket: '', method: null, outcome: null, state: null, from: '', to: '' };

const PAGE = 50;

/** A local day's start as an ISO instant; `to` ends after its whole day. */
function dayStart(day: string, offsetDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + offsetDays).toISOString();
}

export function reviewQuery(f: ReviewFilters): NonNullable<InputOf<'review.export'>['filter']> {
  const q: NonNullable<InputOf<'review.export'>['filter']> = {};
  if (f.engineer) q.engineer = f.engineer;
  if (f.customer.trim()) q.customer = f.customer.trim();
  if (f.site.trim()) q.site = f.site.trim();
  if (f.ticket.trim()) q.ticket = f.ticket.trim();
  if (f.method) q.method = f.method;
  if (f.outcome) q.outcome = f.outcome;
  if (f.state) q.state = f.state;
  const from = dayStart(f.from);
  const to = dayStart(f.to, 1);
  if (from) q.from = from;
  if (to) q.to = to;
  return q;
}

interface ReviewStore {
  filters: ReviewFilters;
  sessions: ReviewSessionView[] | null;
  next: { startedAt: string; id: number } | null;
  loading: boolean;
  error: string | null;
  facets: ReviewFacets | null;
  /** The highlighted row (j/k move it); its session is shown in the detail pane. */
  selected: number;
  detail: ReviewDetail | null;
  detailError: string | null;
  marking: boolean;
  markError: string | null;
  setFilters: (patch: Partial<ReviewFilters>) => void;
  load: () => Promise<void>;
  loadMore: () => Promise<void>;
  loadFacets: () => Promise<void>;
  select: (index: number) => void;
  move: (by: number) => void;
  mark: (state: ReviewState, comment?: string) => Promise<boolean>;
}

let listRequest = 0;
let detailRequest = 0;

export const useReview = create<ReviewStore>((set, get) => ({
  filters: EMPTY_REVIEW_FILTERS,
  sessions: null,
  next: null,
  loading: false,
  error: null,
  facets: null,
  selected: 0,
  detail: null,
  detailError: null,
  marking: false,
  markError: null,

  setFilters: (patch) => {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    void get().load();
  },

  load: async () => {
    const request = ++listRequest;
    set({ loading: true, error: null });
    try {
      const page = await api['review.list']({ ...reviewQuery(get().filters), limit: PAGE });
      if (request !== listRequest) return;
      set({ sessions: page.sessions, next: page.next, loading: false });
      get().select(Math.min(get().selected, Math.max(page.sessions.length - 1, 0)));
    } catch (error) {
      if (request === listRequest) set({ error: errorMessage(error), loading: false, sessions: get().sessions ?? [] });
    }
  },

  loadMore: async () => {
    const { next, sessions } = get();
    if (!next || !sessions) return;
    const request = ++listRequest;
    set({ loading: true });
    try {
      const page = await api['review.list']({ ...reviewQuery(get().filters), limit: PAGE, after: next });
      if (request !== listRequest) return;
      set({ sessions: [...sessions, ...page.sessions], next: page.next, loading: false });
    } catch (error) {
      if (request === listRequest) set({ error: errorMessage(error), loading: false });
    }
  },

  loadFacets: async () => {
    try {
      set({ facets: await api['review.facets']({}) });
    } catch {
      // The filter bar still takes typed names.
    }
  },

  select: (index) => {
    const session = get().sessions?.[index];
    set({ selected: index, markError: null });
    if (!session) return set({ detail: null, detailError: null });
    if (get().detail?.session.id === session.id) return;
    const request = ++detailRequest;
    set({ detail: null, detailError: null });
    api['review.get']({ id: session.id }).then(
      (detail) => { if (request === detailRequest) set({ detail }); },
      (error: unknown) => { if (request === detailRequest) set({ detailError: errorMessage(error) }); },
    );
  },

  move: (by) => {
    const count = get().sessions?.length ?? 0;
    if (count === 0) return;
    get().select(Math.max(0, Math.min(count - 1, get().selected + by)));
  },

  mark: async (state, comment) => {
    const detail = get().detail;
    if (!detail || get().marking) return false;
    set({ marking: true, markError: null });
    try {
      const session = await api['review.mark']({ id: detail.session.id, state, ...(comment ? { comment } : {}) });
      const fresh = await api['review.get']({ id: session.id });
      set((s) => ({
        marking: false,
        sessions: s.sessions?.map((r) => (r.id === session.id ? session : r)) ?? null,
        detail: s.detail?.session.id === session.id ? fresh : s.detail,
      }));
      return true;
    } catch (error) {
      set({ marking: false, markError: errorMessage(error) });
      return false;
    }
  },
}));
