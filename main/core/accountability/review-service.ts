import type {
  ReviewDetail, ReviewFacets, ReviewFilter, ReviewPage, ReviewRecordingView, ReviewSessionView, ReviewState, ReviewVncSliceView, WeeklyReview,
} from '../../../contract/review';
import type { SessionRecordView } from '../../../contract/models';
import type { SessionLog } from '../session-log/session-log';
import type { SessionLogFilter } from '../session-log/types';
import { nowIso, type Db } from '../store/database';
import { listTickets } from '../tickets/tickets';
import type { Identities } from './identity';
import { ReviewDecisions, requireLead } from './review-decisions';
import { ReviewQueue } from './review-queue';
import { reviewReportCsv, signedReviewReport } from './review-report';
import { ReviewViewings } from './review-viewing';
import { heldLogs, teamLogCount, teamLogPage, type HeldLogs, type TeamLogCursor } from './team-log';
import type { TeamRoster } from './team-roster';
import { weeklyReview } from './weekly';

/** Records per page when the team's log is read whole. */
const TEAM_LOG_PAGE = 500;

export interface ReviewServiceParts { db: Db; log: SessionLog; identities: Identities; roster: TeamRoster; dataDir: string }

/**
 * The lead's review of what engineers' bundles brought in (issue 9 §5): the queue, decisions (signed
 * records in the lead's chain), viewings of recordings, the report, and the week at a glance. Reading
 * the queue needs no role (the rows are already on this machine); deciding, watching and signing a
 * report need a lead of the current roster.
 */
export class ReviewService {
  private readonly queue: ReviewQueue;
  private readonly decisions: ReviewDecisions;
  private readonly viewings: ReviewViewings;

  constructor(private readonly parts: ReviewServiceParts) {
    this.queue = new ReviewQueue(parts.db);
    this.decisions = new ReviewDecisions({ ...parts, queue: this.queue });
    this.viewings = new ReviewViewings({ ...parts, queue: this.queue });
  }

  async list(filter: ReviewFilter & { limit?: number; after?: { startedAt: string; id: number } }): Promise<ReviewPage> {
    return this.queue.list(filter);
  }

  async get(id: number): Promise<ReviewDetail> {
    return this.queue.detail(id);
  }

  /** The queue id of a session id (or its unique first 8+ characters), for the CLI. */
  async resolve(ref: string): Promise<number> {
    return this.queue.resolve(ref);
  }

  async facets(): Promise<ReviewFacets> {
    return this.queue.facets();
  }

  async mark(id: number, state: ReviewState, comment?: string): Promise<ReviewSessionView> {
    return this.decisions.mark(id, state, comment);
  }

  /** `review mark SESSION`: whether this person may decide comes first, then which session they mean. */
  async markByRef(ref: string, state: ReviewState, comment?: string): Promise<ReviewSessionView> {
    requireLead(this.parts.identities, this.parts.roster, 'review sessions');
    return this.decisions.mark(this.queue.resolve(ref), state, comment);
  }

  /** Reads and checks the recording, and records the viewing. */
  async openRecording(id: number): Promise<ReviewRecordingView> {
    return this.viewings.open(id);
  }

  /** A slice of an imported VNC recording; the first one is the opening (checked, recorded). */
  async vncRecordingSlice(id: number, offset: number): Promise<ReviewVncSliceView> {
    return this.viewings.vncSlice(id, offset);
  }

  /** CSV (one row per session) or the lead-signed JSON report (review-report.ts), newest first. */
  async export(format: 'csv' | 'json', filter: ReviewFilter = {}): Promise<{ text: string; fileName: string }> {
    const day = nowIso().slice(0, 10);
    if (format === 'csv') return { text: reviewReportCsv(this.queue.each(filter)), fileName: `switchboard-review-${day}.csv` };
    const lead = requireLead(this.parts.identities, this.parts.roster, 'sign a review report');
    const signer = await this.parts.identities.signer();
    const report = {
      team: this.parts.roster.current()?.roster.team ?? null,
      lead: { name: lead.name, email: lead.email, fingerprint: lead.fingerprint },
      exportedAt: nowIso(),
      filter,
      sessions: [...this.queue.each(filter)],
    };
    return { text: signedReviewReport(report, signer), fileName: `switchboard-review-${day}.json` };
  }

  /**
   * The own log and every other engineer's records this data dir holds (team-store pulls, bundles), newest
   * first: the first `filter.limit`, or (no limit) every one — held in memory; read a long log with teamLogPage.
   */
  async teamLog(filter: SessionLogFilter): Promise<SessionRecordView[]> {
    const records: SessionRecordView[] = [];
    let page = await this.teamLogPage({ ...filter, limit: filter.limit ?? TEAM_LOG_PAGE });
    records.push(...page.records);
    while (page.next && filter.limit === undefined) {
      page = await this.teamLogPage({ ...filter, limit: TEAM_LOG_PAGE }, page.next);
      records.push(...page.records);
    }
    return records;
  }

  /** `filter.limit` records of the team's log after `after` and where the next page starts (null: the end). */
  async teamLogPage(filter: SessionLogFilter & { limit: number }, after?: TeamLogCursor): Promise<{ records: SessionRecordView[]; next: TeamLogCursor | null }> {
    return teamLogPage(this.parts.db, this.parts.log, filter, after);
  }

  /** How many records of the team's log the filter matches. */
  async teamLogCount(filter: SessionLogFilter): Promise<number> {
    return teamLogCount(this.parts.db, this.parts.log, filter);
  }

  /** How many other engineers' logs this data dir holds, and when records last came. */
  async heldLogs(): Promise<HeldLogs> {
    return heldLogs(this.parts.db);
  }

  async weekly(week: string, timeZone: string): Promise<WeeklyReview> {
    return weeklyReview(this.parts.db, week, timeZone, listTickets(this.parts.db));
  }
}
