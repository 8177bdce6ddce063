import type { CurrentEngineer } from '../who';
import type { RecentConnection } from '../../../contract/connect-flow';
import { METHODS, type Method } from '../../../contract/domain/vocabulary';
import type { SessionLogService, TicketService } from '../services';

export interface RecentConnectionsDeps { sessionLog: SessionLogService; tickets: TicketService; engineer: CurrentEngineer }

/** How far back in this engineer's log to look: enough for a handful of distinct combinations. */
const SCAN = 300;

/** Meeting links are one-off and need the presenter confirmed again; they are not offered to repeat. */
const REPEATABLE = new Set<Method>(METHODS.filter((m) => m !== 'webex' && m !== 'teams'));

/**
 * The engineer's last few distinct site/host/method/ticket combinations, derived from the session log
 * rather than kept beside it: the log already records every attempt, so the list is the same in every
 * window, in browser mode (whose origin, and so its localStorage, changes with each launch's port) and
 * after CLI sessions, and there is nothing to keep in step. Only allowed attempts on tickets that are
 * still open are offered; choosing one goes through the connect flow and the policy again.
 */
export async function recentConnections(deps: RecentConnectionsDeps, limit = 5): Promise<RecentConnection[]> {
  const [records, open] = await Promise.all([
    deps.sessionLog.list({ kind: 'session', engineer: deps.engineer(), limit: SCAN }),
    deps.tickets.list({ status: 'open' }),
  ]);
  const openRefs = new Set(open.map((t) => `${t.siteId}|${t.ref.toLowerCase()}`));
  const seen = new Set<string>();
  const out: RecentConnection[] = [];
  for (const r of records) {
    if (out.length >= limit) break;
    if (r.decision !== 'allow' || !r.siteId || !r.site || !r.host || !r.ticket || !REPEATABLE.has(r.method as Method)) continue;
    if (!openRefs.has(`${r.siteId}|${r.ticket.toLowerCase()}`)) continue;
    const key = `${r.siteId}|${r.host}|${r.method}|${r.ticket.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ siteId: r.siteId, site: r.site, host: r.host, method: r.method as Method, ticket: r.ticket, lastAt: r.startedAt });
  }
  return out;
}
