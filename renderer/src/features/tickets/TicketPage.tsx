import { Alert, Anchor, Badge, Breadcrumbs, Grid, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconTicket } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/validation';
import { useTickets } from '../../stores/tickets';
import { navigate } from '../../stores/ui';
import { openConnect } from '../connect/openConnect';
import { CustomerTime } from './CustomerTime';
import { SeverityBadge } from './SeverityBadge';
import { TicketActions } from './TicketActions';
import { EscalationBadge } from './TicketsTable';
import { ClocksCard, HistoryCard, SeverityCard } from './TicketPanels';
import { ScreenshotsCard } from './ScreenshotsCard';
import { EvidenceCard } from './EvidenceCard';
import { STATUS_COLORS, TICKET_COMPONENT_LABELS } from './labels';

export function TicketPage({ id }: { id: number }) {
  const ticket = useTickets((s) => s.details[id]);
  const tick = useTickets((s) => s.tick);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    useTickets.getState().loadTicket(id).then(() => setError(null), (e: unknown) => setError(errorMessage(e)));
  }, [id, tick]);

  if (error && !ticket) return <Alert color="red" title="Ticket not available" data-testid="error-alert">{error}</Alert>;
  if (!ticket) return <Stack><Skeleton h={32} w={340} /><Skeleton h={140} /><Skeleton h={220} /></Stack>;

  return (
    <Stack gap="lg" data-testid="ticket-page">
      <Stack gap={4}>
        <Breadcrumbs separator="/" separatorMargin={6}>
          <Anchor size="sm" href="#/tickets" onClick={(e) => { e.preventDefault(); navigate({ name: 'tickets', filter: 'open' }); }}>Tickets</Anchor>
          <Anchor size="sm" href={`#/sites/${ticket.siteId}?tab=tickets`} onClick={(e) => { e.preventDefault(); navigate({ name: 'site', id: ticket.siteId, tab: 'tickets' }); }}>
            {ticket.customerName} / {ticket.siteName}
          </Anchor>
        </Breadcrumbs>
        <Group gap="sm">
          <IconTicket size={22} stroke={1.6} />
          <Title order={2} className="sb-mono" style={{ fontSize: '1.5rem' }}>{ticket.ref}</Title>
          <SeverityBadge severity={ticket.severity} computed={ticket.computedSeverity} size="md" testId={`ticket-severity-${ticket.ref}`} />
          <Badge variant="default" size="md">{ticket.level}</Badge>
          <Badge variant="light" color={STATUS_COLORS[ticket.status]} size="md">{ticket.status}</Badge>
          <EscalationBadge ticket={ticket} />
        </Group>
        <Text size="sm" c="dimmed">
          {ticket.type === 'incident' ? 'Incident' : 'Change'} · {TICKET_COMPONENT_LABELS[ticket.component]} · reported <CustomerTime iso={ticket.reportedAt} timeZone={ticket.timezone} testId="ticket-reported-at" /> ({ticket.timezone})
        </Text>
        {ticket.summary && <Text size="sm" maw={820}>{ticket.summary}</Text>}
      </Stack>
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <ClocksCard ticket={ticket} />
            <SeverityCard ticket={ticket} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <TicketActions ticket={ticket} onConnect={() => openConnect({ siteId: ticket.siteId, ticketRef: ticket.ref })} />
            <EvidenceCard ticket={ticket} />
            <ScreenshotsCard ticket={ticket} />
            <HistoryCard ticket={ticket} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
