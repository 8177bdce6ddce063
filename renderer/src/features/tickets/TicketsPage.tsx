import { Alert, Badge, Button, Card, Group, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlarm, IconPlus, IconTicket } from '@tabler/icons-react';
import type { TicketSummary } from '../../../../contract/models';
import type { TicketsFilter } from '../../lib/routes';
import { useTickets } from '../../stores/tickets';
import { navigate } from '../../stores/ui';
import { EmptyState } from '../common/EmptyState';
import { TicketsTable } from './TicketsTable';
import { openTicketForm } from './openTicketForm';

const rcaOverdue = (t: TicketSummary) => t.clocks.rca.state === 'breached';
const rcaRunning = (t: TicketSummary) => t.clocks.rca.state === 'running' || t.clocks.rca.state === 'paused';

function Section({ title, hint, tickets, showRca }: { title: string; hint: string; tickets: TicketSummary[]; showRca?: boolean }) {
  return (
    <Card withBorder padding={0}>
      <Group px="md" py="sm" gap="xs">
        <Text fw={600} size="sm">{title}</Text>
        <Badge size="xs" variant="light" color="gray">{tickets.length}</Badge>
        <Text size="xs" c="dimmed">{hint}</Text>
      </Group>
      {tickets.length > 0 ? <TicketsTable tickets={tickets} showRca={showRca} /> : <Text size="sm" c="dimmed" px="md" pb="md">None.</Text>}
    </Card>
  );
}

export function TicketsEmpty({ onOpen }: { onOpen: () => void }) {
  return (
    <EmptyState icon={<IconTicket size={20} />} title="No tickets yet" action={<Button size="xs" leftSection={<IconPlus size={14} />} onClick={onOpen} data-testid="open-ticket">Open ticket</Button>}>
      Open a ticket with the vendor's id (e.g. EXO-48213) and the measured impact: Switchboard computes the severity and starts the SLA clocks.
      You can also open one from a site page, or while connecting — no session runs without a ticket.
    </EmptyState>
  );
}

export function TicketsPage({ filter }: { filter: TicketsFilter }) {
  const list = useTickets((s) => s.list);
  const error = useTickets((s) => s.listError);
  const openForm = () => openTicketForm({});

  if (list === null && error) return <Alert color="red" title="Could not load tickets" data-testid="error-alert">{error}</Alert>;
  const open = list?.filter((t) => t.status === 'open') ?? [];
  const overdue = list?.filter(rcaOverdue) ?? [];
  const shown = filter === 'all' ? (list ?? []) : open;

  return (
    <Stack gap="md" data-testid="tickets-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3}>Tickets</Title>
          <Text size="sm" c="dimmed">SLA clocks count the customer's business time and refresh every 30 seconds.</Text>
        </div>
        <Group gap="sm">
          <SegmentedControl
            size="xs"
            value={filter}
            onChange={(v) => navigate({ name: 'tickets', filter: v as TicketsFilter }, { replace: true })}
            data={[
              { value: 'open', label: `Open (${open.length})` },
              { value: 'rca', label: `Overdue RCA (${overdue.length})` },
              { value: 'all', label: `All (${list?.length ?? 0})` },
            ]}
            data-testid="tickets-filter"
          />
          <Button leftSection={<IconPlus size={16} />} onClick={openForm} data-testid="open-ticket">Open ticket</Button>
        </Group>
      </Group>
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      {list === null && <Stack gap="xs">{[0, 1, 2, 3].map((i) => <Skeleton key={i} h={48} />)}</Stack>}
      {list?.length === 0 && <Card withBorder><TicketsEmpty onOpen={openForm} /></Card>}
      {list && list.length > 0 && filter === 'rca' && (
        <Stack gap="md" data-testid="rca-overdue">
          <Section title="Overdue RCA" hint="Root cause analysis past its 48 h after resolution" tickets={overdue} showRca />
          <Section title="RCA running" hint="Resolved major and critical incidents with an RCA still due" tickets={list.filter(rcaRunning)} showRca />
        </Stack>
      )}
      {list && list.length > 0 && filter !== 'rca' && (
        <Card withBorder padding={0}>
          {shown.length > 0 ? <TicketsTable tickets={shown} showRca={filter === 'all'} /> : (
            <EmptyState icon={<IconAlarm size={20} />} title="No open tickets">All tickets are resolved or closed. See “All” for the history.</EmptyState>
          )}
        </Card>
      )}
    </Stack>
  );
}
