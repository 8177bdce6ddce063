import { create } from 'zustand';
import { api } from '../api/transport';
import type { InputOf } from '../../../contract/api';
import type { LogVerification, SessionRecordView } from '../../../contract/models';
import type { Method } from '../../../contract/domain/vocabulary';
import type { LogKind } from '../../../contract/domain/log-kinds';
import { errorMessage } from '../lib/validation';

export interface LogFilters {
  ticket: string;
  siteId: number | null;
  method: Method | null;
  outcome: string | null;
  /** Exact name, matched by the core (case-insensitive). */
  engineer: string | null;
  /** Local calendar days, YYYY-MM-DD. */
  from: string;
  to: string;
  /** One kind of record (sessions, policy changes, approvals, team, reviews), or null for all. */
  kind: LogKind | null;
}

export const EMPTY_FILTERS: LogFilters = { ticket: '', siteId: null, method: null, outcome: null, engineer: null, from: '', to: '', kind: null };

/** The local day's bounds as ISO instants: "to" includes the whole day. */
function dayStart(day: string, offsetDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + offsetDays).toISOString();
}

export function logQuery(f: LogFilters): InputOf<'log.list'> {
  const q: InputOf<'log.list'> = { limit: 500 };
  if (f.ticket.trim()) q.ticket = f.ticket.trim();
  if (f.siteId) q.siteId = f.siteId;
  if (f.method) q.method = f.method;
  if (f.outcome) q.outcome = f.outcome;
  if (f.engineer) q.engineer = f.engineer;
  if (f.kind) q.kind = f.kind;
  const from = dayStart(f.from);
  const to = dayStart(f.to, 1);
  if (from) q.from = from;
  if (to) q.to = to;
  return q;
}

/** The window's view of the session log: filters, the rows, the open record. */
interface SessionLogState {
  filters: LogFilters;
  records: SessionRecordView[] | null;
  loading: boolean;
  error: string | null;
  verification: LogVerification | null;
  verifyError: string | null;
  verifying: boolean;
  /** How far the running verification got (records checked of the log's), while `verifying`. */
  verifyProgress: { done: number; total: number } | null;
  verifyJobId: string | null;
  /** The last verification was cancelled (nothing was changed; there is no verdict). */
  verifyCancelled: boolean;
  /** Session ids of processes (VPN clients) main is running now. */
  running: string[];
  /** Everyone with a session in the log, for the engineer filter. */
  engineers: string[];
  loadEngineers: () => Promise<void>;
  setFilters: (patch: Partial<LogFilters>) => void;
  loadLog: () => Promise<void>;
  verify: () => Promise<void>;
  cancelVerify: () => Promise<void>;
  loadRunning: () => Promise<void>;
}

let latest = 0;

/** How often the window asks how far a verification got: the core answers at once, the work runs on worker threads. */
const VERIFY_POLL_MS = 250;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const useSessionLog = create<SessionLogState>((set, get) => ({
  filters: EMPTY_FILTERS,
  records: null,
  loading: false,
  error: null,
  verification: null,
  verifyError: null,
  verifying: false,
  verifyProgress: null,
  verifyJobId: null,
  verifyCancelled: false,
  running: [],
  engineers: [],
  loadEngineers: async () => {
    try {
      set({ engineers: await api['log.engineers']({}) });
    } catch {
      // The filter then offers only what is already chosen; the table itself reports load errors.
    }
  },
  setFilters: (patch) => {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    void get().loadLog();
  },
  loadLog: async () => {
    const call = ++latest;
    set({ loading: true });
    try {
      const records = await api['log.list'](logQuery(get().filters));
      if (call === latest) set({ records, loading: false, error: null });
    } catch (error) {
      if (call === latest) set({ loading: false, error: errorMessage(error) });
    }
  },
  verify: async () => {
    set({ verifying: true, verifyError: null, verifyCancelled: false, verifyProgress: { done: 0, total: 0 } });
    try {
      let job = await api['log.verifyStart']({});
      set({ verifyJobId: job.jobId });
      while (job.state === 'running') {
        set({ verifyProgress: { done: job.done, total: job.total } });
        await pause(VERIFY_POLL_MS);
        job = await api['log.verifyJob']({ jobId: job.jobId });
      }
      const end = { verifying: false, verifyProgress: null, verifyJobId: null };
      if (job.state === 'done') set({ ...end, verification: job.result });
      else if (job.state === 'cancelled') set({ ...end, verification: null, verifyCancelled: true });
      else set({ ...end, verification: null, verifyError: job.error ?? 'Verification failed.' });
    } catch (error) {
      set({ verification: null, verifyError: errorMessage(error), verifying: false, verifyProgress: null, verifyJobId: null });
    }
  },
  cancelVerify: async () => {
    const jobId = get().verifyJobId;
    if (!jobId) return;
    try {
      await api['log.verifyCancel']({ jobId });
    } catch (error) {
      set({ verifyError: errorMessage(error) });
    }
  },
  loadRunning: async () => {
    try {
      set({ running: await api['launches.running']({}) });
    } catch {
      set({ running: [] });
    }
  },
}));
