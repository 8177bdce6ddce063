/** The lead's review of imported sessions (issue 9 §5): the queue, decisions, viewings, report and week. */
import { z } from 'zod';
import type { RecordingView } from './models';

export const REVIEW_STATES = ['unreviewed', 'reviewed', 'flagged', 'signed-off'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** The most a page of the queue holds; the first page is 50. */
export const REVIEW_PAGE_MAX = 500;

const text = (max: number) => z.string().trim().min(1).max(max).optional();
/** A date (2026-11-25, its start in UTC) or an ISO time with a zone (the window sends local midnights as ISO). */
const timeBound = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'a date (2026-11-25) or an ISO time (2026-11-25T10:00:00Z)').optional();
const id = z.number().int().positive();

export const reviewFilter = z.strictObject({
  /** The engineer's e-mail, as their records name them. */
  engineer: text(254),
  customer: text(200),
  /** A site's name, or "Customer/site". */
  site: text(401),
  ticket: text(200),
  method: text(40),
  outcome: text(40),
  state: z.enum(REVIEW_STATES).optional(),
  /** Sessions started at or after this. */
  from: timeBound,
  /** Sessions started before this (a date alone: before the end of that day). */
  to: timeBound,
});
export type ReviewFilter = z.output<typeof reviewFilter>;

export const reviewInputs = {
  list: reviewFilter.extend({
    limit: z.number().int().min(1).max(REVIEW_PAGE_MAX).default(50),
    /** Keyset paging: the last row of the page before (its start time and id). */
    after: z.strictObject({ startedAt: z.string().min(1).max(40), id }).optional(),
  }),
  byId: z.strictObject({ id }),
  /** A slice of an imported VNC recording (the first opens it: checked and recorded as a viewing). */
  vncSlice: z.strictObject({ id, offset: z.number().int().min(0) }),
  mark: z.strictObject({
    id,
    state: z.enum(REVIEW_STATES),
    comment: z.string().trim().max(4000).optional(),
  }),
  export: z.strictObject({ format: z.enum(['csv', 'json']), filter: reviewFilter.optional() }),
  weekly: z.strictObject({
    /** Any day of the week wanted (YYYY-MM-DD); the week runs Monday to Sunday. */
    week: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-23'),
    /** The lead's IANA zone, where the week's days begin and end. */
    timeZone: z.string().trim().min(1).max(64),
  }),
};

/** One imported session in the queue. */
export interface ReviewSessionView {
  /** The queue's own id (review_sessions.id). */
  id: number;
  /** The engineer's session id, as their log names it. */
  sessionId: string;
  engineer: string;
  engineerName: string | null;
  /** The engineer's public key (as their bundles are signed). */
  engineerKey: string;
  startedAt: string;
  endedAt: string | null;
  ticket: string | null;
  customer: string | null;
  site: string | null;
  host: string | null;
  method: string | null;
  decision: string | null;
  outcome: string | null;
  exception: boolean;
  recordingSha256: string | null;
  state: ReviewState;
  comment: string | null;
  /** The latest decision: who and when (null while nobody decided). */
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface ReviewPage {
  sessions: ReviewSessionView[];
  /** Pass as `after` for the next page; null when this page is the last. */
  next: { startedAt: string; id: number } | null;
}

/** One of the engineer's records, as they signed it. */
export interface ImportedEventView {
  seq: number;
  kind: string;
  at: string;
  engineer: string;
  decision: string | null;
  reasons: string[];
  outcome: string | null;
  address: string | null;
  detail: Record<string, unknown>;
  summary: string | null;
  hash: string;
}

export interface ReviewDecisionView { state: ReviewState; comment: string | null; decidedBy: string; decidedAt: string; logSeq: number }

export interface ReviewDetail {
  session: ReviewSessionView;
  events: ImportedEventView[];
  /** Oldest first. */
  decisions: ReviewDecisionView[];
  /** The recording that came with the bundle (null: the session has none, or it was not imported). */
  recording: { sha256: string; bytes: number } | null;
}

/** A recording opened for review; the opening is a 'viewing' record in the lead's chain. */
export interface ReviewRecordingView extends RecordingView { viewingSeq: number }

/** A slice of an imported VNC recording; `viewingSeq` is the viewing the first slice recorded (null on later ones). */
export interface ReviewVncSliceView { offset: number; total: number; data: string; sha256Matches: boolean | null; viewingSeq: number | null }

export interface ReviewFacets { engineers: { email: string; name: string }[]; customers: string[] }

export interface WeeklyCount { sessions: number; denials: number; exceptions: number; flagged: number }

export interface MissedTicket {
  ref: string;
  customer: string | null;
  site: string | null;
  /** Which clocks were missed. */
  missed: ('first_response' | 'resolution' | 'rca')[];
  /** The earliest missed deadline. */
  dueAt: string | null;
  /** Sessions of the week that name it. */
  sessions: number;
}

export interface WeeklyReview {
  /** Monday and Sunday (local dates in `timeZone`) and the instants the week starts and ends. */
  week: { monday: string; sunday: string; timeZone: string; startsAt: string; endsAt: string };
  totals: WeeklyCount;
  perEngineer: (WeeklyCount & { engineer: string; name: string | null })[];
  perSite: (WeeklyCount & { customer: string | null; site: string | null })[];
  byState: Record<ReviewState, number>;
  flaggedSessions: ReviewSessionView[];
  missedTickets: MissedTicket[];
  /** Tickets the week's sessions name that this data dir has no ticket for (their SLA cannot be judged here). */
  unknownTickets: string[];
  /**
   * Every engineer whose log this data dir holds, the longest silent first: when records of theirs last came —
   * their last accepted (and witnessed) bundle, or for `team-store` the last sync that pulled records of theirs.
   */
  bundles: { engineer: string; name: string; lastAcceptedAt: string; bundles: number; records: number; source: 'bundles' | 'team-store' }[];
}
