import { Alert, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlayerStop, IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import type { LiveTerminalView } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { useLiveTerminals } from '../../stores/live-terminals';
import { useSessionLog } from '../../stores/session-log';
import { useTerminals } from '../../stores/terminals';

const STATE_COLORS: Record<LiveTerminalView['state'], string> = { connected: 'teal', connecting: 'yellow', waiting: 'orange', ended: 'gray' };

const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** Where the terminal is shown now, and what happens to it if nobody reattaches. */
function whereShown(terminal: LiveTerminalView): string {
  if (terminal.attached) return 'Shown in another window; reattaching moves it here.';
  const ends = terminal.idleEndsAt ? ` Ends at ${timeOnly.format(new Date(terminal.idleEndsAt))} unless reattached.` : '';
  return `No window shows it.${ends}`;
}

/**
 * The core's terminals this window has no tab for: after a reload (or when another window holds them)
 * the SSH sessions are still running. Reattach brings one into a tab, redrawn from the core's recent
 * output; End disconnects it (and the log records it).
 */
export function DetachedTerminals({ terminals }: { terminals: LiveTerminalView[] }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reattach = (t: LiveTerminalView) => {
    setError(null);
    useTerminals.getState().add({ sessionId: t.sessionId, host: t.host, ticket: t.ticket, siteId: t.siteId, target: t.target });
  };

  const end = async (t: LiveTerminalView) => {
    setBusy(t.sessionId);
    setError(null);
    try {
      await useLiveTerminals.getState().end(t.sessionId);
      void useSessionLog.getState().loadLog();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card withBorder padding="sm" data-testid="detached-terminals">
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={5}>Running without a tab here</Title>
          <Badge size="sm" variant="light" color="gray">{terminals.length}</Badge>
        </Group>
        <Text size="sm" c="dimmed">
          These SSH sessions kept running when their window was reloaded or closed. Reattach one to see its screen again, or end it.
        </Text>
        {error && <Alert color="red" variant="light" data-testid="detached-error">{error}</Alert>}
        <Table verticalSpacing={6} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Host</Table.Th>
              <Table.Th>Site</Table.Th>
              <Table.Th>Ticket</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {terminals.map((t) => (
              <Table.Tr key={t.sessionId} data-testid={`detached-terminal-${t.host}`} data-session={t.sessionId}>
                <Table.Td><Text size="sm" fw={600}>{t.host}</Text></Table.Td>
                <Table.Td><Text size="sm">{t.site ?? '—'}</Text></Table.Td>
                <Table.Td><Badge variant="light" className="sb-mono">{t.ticket}</Badge></Table.Td>
                <Table.Td><Text size="sm">{formatDateTime(t.startedAt)}</Text></Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Badge variant="dot" color={STATE_COLORS[t.state]} data-testid="detached-state">{t.state}</Badge>
                    <Text size="xs" c="dimmed">{whereShown(t)}</Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="light" leftSection={<IconPlugConnected size={14} />} onClick={() => reattach(t)} data-testid="detached-reattach">Reattach</Button>
                    <Button size="xs" color="red" variant="light" leftSection={<IconPlayerStop size={14} />} loading={busy === t.sessionId} onClick={() => void end(t)} data-testid="detached-end">End</Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}
