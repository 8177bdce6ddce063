import { Badge, Card, Group, SimpleGrid, Stack, Text, Timeline } from '@mantine/core';
import { IconCircleDot } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { SlaClockView, Ticket } from '../../../../contract/models';
import { CAUSE_LABELS } from '../../../../contract/domain/vocabulary';
import { formatDateTime } from '../../lib/format';
import { CLOCK_LABELS, formatInZone } from '../../lib/sla';
import { ComputationSteps, formatLoss } from './SeverityPreview';
import { SeverityBadge } from './SeverityBadge';
import { SlaClock } from './SlaClock';
import { eventLabel } from './labels';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '0.04em' }}>{label}</Text>
      <Text size="sm" fw={500} component="div">{children}</Text>
    </Stack>
  );
}

function ClockRow({ clock, timeZone }: { clock: SlaClockView; timeZone?: string }) {
  return (
    <Group align="flex-start" wrap="nowrap" gap="md" data-testid={`clock-${clock.name}`}>
      <Stack gap={2} w={190} style={{ flexShrink: 0 }}>
        <Text size="sm" fw={600}>{CLOCK_LABELS[clock.name]}</Text>
        {clock.dueAt && <Text size="xs" c="dimmed">due {formatInZone(clock.dueAt, timeZone)}</Text>}
      </Stack>
      <SlaClock clock={clock} width={170} />
      <Text size="xs" c="dimmed" style={{ flex: 1 }}>{clock.reason}</Text>
    </Group>
  );
}

export function ClocksCard({ ticket, timeZone }: { ticket: Ticket; timeZone?: string }) {
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600} size="sm">SLA clocks</Text>
          <Text size="xs" c="dimmed">{timeZone ? `Due times in the customer's time (${timeZone})` : 'Due times in your local time'}</Text>
        </Group>
        <ClockRow clock={ticket.clocks.firstResponse} timeZone={timeZone} />
        <ClockRow clock={ticket.clocks.resolution} timeZone={timeZone} />
        <ClockRow clock={ticket.clocks.rca} timeZone={timeZone} />
        {ticket.cause !== 'unknown' && <Text size="xs" c="dimmed">Cause: {CAUSE_LABELS[ticket.cause]}</Text>}
      </Stack>
    </Card>
  );
}

export function SeverityCard({ ticket }: { ticket: Ticket }) {
  const { impact, computation } = ticket;
  const overridden = ticket.severity !== ticket.computedSeverity;
  return (
    <Card withBorder padding="md" data-testid="severity-computation">
      <Stack gap="sm">
        <Text fw={600} size="sm">Impact and severity</Text>
        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
          <Fact label="Seats">{impact.seats}</Fact>
          <Fact label="Calls">{impact.calls ?? '—'}</Fact>
          <Fact label="Can't take calls">{impact.cannotTakeCalls}</Fact>
          <Fact label="Can't log in">{impact.cannotLogin}</Fact>
          <Fact label="Calls rejected">{impact.callsRejected}</Fact>
        </SimpleGrid>
        <Group gap="xs">
          <Text size="sm">Computed</Text>
          <SeverityBadge severity={computation.severity} />
          <Text size="sm" c="dimmed">production loss {formatLoss(computation.loss)}</Text>
        </Group>
        <ComputationSteps computation={computation} />
        {overridden && (
          <Text size="sm" data-testid="severity-override-note">
            Overridden to <b>{ticket.severity}</b>{ticket.severityReason ? <>: “{ticket.severityReason}”</> : null} <Text span size="xs" c="dimmed">(recorded)</Text>
          </Text>
        )}
      </Stack>
    </Card>
  );
}

export function HistoryCard({ ticket }: { ticket: Ticket }) {
  return (
    <Card withBorder padding="md" data-testid="ticket-history">
      <Text fw={600} size="sm" mb="sm">History</Text>
      <Timeline bulletSize={18} lineWidth={2} active={ticket.events.length - 1}>
        {ticket.events.map((e, i) => (
          <Timeline.Item key={i} bullet={<IconCircleDot size={10} />} title={<Group gap={6}><Text size="sm" fw={500}>{eventLabel(e.kind)}</Text>{(e.from || e.to) && <Badge size="xs" variant="default">{e.from ? `${e.from} → ` : ''}{e.to ?? '—'}</Badge>}</Group>}>
            {e.reason && <Text size="xs">{e.reason}</Text>}
            <Text size="xs" c="dimmed">{formatDateTime(e.at)} · {e.engineer}</Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}
