import { Anchor, Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconArrowUpRight } from '@tabler/icons-react';
import type { TicketSummary } from '../../../../contract/models';
import { hrefFor } from '../../lib/routes';
import { navigate } from '../../stores/ui';
import { SeverityBadge } from './SeverityBadge';
import { SlaClock } from './SlaClock';
import { STATUS_COLORS, TICKET_COMPONENT_LABELS } from './labels';

export function EscalationBadge({ ticket }: { ticket: TicketSummary }) {
  if (!ticket.escalation) return null;
  return (
    <Tooltip label={ticket.escalation.reason} multiline w={300}>
      <Badge color="orange" variant="light" size="sm" leftSection={<IconArrowUpRight size={11} />} data-testid={`escalation-${ticket.ref}`}>
        escalation suggested → {ticket.escalation.to}
      </Badge>
    </Tooltip>
  );
}

function TicketRow({ t, showSite, showRca }: { t: TicketSummary; showSite: boolean; showRca: boolean }) {
  const href = hrefFor({ name: 'ticket', id: t.id });
  const open = () => navigate({ name: 'ticket', id: t.id });
  return (
    <Table.Tr data-testid={`ticket-row-${t.ref}`} onClick={open} style={{ cursor: 'pointer' }}>
      <Table.Td>
        <Anchor href={href} fw={600} size="sm" className="sb-mono" onClick={(e) => { e.preventDefault(); e.stopPropagation(); open(); }}>{t.ref}</Anchor>
        <Text size="xs" c="dimmed">{t.type} · {TICKET_COMPONENT_LABELS[t.component]}</Text>
      </Table.Td>
      {showSite && (
        <Table.Td>
          <Text size="sm" truncate maw={200}>{t.customerName}</Text>
          <Text size="xs" c="dimmed">{t.siteName}</Text>
        </Table.Td>
      )}
      <Table.Td><SeverityBadge severity={t.severity} computed={t.computedSeverity} testId={`ticket-severity-${t.ref}`} /></Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Badge variant="default" size="sm">{t.level}</Badge>
          <Badge variant="light" color={STATUS_COLORS[t.status]} size="sm">{t.status}</Badge>
        </Group>
        {t.escalation && <Group mt={4}><EscalationBadge ticket={t} /></Group>}
      </Table.Td>
      <Table.Td><SlaClock clock={t.clocks.firstResponse} testId={`sla-first-response-${t.ref}`} /></Table.Td>
      <Table.Td><SlaClock clock={t.clocks.resolution} testId={`sla-resolution-${t.ref}`} /></Table.Td>
      {showRca && <Table.Td><SlaClock clock={t.clocks.rca} testId={`sla-rca-${t.ref}`} /></Table.Td>}
    </Table.Tr>
  );
}

export function TicketsTable({ tickets, showSite = true, showRca = false }: { tickets: TicketSummary[]; showSite?: boolean; showRca?: boolean }) {
  return (
    <Table.ScrollContainer minWidth={showSite ? 960 : 820}>
      <Table verticalSpacing={8} highlightOnHover data-testid="tickets-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Ticket</Table.Th>
            {showSite && <Table.Th>Customer / site</Table.Th>}
            <Table.Th>Severity</Table.Th>
            <Table.Th>Level · status</Table.Th>
            <Table.Th>First response</Table.Th>
            <Table.Th>Resolution</Table.Th>
            {showRca && <Table.Th>RCA</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tickets.map((t) => <TicketRow key={t.id} t={t} showSite={showSite} showRca={showRca} />)}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
