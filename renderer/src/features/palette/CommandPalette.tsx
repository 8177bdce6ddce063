import { Spotlight, spotlight, type SpotlightActionData } from '@mantine/spotlight';
import { IconBuilding, IconDownload, IconFileImport, IconHistory, IconListCheck, IconPlugConnected, IconPlus, IconRefresh, IconSearch, IconServer, IconServer2, IconTicket, IconUsersGroup } from '@tabler/icons-react';
import { useMemo, type KeyboardEvent } from 'react';
import type { RecentConnection } from '../../../../contract/connect-flow';
import { METHOD_LABELS } from '../../../../contract/domain/vocabulary';
import type { NavigationEntry } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { useNavigation } from '../../stores/navigation';
import { useRecentConnections } from '../../stores/recent-connections';
import { navigate } from '../../stores/ui';
import { openCustomerForm } from '../customers/openCustomerForm';
import { exportProfiles, pickProfileFile } from '../profiles/profileActions';
import { openConnect } from '../connect/openConnect';
import { openHostPicker } from '../connect/openHostPicker';
import { openTicketForm } from '../tickets/openTicketForm';

const ICONS = { customer: IconBuilding, site: IconServer2, host: IconServer } as const;

function go(entry: NavigationEntry): void {
  if (entry.kind === 'customer') navigate({ name: 'customer', id: entry.id });
  else if (entry.kind === 'site') navigate({ name: 'site', id: entry.id, tab: 'hosts' });
  else if (entry.siteId) navigate({ name: 'site', id: entry.siteId, tab: 'hosts', hostId: entry.id });
}

/** A recent connection, again: the same flow and policy, the decision shown at once, Enter connects. */
function reconnect(r: RecentConnection): void {
  openConnect({ siteId: r.siteId, hostName: r.host, method: r.method, ticketRef: r.ticket, decideAtOnce: true });
}

export function CommandPalette() {
  const entries = useNavigation((s) => s.entries);
  const recents = useRecentConnections((s) => s.entries);
  const actions = useMemo(() => {
    const commands: SpotlightActionData[] = [
      { id: 'cmd-connect', label: 'Connect to host…', description: 'Pick a host, a ticket and a method; the policy decides', keywords: ['ssh', 'vnc', 'anydesk', 'teamviewer', 'vpn', 'session'], onClick: openHostPicker, leftSection: <IconPlugConnected size={18} stroke={1.5} /> },
      { id: 'cmd-open-ticket', label: 'Open ticket', description: 'Record a vendor ticket with its impact and severity', onClick: () => openTicketForm({}), leftSection: <IconPlus size={18} stroke={1.5} /> },
      { id: 'cmd-tickets', label: 'Tickets', description: 'Open tickets and their SLA clocks', onClick: () => navigate({ name: 'tickets', filter: 'open' }), leftSection: <IconTicket size={18} stroke={1.5} /> },
      { id: 'cmd-log', label: 'Session log', description: 'Every connection attempt, verifiable', onClick: () => navigate({ name: 'log' }), leftSection: <IconHistory size={18} stroke={1.5} /> },
      { id: 'cmd-team', label: 'Team', description: 'Your identity and fingerprint, the signed team roster, import or sign a roster', keywords: ['identity', 'roster', 'fingerprint', 'key', 'lead'], onClick: () => navigate({ name: 'team' }), leftSection: <IconUsersGroup size={18} stroke={1.5} /> },
      { id: 'cmd-review', label: 'Review', description: "A lead's queue of engineers' imported sessions, and the week at a glance", keywords: ['lead', 'bundle', 'queue', 'weekly', 'flag', 'sign off'], onClick: () => navigate({ name: 'review', tab: 'queue' }), leftSection: <IconListCheck size={18} stroke={1.5} /> },
      { id: 'cmd-add-customer', label: 'Add customer', description: 'Create a customer with its working days and contacts', onClick: () => openCustomerForm(), leftSection: <IconPlus size={18} stroke={1.5} /> },
      { id: 'cmd-import', label: 'Import profile file', description: 'YAML or JSON site profiles', onClick: pickProfileFile, leftSection: <IconFileImport size={18} stroke={1.5} /> },
      { id: 'cmd-export', label: 'Export profiles', description: 'Download all customers as YAML (no secrets)', onClick: () => void exportProfiles(), leftSection: <IconDownload size={18} stroke={1.5} /> },
    ];
    const places: SpotlightActionData[] = entries.map((e) => {
      const Icon = ICONS[e.kind];
      return {
        id: `${e.kind}-${e.id}`,
        label: e.label,
        description: e.description,
        keywords: [e.kind],
        onClick: () => go(e),
        leftSection: <Icon size={18} stroke={1.5} />,
      };
    });
    // Enter on a recent connection reconnects; the palette lists them first, so it is one keystroke away.
    const recent: SpotlightActionData[] = recents.map((r, i) => ({
      id: `recent-${i}`,
      label: `${r.host} · ${METHOD_LABELS[r.method]} · ${r.ticket}`,
      description: `Reconnect · ${r.site} · last ${formatDateTime(r.lastAt)}`,
      keywords: ['recent', 'reconnect', r.site, r.method],
      onClick: () => reconnect(r),
      leftSection: <IconRefresh size={18} stroke={1.5} />,
      'data-testid': `palette-recent-${i}`,
    }));
    // A host's connect flow opens with the host and its first approved method chosen; only the ticket is left.
    const connects: SpotlightActionData[] = entries.filter((e) => e.kind === 'host' && e.siteId).map((e) => ({
      id: `connect-host-${e.id}`,
      label: `Connect to ${e.label}`,
      description: `${e.description} · pick the ticket, the policy decides`,
      keywords: ['connect', 'ssh', 'session'],
      onClick: () => openConnect({ siteId: e.siteId!, hostName: e.label }),
      leftSection: <IconPlugConnected size={18} stroke={1.5} />,
      'data-testid': `palette-connect-${e.label}`,
    }));
    return [
      { group: 'Recent connections', actions: recent },
      { group: 'Go to', actions: places },
      { group: 'Connect', actions: connects },
      { group: 'Commands', actions: commands },
    ];
  }, [entries, recents]);

  // Ctrl+K, Enter: with nothing typed or picked, Enter reconnects the most recent connection.
  const enterReconnects = (event: KeyboardEvent<HTMLInputElement>) => {
    const latest = recents[0];
    if (event.key !== 'Enter' || event.currentTarget.value.trim() !== '' || !latest) return;
    if (document.querySelector('[data-action][data-selected]')) return;
    spotlight.close();
    reconnect(latest);
  };

  return (
    <Spotlight
      actions={actions}
      shortcut={['mod + K']}
      onSpotlightOpen={() => void useRecentConnections.getState().load()}
      tagsToIgnore={[]}
      triggerOnContentEditable
      nothingFound="Nothing matches — try part of a customer, site or host name"
      highlightQuery
      limit={12}
      searchProps={{ leftSection: <IconSearch size={18} stroke={1.5} />, placeholder: recents.length > 0 ? 'Enter reconnects the first recent connection · or type a customer, site, host or command' : 'Jump to a customer, site or host… or run a command', 'aria-label': 'Command palette search', onKeyDown: enterReconnects } as Record<string, unknown>}
    />
  );
}
