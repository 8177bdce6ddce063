import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconEdit, IconKey, IconNotes, IconPlugConnected, IconPlus, IconServer, IconServer2, IconShieldCheck, IconShieldLock, IconTicket, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import type { Route, SiteTab } from '../../lib/routes';
import { errorMessage } from '../../lib/validation';
import { useSites } from '../../stores/sites';
import { useTickets } from '../../stores/tickets';
import { navigate, useUi } from '../../stores/ui';
import { confirmDelete, runDelete } from '../common/deleteWithUndo';
import { HostsTab } from '../hosts/HostsTab';
import { NotesTab } from '../notes/NotesTab';
import { ApprovalsTab } from '../approvals/ApprovalsTab';
import { CredentialsTab } from '../credentials/CredentialsTab';
import { SiteFacts } from './SiteFacts';
import { openSiteForm } from './openSiteForm';
import { SiteTicketsTab } from '../tickets/SiteTicketsTab';
import { openTicketForm } from '../tickets/openTicketForm';
import { openConnect } from '../connect/openConnect';

type SiteRoute = Extract<Route, { name: 'site' }>;

export function SitePage({ route }: { route: SiteRoute }) {
  const site = useSites((s) => s.details[route.id]);
  const dataVersion = useUi((s) => s.dataVersion);
  const openTickets = useTickets((s) => s.list?.filter((t) => t.siteId === route.id && t.status === 'open').length ?? 0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    useSites.getState().loadSite(route.id).then(() => setError(null), (e: unknown) => setError(errorMessage(e)));
  }, [route.id, dataVersion]);

  if (error && !site) return <Alert color="red" title="Site not available" data-testid="error-alert">{error}</Alert>;
  if (!site) return <Stack><Skeleton h={32} w={340} /><Skeleton h={110} /><Skeleton h={220} /></Stack>;

  const missing = site.credentials.filter((c) => !c.stored).length;
  const setTab = (tab: string | null) => navigate({ name: 'site', id: site.id, tab: (tab ?? 'hosts') as SiteTab }, { replace: true });
  const remove = () =>
    confirmDelete({
      title: `Delete ${site.customerName} / ${site.name}?`,
      body: `This deletes the site with its ${site.hosts.length} hosts and ${site.notes.length} notes. You can undo right after.`,
      onConfirm: () =>
        void runDelete(() => api['sites.delete']({ id: site.id }), () => navigate({ name: 'customer', id: site.customerId }), () => navigate({ name: 'site', id: site.id, tab: 'hosts' })),
    });

  return (
    <Stack gap="lg" data-testid="site-page">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Breadcrumbs separator="/" separatorMargin={6}>
            <Anchor size="sm" href={`#/customers/${site.customerId}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'customer', id: site.customerId }); }}>
              {site.customerName}
            </Anchor>
            <Text size="sm" c="dimmed">{site.name}</Text>
          </Breadcrumbs>
          <Group gap="xs">
            <IconServer2 size={22} stroke={1.6} />
            <Title order={2}><Text span inherit c="dimmed" fw={500}>{site.customerName} / </Text>{site.name}</Title>
          </Group>
        </Stack>
        <Group gap="xs">
          <Button leftSection={<IconPlugConnected size={14} />} onClick={() => openConnect({ siteId: site.id, method: site.approvedMethods.find((m) => m === 'webex' || m === 'teams') })} data-testid="site-connect" title="Join a customer meeting (Webex / Teams) or reach any target">Connect…</Button>
          {site.vpn && (
            <Button variant="light" leftSection={<IconShieldLock size={14} />} onClick={() => openConnect({ siteId: site.id, hostName: site.vpn?.gateway, method: 'vpn' })} data-testid="site-connect-vpn">VPN</Button>
          )}
          <Button variant="default" leftSection={<IconPlus size={14} />} onClick={() => openTicketForm({ site })} data-testid="site-open-ticket">Open ticket</Button>
          <Button variant="default" leftSection={<IconEdit size={14} />} onClick={() => openSiteForm({ customerId: site.customerId, site })} data-testid="edit-site">Edit</Button>
          <Button variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={remove} data-testid="delete-site">Delete</Button>
        </Group>
      </Group>
      <SiteFacts site={site} />
      <Tabs value={route.tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="hosts" leftSection={<IconServer size={14} />} rightSection={<Badge size="xs" variant="light" color="gray">{site.hosts.length}</Badge>} data-testid="tab-hosts">Hosts</Tabs.Tab>
          <Tabs.Tab value="tickets" leftSection={<IconTicket size={14} />} rightSection={openTickets > 0 ? <Badge size="xs" variant="light" color="blue">{openTickets} open</Badge> : undefined} data-testid="tab-tickets">Tickets</Tabs.Tab>
          <Tabs.Tab value="notes" leftSection={<IconNotes size={14} />} rightSection={<Badge size="xs" variant="light" color="gray">{site.notes.length}</Badge>} data-testid="tab-notes">Notes</Tabs.Tab>
          <Tabs.Tab value="credentials" leftSection={<IconKey size={14} />} rightSection={missing > 0 ? <Badge size="xs" variant="light" color="orange">{missing} missing</Badge> : undefined} data-testid="tab-credentials">Credentials</Tabs.Tab>
          <Tabs.Tab value="approvals" leftSection={<IconShieldCheck size={14} />} data-testid="tab-approvals">Approvals</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="hosts" pt="md"><HostsTab site={site} highlightHostId={route.hostId} /></Tabs.Panel>
        <Tabs.Panel value="tickets" pt="md"><SiteTicketsTab site={site} /></Tabs.Panel>
        <Tabs.Panel value="notes" pt="md"><NotesTab site={site} noteId={route.noteId} /></Tabs.Panel>
        <Tabs.Panel value="credentials" pt="md"><CredentialsTab site={site} /></Tabs.Panel>
        <Tabs.Panel value="approvals" pt="md"><ApprovalsTab site={site} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
