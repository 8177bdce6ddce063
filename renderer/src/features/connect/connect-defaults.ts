import type { RecentConnection } from '../../../../contract/connect-flow';
import type { Method } from '../../../../contract/domain/vocabulary';
import type { Host, Site, TicketSummary } from '../../../../contract/models';
import { hostMethods, isMeeting } from './methods';

/** The method a host's connect flow starts with when none was named: the first the site approved, else the first it has. */
export function defaultMethod(site: Site, host: Host): Method | undefined {
  const methods = hostMethods(site, host);
  return methods.find((m) => site.approvedMethods.includes(m)) ?? methods[0];
}

/** Whether the flow can skip the target step: a known host of the site and one of its own methods (meetings need a link). */
export function isPreset(site: Site, host: Host | undefined, method: Method | undefined): boolean {
  return Boolean(host && method && !isMeeting(method) && hostMethods(site, host).includes(method));
}

/** The site's open tickets with the ones this engineer connected for most recently first. */
export function orderTickets(tickets: TicketSummary[], recents: RecentConnection[], siteId: number): TicketSummary[] {
  const rank = new Map<string, number>();
  recents.filter((r) => r.siteId === siteId).forEach((r, i) => { if (!rank.has(r.ticket.toLowerCase())) rank.set(r.ticket.toLowerCase(), i); });
  const at = (t: TicketSummary) => rank.get(t.ref.toLowerCase()) ?? Number.MAX_SAFE_INTEGER;
  return [...tickets].sort((a, b) => at(a) - at(b));
}

/** The ticket to preselect: the one asked for, else the only one, else the one last used on this site. */
export function preselectTicket(requested: string | undefined, ordered: TicketSummary[], recents: RecentConnection[], siteId: number): string | null {
  if (requested) return requested;
  if (ordered.length === 1) return ordered[0]!.ref;
  const last = recents.find((r) => r.siteId === siteId && ordered.some((t) => t.ref.toLowerCase() === r.ticket.toLowerCase()));
  return last ? ordered.find((t) => t.ref.toLowerCase() === last.ticket.toLowerCase())!.ref : null;
}
