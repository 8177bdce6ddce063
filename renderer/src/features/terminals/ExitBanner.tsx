import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconKey, IconPlugConnectedX } from '@tabler/icons-react';
import type { ChangedHostKey } from '../../../../contract/terminal-protocol';
import type { TerminalServerMessage } from '../../api/terminal-stream';

export interface TerminalEnd { message: string; failed: boolean; failure?: string | null; hostKey?: ChangedHostKey | null }

/** The headline for each kind of SSH failure the core classifies (main/core/ssh/ssh-errors.ts). */
const TITLES: Record<string, string> = {
  refused: 'Connection refused',
  'timed-out': 'Connection timed out',
  'auth-failed': 'Sign-in failed',
  'host-key-mismatch': 'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!',
  'host-key-rejected': 'Host key not accepted',
  unreachable: 'Network unreachable',
  'connection-lost': 'Connection lost',
  'channel-failed': 'The host refused the terminal',
  protocol: 'SSH negotiation failed',
};

export function describeExit(exit: Extract<TerminalServerMessage, { type: 'exit' }>): TerminalEnd {
  if (exit.error) return { message: exit.error, failed: true, failure: exit.failure ?? null, hostKey: exit.hostKey ?? null };
  const status = exit.code !== null ? `exit status ${exit.code}` : exit.signal ? `signal ${exit.signal}` : 'disconnected';
  const recorded = exit.sha256 ? ` Recorded (SHA-256 ${exit.sha256.slice(0, 16)}…); the session is in the log.` : '';
  return { message: `Session ended: ${status}.${recorded}`, failed: false };
}

export function endTitle(end: TerminalEnd): string | null {
  return end.failed ? (end.failure && TITLES[end.failure]) || 'Not connected' : null;
}

/** The same words in the terminal itself (red), so the scrollback says why it stopped. */
export function endLines(end: TerminalEnd): string {
  const title = endTitle(end);
  return end.failed ? `\r\n\x1b[1;31m${title ? `${title}\r\n` : ''}${end.message}\x1b[0m\r\n` : `\r\n\x1b[2m${end.message}\x1b[0m\r\n`;
}

/** How the session ended, in the tab: a headline per failure, the core's sentence, and the reconnect key. */
export function ExitBanner({ end, onReplacePin, repinned }: { end: TerminalEnd; onReplacePin?: (keys: ChangedHostKey) => void; repinned?: boolean }) {
  const title = endTitle(end);
  const mismatch = end.failure === 'host-key-mismatch';
  const keys = mismatch ? end.hostKey ?? null : null;
  return (
    <Alert
      color={end.failed ? 'red' : 'gray'}
      variant={mismatch ? 'filled' : 'light'}
      title={title}
      icon={end.failed ? (mismatch ? <IconAlertTriangle /> : <IconPlugConnectedX />) : undefined}
      data-testid="terminal-exit"
      data-failure={end.failure ?? ''}
    >
      <Stack gap={6}>
        {mismatch && <Text size="sm" fw={700}>IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!</Text>}
        <Text size="sm" data-testid="terminal-exit-message">{end.message}</Text>
        {keys && (
          <Code block style={{ background: 'white', color: '#a61e1e', fontWeight: 600 }} data-testid="terminal-exit-fingerprints">{`Offered by the host now: ${keys.offered}\nPinned for this host:    ${keys.pinned}`}</Code>
        )}
        {keys && onReplacePin && !repinned && (
          <Group>
            <Button size="xs" variant="white" color="red" leftSection={<IconKey size={14} />} onClick={() => onReplacePin(keys)} data-testid="terminal-replace-pin">
              Replace the pin… (only after the customer confirmed it)
            </Button>
          </Group>
        )}
        {repinned && <Text size="sm" fw={700} data-testid="terminal-repinned">The pin was replaced and recorded in the session log.</Text>}
        <Text size="sm"><Text span size="sm" fw={600} data-testid="terminal-reconnect-hint">Press R to reconnect</Text> (same ticket; logged as a new session).</Text>
      </Stack>
    </Alert>
  );
}
