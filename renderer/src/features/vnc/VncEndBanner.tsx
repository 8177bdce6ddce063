import { Alert, Badge, Code, Group, Stack, Text } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { vncEndFailed, vncEndMessage, vncEndOutcome, vncEndTitle, type VncEnd } from './vnc-end';

/** How the session ended, as the log has it: outcome, why, the recording and its hash; and how to go again. */
export function VncEndBanner({ end, error }: { end: VncEnd; error: string | null }) {
  const failed = vncEndFailed(end);
  const exit = end.kind === 'exit' ? end.exit : null;
  return (
    <Alert color={failed ? 'red' : 'gray'} variant="light" icon={failed ? <IconPlugConnectedX /> : undefined} title={vncEndTitle(end)} data-testid="vnc-ended" data-outcome={vncEndOutcome(end)}>
      <Stack gap={6}>
        <Group gap="xs">
          <Badge size="sm" variant="outline" color={failed ? 'red' : 'gray'} data-testid="vnc-ended-outcome">{vncEndOutcome(end)}</Badge>
          <Text size="sm" data-testid="vnc-ended-message">{vncEndMessage(end)}</Text>
        </Group>
        {exit?.sha256 && (
          <Group gap="xs" wrap="nowrap" align="baseline">
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>Recording SHA-256</Text>
            <Code style={{ wordBreak: 'break-all' }} data-testid="vnc-ended-sha256">{exit.sha256}</Code>
          </Group>
        )}
        {exit && !exit.sha256 && <Text size="xs" c="dimmed">No recording was kept (the session never reached the desktop).</Text>}
        {error && <Text size="sm" c="red" data-testid="vnc-reconnect-error">{error}</Text>}
        <Text size="sm"><Text span size="sm" fw={600}>Press R to reconnect</Text> (same ticket and target; logged as a new session).</Text>
      </Stack>
    </Alert>
  );
}
