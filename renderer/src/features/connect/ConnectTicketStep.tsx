import { Button, Group, NativeSelect, Paper, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { Site, Ticket, TicketSummary } from '../../../../contract/models';
import { TicketForm } from '../tickets/TicketForm';
import { SeverityBadge } from '../tickets/SeverityBadge';
import { TICKET_COMPONENT_LABELS } from '../tickets/labels';

interface Props {
  site: Site;
  tickets: TicketSummary[] | null;
  value: string | null;
  onChange: (ref: string | null) => void;
  creating: boolean;
  setCreating: (creating: boolean) => void;
  onOpened: (ticket: Ticket) => void;
}

/** Step 1: no session without a ticket — pick an open one of this site, or open one here. */
export function ConnectTicketStep({ site, tickets, value, onChange, creating, setCreating, onOpened }: Props) {
  if (creating) {
    return (
      <Paper withBorder p="md">
        <Text size="sm" fw={600} mb="xs">New ticket for {site.customerName} / {site.name}</Text>
        <TicketForm site={site} onSaved={onOpened} onCancel={() => setCreating(false)} submitLabel="Open ticket and continue" />
      </Paper>
    );
  }
  const selected = tickets?.find((t) => t.ref === value);
  return (
    <Stack gap="sm">
      <NativeSelect
        label="Ticket"
        description={tickets?.length === 0 ? `${site.customerName} / ${site.name} has no open ticket. Open one to continue.` : 'Every session is logged against the ticket it serves.'}
        data={[{ value: '', label: tickets === null ? 'Loading…' : '— pick an open ticket —' }, ...(tickets ?? []).map((t) => ({ value: t.ref, label: `${t.ref} · ${t.severity} · ${TICKET_COMPONENT_LABELS[t.component]} · ${t.level}` }))]}
        value={value ?? ''}
        onChange={(e) => onChange(e.currentTarget.value || null)}
        data-testid="connect-ticket-select"
        data-autofocus
      />
      {selected && (
        <Group gap="xs">
          <SeverityBadge severity={selected.severity} computed={selected.computedSeverity} />
          <Text size="xs" c="dimmed">{selected.type} · reported for {selected.customerName} / {selected.siteName}</Text>
        </Group>
      )}
      <Group>
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => setCreating(true)} data-testid="connect-new-ticket">Open a new ticket</Button>
      </Group>
    </Stack>
  );
}
