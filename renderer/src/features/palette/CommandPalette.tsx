import { Spotlight, type SpotlightActionData } from '@mantine/spotlight';
import { IconBuilding, IconDownload, IconFileImport, IconHistory, IconPlugConnected, IconPlus, IconSearch, IconServer, IconServer2, IconTicket } from '@tabler/icons-react';
import { useMemo } from 'react';
import type { NavigationEntry } from '../../../../contract/models';
import { useNavigation } from '../../stores/navigation';
import { navigate } from '../../stores/ui';
import { openCustomerForm } from '../customers/openCustomerForm';
import { exportProfiles, pickProfileFile } from '../profiles/profileActions';
import { openHostPicker } from '../connect/openHostPicker';
import { openTicketForm } from '../tickets/openTicketForm';

const ICONS = { customer: IconBuilding, site: IconServer2, host: IconServer } as const;

function go(entry: NavigationEntry): void {
  if (entry.kind === 'customer') navigate({ name: 'customer', id: entry.id });
  else if (entry.kind === 'site') navigate({ name: 'site', id: entry.id, tab: 'hosts' });
  else if (entry.siteId) navigate({ name: 'site', id: entry.siteId, tab: 'hosts', hostId: entry.id });
}

export function CommandPalette() {
  const entries = useNavigation((s) => s.entries);
  const actions = useMemo(() => {
    const commands: SpotlightActionData[] = [
      { id: 'cmd-connect', label: 'Connect to host…', description: 'Pick a host, a ticket and a method; the policy decides', keywords: ['ssh', 'vnc', 'anydesk', 'teamviewer', 'vpn', 'session'], onClick: openHostPicker, leftSection: <IconPlugConnected size={18} stroke={1.5} /> },
      { id: 'cmd-open-ticket', label: 'Open ticket', description: 'Record a vendor ticket with its impact and severity', onClick: () => openTicketForm({}), leftSection: <IconPlus size={18} stroke={1.5} /> },
      { id: 'cmd-tickets', label: 'Tickets', description: 'Open tickets and their SLA clocks', onClick: () => navigate({ name: 'tickets', filter: 'open' }), leftSection: <IconTicket size={18} stroke={1.5} /> },
      { id: 'cmd-log', label: 'Session log', description: 'Every connection attempt, verifiable', onClick: () => navigate({ name: 'log' }), leftSection: <IconHistory size={18} stroke={1.5} /> },
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
    return [
      { group: 'Go to', actions: places },
      { group: 'Commands', actions: commands },
    ];
  }, [entries]);

  return (
    <Spotlight
      actions={actions}
      shortcut={['mod + K']}
      tagsToIgnore={[]}
      triggerOnContentEditable
      nothingFound="Nothing matches — try part of a customer, site or host name"
      highlightQuery
      limit={12}
      searchProps={{ leftSection: <IconSearch size={18} stroke={1.5} />, placeholder: 'Jump to a customer, site or host… or run a command', 'aria-label': 'Command palette search' } as Record<string, unknown>}
    />
  );
}
