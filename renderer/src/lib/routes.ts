/** Hash routes: reload keeps the place, and the token path of the page is left alone. */
export type SiteTab = 'hosts' | 'notes' | 'credentials';

export type Route =
  | { name: 'home' }
  | { name: 'customer'; id: number }
  | { name: 'site'; id: number; tab: SiteTab; hostId?: number; noteId?: number }
  | { name: 'search'; q: string };

const SITE_TABS: readonly SiteTab[] = ['hosts', 'notes', 'credentials'];

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
  }
}
