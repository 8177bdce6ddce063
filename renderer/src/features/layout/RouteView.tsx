import { useUi } from '../../stores/ui';
import { HomePage } from '../customers/HomePage';
import { CustomerPage } from '../customers/CustomerPage';
import { SitePage } from '../sites/SitePage';
import { SearchPage } from '../search/SearchPage';
import { TicketsPage } from '../tickets/TicketsPage';
import { TicketPage } from '../tickets/TicketPage';
import { LogPage } from '../log/LogPage';
import { TeamPage } from '../team/TeamPage';
import { ReviewPage } from '../review/ReviewPage';

export function RouteView() {
  const route = useUi((s) => s.route);
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'customer':
      return <CustomerPage key={route.id} id={route.id} />;
    case 'site':
      return <SitePage key={route.id} route={route} />;
    case 'search':
      return <SearchPage q={route.q} />;
    case 'tickets':
      return <TicketsPage filter={route.filter} />;
    case 'ticket':
      return <TicketPage key={route.id} id={route.id} />;
    case 'log':
      return <LogPage />;
    case 'team':
      return <TeamPage />;
    case 'review':
      return <ReviewPage tab={route.tab} />;
    case 'terminals':
      return null; // always mounted by the layout, so terminals outlive page changes
  }
}
