import { Alert, Button, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { REVIEW_STATES, type WeeklyReview } from '../../../../contract/review';
import { api } from '../../api/transport';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { engineerTimeZone } from '../../lib/zoned-time';
import { localDay } from '../log/date-presets';
import { BarChart, StackedBar } from './BarChart';
import { STATE_COLORS, STATE_LABELS } from './StateBadge';

const CLOCK_LABELS = { first_response: 'first response', resolution: 'resolution', rca: 'RCA' } as const;

function shiftDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return localDay(new Date(y, m - 1, d + days));
}

function Stat({ label, value, color, testId }: { label: string; value: number; color?: string; testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">{label}</Text>
      <Text fw={700} size="xl" c={value > 0 ? color : undefined} data-testid={testId}>{value}</Text>
    </Card>
  );
}

/** The lead's week (Monday–Sunday in their zone): sessions per engineer and site, denials, exceptions, flags, missed SLAs. */
export function WeeklyView() {
  const zone = engineerTimeZone() || 'UTC';
  const [day, setDay] = useState(() => localDay(new Date()));
  const [week, setWeek] = useState<WeeklyReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setError(null);
    api['review.weekly']({ week: day, timeZone: zone }).then((w) => { if (current) setWeek(w); }, (e: unknown) => { if (current) setError(errorMessage(e)); });
    return () => { current = false; };
  }, [day, zone]);

  return (
    <Stack gap="md" data-testid="review-weekly">
      <Group justify="space-between">
        <Group gap="xs">
          <Button size="xs" variant="default" leftSection={<IconChevronLeft size={14} />} onClick={() => setDay(shiftDays(day, -7))} data-testid="weekly-previous">Previous week</Button>
          <Button size="xs" variant="default" onClick={() => setDay(localDay(new Date()))}>This week</Button>
          <Button size="xs" variant="default" rightSection={<IconChevronRight size={14} />} onClick={() => setDay(shiftDays(day, 7))} data-testid="weekly-next">Next week</Button>
        </Group>
        {week && <Text size="sm" fw={500} data-testid="weekly-range">Week of {week.week.monday} to {week.week.sunday} <Text span size="xs" c="dimmed">({week.week.timeZone})</Text></Text>}
      </Group>
      {error && <Alert color="red" variant="light" data-testid="error-alert">{error}</Alert>}
      {!week && !error && <Skeleton h={240} />}
      {week && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
            <Stat label="Sessions" value={week.totals.sessions} testId="weekly-sessions" />
            <Stat label="Denials" value={week.totals.denials} color="red" testId="weekly-denials" />
            <Stat label="Exceptions" value={week.totals.exceptions} color="orange" testId="weekly-exceptions" />
            <Stat label="Flagged" value={week.totals.flagged} color="red" testId="weekly-flagged" />
          </SimpleGrid>
          <Card withBorder padding="sm">
            <Text size="sm" fw={600} mb={6}>Review state of the week's sessions</Text>
            <StackedBar testId="weekly-states" parts={REVIEW_STATES.map((s) => ({ label: STATE_LABELS[s], value: week.byState[s], color: `var(--mantine-color-${STATE_COLORS[s]}-${s === 'unreviewed' ? 4 : 6})` }))} />
          </Card>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
            <Card withBorder padding="sm">
              <Text size="sm" fw={600} mb={6}>Sessions per engineer</Text>
              <BarChart testId="weekly-per-engineer" bars={week.perEngineer.map((e) => ({
                label: e.name ?? e.engineer, value: e.sessions,
                title: `${e.name ?? e.engineer}: ${e.sessions} sessions, ${e.denials} denied, ${e.exceptions} exceptions, ${e.flagged} flagged`,
              }))} />
            </Card>
            <Card withBorder padding="sm">
              <Text size="sm" fw={600} mb={6}>Sessions per site</Text>
              <BarChart testId="weekly-per-site" bars={week.perSite.map((s) => ({
                label: `${s.customer ?? '—'}/${s.site ?? '—'}`, value: s.sessions, color: 'var(--mantine-color-cyan-6)',
                title: `${s.customer ?? '—'}/${s.site ?? '—'}: ${s.sessions} sessions, ${s.denials} denied, ${s.exceptions} exceptions`,
              }))} />
            </Card>
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
            <Card withBorder padding="sm">
              <Text size="sm" fw={600} mb={6}>Denials and exceptions per engineer</Text>
              <BarChart testId="weekly-denials-chart" empty="No denials or exceptions this week." bars={week.perEngineer.filter((e) => e.denials + e.exceptions > 0).flatMap((e) => [
                { label: `${e.name ?? e.engineer} · denied`, value: e.denials, color: 'var(--mantine-color-red-6)' },
                { label: `${e.name ?? e.engineer} · exceptions`, value: e.exceptions, color: 'var(--mantine-color-orange-6)' },
              ])} />
            </Card>
            <Card withBorder padding="sm">
              <Text size="sm" fw={600} mb={6}>Flagged sessions</Text>
              {week.flaggedSessions.length === 0 && <Text size="sm" c="dimmed">None flagged this week.</Text>}
              <Stack gap={4} data-testid="weekly-flagged-list">
                {week.flaggedSessions.map((s) => (
                  <Text key={s.id} size="xs"><b>{s.engineerName ?? s.engineer}</b> · {s.ticket ?? 'no ticket'} · {s.customer}/{s.site} · {formatDateTime(s.startedAt)}{s.comment ? ` — ${s.comment}` : ''}</Text>
                ))}
              </Stack>
            </Card>
          </SimpleGrid>
          <Card withBorder padding="sm">
            <Text size="sm" fw={600}>Bundles and team store</Text>
            <Text size="xs" c="dimmed" mb={6}>When records of each engineer last came — their last accepted and witnessed bundle, or the last sync that pulled theirs from the team store — the longest silent first: records after it are not here yet.</Text>
            {week.bundles.length === 0 && <Text size="sm" c="dimmed">No bundle imported or team store synced yet.</Text>}
            <BarChart testId="weekly-bundle-age" bars={week.bundles.map((b) => {
              const days = Math.max(0, Math.floor((Date.now() - Date.parse(b.lastAcceptedAt)) / 86_400_000));
              const came = b.source === 'team-store' ? `records last pulled from the team store ${formatDateTime(b.lastAcceptedAt)}` : `last bundle accepted ${formatDateTime(b.lastAcceptedAt)}`;
              const count = b.source === 'team-store' ? `${b.records} records` : `${b.bundles} bundles, ${b.records} records`;
              return { label: b.name, value: days, color: days > 7 ? 'var(--mantine-color-orange-6)' : 'var(--mantine-color-gray-5)', title: `${b.name} <${b.engineer}>: ${came} (${days} days ago); ${count}` };
            })} empty="" />
            {week.bundles.length > 0 && <Text size="xs" c="dimmed">Days since records last came.</Text>}
          </Card>
          <Card withBorder padding="sm">
            <Text size="sm" fw={600}>Tickets whose SLA or RCA was missed</Text>
            <Text size="xs" c="dimmed" mb={6}>From the tickets in this data dir: those with a deadline missed this week, and those the week's sessions name. Bundles carry sessions, not tickets.</Text>
            {week.missedTickets.length === 0
              ? <Text size="sm" c="dimmed" data-testid="weekly-missed-none">No missed deadlines.</Text>
              : (
                <Table fz="xs" data-testid="weekly-missed">
                  <Table.Thead><Table.Tr><Table.Th>Ticket</Table.Th><Table.Th>Customer / site</Table.Th><Table.Th>Missed</Table.Th><Table.Th>Due</Table.Th><Table.Th>Sessions this week</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {week.missedTickets.map((t) => (
                      <Table.Tr key={t.ref}>
                        <Table.Td className="sb-mono">{t.ref}</Table.Td>
                        <Table.Td>{t.customer}/{t.site}</Table.Td>
                        <Table.Td><Text size="xs" c="red">{t.missed.map((c) => CLOCK_LABELS[c]).join(', ')}</Text></Table.Td>
                        <Table.Td>{formatDateTime(t.dueAt ?? undefined)}</Table.Td>
                        <Table.Td>{t.sessions}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            {week.unknownTickets.length > 0 && (
              <Text size="xs" c="dimmed" mt={6} data-testid="weekly-unknown-tickets">Not in this data dir's tickets, so not judged: {week.unknownTickets.join(', ')}</Text>
            )}
          </Card>
        </>
      )}
    </Stack>
  );
}
