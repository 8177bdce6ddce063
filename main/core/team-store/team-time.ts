import type { Db } from '../store/database';
import type { TicketClock } from '../tickets/tickets';

/** Where TeamLink.sync keeps the measured skew (laptop clock − team store clock, ms). */
const CLOCK_SKEW_KEY = 'team_clock_skew_ms';

/**
 * The team's time on this laptop: the laptop's clock corrected by how far it was from the team store's
 * at the last sync. Tickets from many laptops share one list and SLA clocks count against the customer,
 * so a ticket reported, responded to or resolved on a laptop whose clock is an hour wrong must still carry
 * the server's time. Not linked (or never synced): the laptop's clock as it is. The skew is read at every
 * call, so a sync's new measurement counts from the next ticket on.
 */
export function teamTime(db: Db, laptopClock: () => number = Date.now): TicketClock {
  const skew = db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck();
  return () => {
    const measured = Number(skew.get(CLOCK_SKEW_KEY) ?? 0);
    return new Date(laptopClock() - (Number.isFinite(measured) ? measured : 0));
  };
}
