import { Button, Card, Group, Skeleton, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { Site } from '../../../../contract/models';
import { useTickets } from '../../stores/tickets';
import { TicketsEmpty } from './TicketsPage';
import { TicketsTable } from './TicketsTable';
import { openTicketForm } from './openTicketForm';

export function SiteTicketsTab({ site }: { site: Site }) {
  const list = useTickets((s) => s.list);
  const tickets = list?.filter((t) => t.siteId === site.id) ?? [];
  const open = () => openTicketForm({ site });
  if (list === null) return <Skeleton h={160} />;
  if (tickets.length === 0) return <Card withBorder><TicketsEmpty onOpen={open} /></Card>;
  return (
    <Card withBorder padding={0} data-testid="site-tickets">
      <Group justify="space-between" px="md" py="sm">
        <Text size="sm" c="dimmed">Tickets for {site.customerName} / {site.name}. Click one to act on it.</Text>
        <Button size="xs" leftSection={<IconPlus size={14} />} onClick={open} data-testid="open-ticket">Open ticket</Button>
      </Group>
      <TicketsTable tickets={tickets} showSite={false} showRca />
    </Card>
  );
}
