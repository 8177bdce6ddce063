/** Hash routes: reload keeps the place, and the token path of the page is left alone. */
export type SiteTab = 'hosts' | 'tickets' | 'notes' | 'credentials' | 'approvals';
export type TicketsFilter = 'all' | 'open' | 'rca';

export type Route =
  | { name: 'home' }
  | { name: 'customer'; id: number }
  | { name: 'site'; id: number; tab: SiteTab; hostId?: number; noteId?: number }
  | { name: 'search'; q: string }
  | { name: 'tickets'; filter: TicketsFilter }
  | { name: 'ticket'; id: number }
  | { name: 'log' }
  | { name: 'team' }
  | { name: 'review'; tab: 'queue' | 'weekly' }
  | { name: 'terminals' };

const SITE_TABS: readonly SiteTab[] = ['hosts', 'tickets', 'notes', 'credentials', 'approvals'];
const TICKET_FILTERS: readonly TicketsFilter[] = ['all', 'open', 'rca'];

function positiveInt(text: string | null | undefined): number | undefined {
  if (!text || !/^[1-9][0-9]{0,15}$/.test(text)) return undefined;
  return Number(text);
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', query = ''] = raw.split('?', 2);
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  const id = positiveInt(parts[1]);
  if (parts[0] === 'customers' && id) return { name: 'customer', id };
  if (parts[0] === 'sites' && id) {
    const tab = SITE_TABS.find((t) => t === params.get('tab')) ?? 'hosts';
    const route: Route = { name: 'site', id, tab };
    const hostId = positiveInt(params.get('host'));
    const noteId = positiveInt(params.get('note'));
    if (hostId) route.hostId = hostId;
    if (noteId) route.noteId = noteId;
    return route;
  }
  if (parts[0] === 'search') return { name: 'search', q: params.get('q') ?? '' };
  if (parts[0] === 'tickets' && id) return { name: 'ticket', id };
  if (parts[0] === 'tickets') return { name: 'tickets', filter: TICKET_FILTERS.find((f) => f === params.get('filter')) ?? 'open' };
  if (parts[0] === 'log') return { name: 'log' };
  if (parts[0] === 'team') return { name: 'team' };
  if (parts[0] === 'review') return { name: 'review', tab: params.get('tab') === 'weekly' ? 'weekly' : 'queue' };
  if (parts[0] === 'terminals') return { name: 'terminals' };
  return { name: 'home' };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'customer':
      return `#/customers/${route.id}`;
    case 'site': {
      const params = new URLSearchParams();
      if (route.tab !== 'hosts') params.set('tab', route.tab);
      if (route.hostId) params.set('host', String(route.hostId));
      if (route.noteId) params.set('note', String(route.noteId));
      const q = params.toString();
      return `#/sites/${route.id}${q ? `?${q}` : ''}`;
    }
    case 'search':
      return `#/search?${new URLSearchParams({ q: route.q }).toString()}`;
    case 'tickets':
      return route.filter === 'open' ? '#/tickets' : `#/tickets?filter=${route.filter}`;
    case 'ticket':
      return `#/tickets/${route.id}`;
    case 'log':
      return '#/log';
    case 'team':
      return '#/team';
    case 'review':
      return route.tab === 'weekly' ? '#/review?tab=weekly' : '#/review';
    case 'terminals':
      return '#/terminals';
  }
}
