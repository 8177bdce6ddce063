import { Badge, Card, Group, SimpleGrid, Stack, Text, Timeline } from '@mantine/core';
import { IconCircleDot, IconPlayerPause } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { SlaClockView, Ticket } from '../../../../contract/models';
import { CAUSE_LABELS } from '../../../../contract/domain/vocabulary';
import { CLOCK_LABELS } from '../../lib/sla';
import { engineerTimeZone } from '../../lib/zoned-time';
import { CustomerTime } from './CustomerTime';
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

const PAUSE_TITLES: Readonly<Record<NonNullable<SlaClockView['pause']>['kind'], string>> = {
  waiting_for_data: 'Waiting for debug data',
  holiday: "Customer's holiday",
  non_working_day: "Not a customer's working day",
};

/** A stopped-for-now clock says so in words: why, and when it counts again. */
function PauseNote({ clock, timeZone }: { clock: SlaClockView; timeZone: string }) {
  if (clock.state !== 'paused') return null;
  const kind = clock.pause?.kind ?? 'waiting_for_data';
  return (
    <Group gap={6} wrap="nowrap" data-testid={`clock-${clock.name}-paused`} data-kind={kind}>
      <Badge size="sm" variant="light" color="gray" leftSection={<IconPlayerPause size={11} />}>Paused</Badge>
      <Text size="xs">
        {PAUSE_TITLES[kind]}
        {clock.pause?.resumesAt && <> — counts again <CustomerTime iso={clock.pause.resumesAt} timeZone={timeZone} /></>}
      </Text>
    </Group>
  );
}

function ClockRow({ clock, timeZone }: { clock: SlaClockView; timeZone: string }) {
  return (
    <Stack gap={4} data-testid={`clock-${clock.name}`} data-state={clock.state}>
      <Group align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={2} w={220} style={{ flexShrink: 0 }}>
          <Text size="sm" fw={600}>{CLOCK_LABELS[clock.name]}</Text>
          {clock.endedAt && <Text size="xs" c="dimmed">ended <CustomerTime iso={clock.endedAt} timeZone={timeZone} /></Text>}
          {clock.dueAt && !clock.endedAt && <Text size="xs" c="dimmed" data-testid={`clock-${clock.name}-due`}>due <CustomerTime iso={clock.dueAt} timeZone={timeZone} /></Text>}
        </Stack>
        <SlaClock clock={clock} width={170} />
        <Text size="xs" c="dimmed" style={{ flex: 1 }}>{clock.reason}</Text>
      </Group>
      <PauseNote clock={clock} timeZone={timeZone} />
    </Stack>
  );
}

export function ClocksCard({ ticket }: { ticket: Ticket }) {
  const timeZone = ticket.timezone;
  const mine = engineerTimeZone();
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600} size="sm">SLA clocks</Text>
          <Text size="xs" c="dimmed" data-testid="ticket-zone-note">
            Times in the customer's zone, <b>{timeZone}</b>{mine && mine !== timeZone ? ` — hover a time for yours (${mine})` : ''}
          </Text>
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
  const timeZone = ticket.timezone;
  return (
    <Card withBorder padding="md" data-testid="ticket-history">
      <Text fw={600} size="sm" mb="sm">History</Text>
      <Timeline bulletSize={18} lineWidth={2} active={ticket.events.length - 1}>
        {ticket.events.map((e, i) => (
          <Timeline.Item key={i} bullet={<IconCircleDot size={10} />} title={<Group gap={6}><Text size="sm" fw={500}>{eventLabel(e.kind)}</Text>{(e.from || e.to) && <Badge size="xs" variant="default">{e.from ? `${e.from} → ` : ''}{e.to ?? '—'}</Badge>}</Group>}>
            {e.reason && <Text size="xs">{e.reason}</Text>}
            <Text size="xs" c="dimmed"><CustomerTime iso={e.at} timeZone={timeZone} /> · {e.engineer}</Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}
