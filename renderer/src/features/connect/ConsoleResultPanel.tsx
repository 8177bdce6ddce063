import { Alert, Badge, Button, Code, CopyButton, Group, Paper, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAppWindow, IconBrowser, IconCertificate, IconCertificateOff, IconClockX, IconLockX, IconPlugConnectedX, IconX } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { api } from '../../api/transport';
import type { ConsoleOpenView, ConsoleView } from '../../../../contract/consoles';
import type { ApiErrorData, ErrorCode } from '../../../../contract/errors';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { FormError } from '../common/FormError';
import { ConnectResultPanel, SessionSummary } from './ConnectResultPanel';

export type ConsoleOutcome = { view: ConsoleOpenView } | { error: ApiErrorData };

const REFUSALS: Partial<Record<ErrorCode, { title: string; icon: ReactNode }>> = {
  HTTPS_CERT_MISMATCH: { title: 'Certificate does not match the pin', icon: <IconCertificateOff size={18} /> },
  HTTPS_CERT_UNTRUSTED: { title: 'No pin, and the certificate is not trusted', icon: <IconCertificateOff size={18} /> },
  HTTPS_TLS_FAILED: { title: 'TLS handshake failed', icon: <IconLockX size={18} /> },
  HTTPS_CONNECTION_REFUSED: { title: 'Connection refused', icon: <IconPlugConnectedX size={18} /> },
  HTTPS_TIMED_OUT: { title: 'Timed out', icon: <IconClockX size={18} /> },
  HTTPS_UNREACHABLE: { title: 'Unreachable', icon: <IconPlugConnectedX size={18} /> },
};

/** The errors the console flow shows as its result (the rest are ordinary form errors). */
export const isConsoleRefusal = (code: ErrorCode): boolean => code in REFUSALS;

const FINGERPRINT_LINE = /^(Presented|Pinned):\s+SHA-256 ([0-9A-F:]+)$/;

/** The refusal's sentences, with the fingerprint lines laid out so the two can be compared at a glance. */
function RefusalMessage({ message }: { message: string }) {
  return (
    <Stack gap={4} data-testid="console-refused-message">
      {message.split('\n').map((line, i) => {
        const fingerprint = FINGERPRINT_LINE.exec(line);
        if (!fingerprint) return <Text key={i} size="sm">{line}</Text>;
        return (
          <Group key={i} gap="xs" wrap="nowrap" align="baseline">
            <Text size="sm" fw={600} w={80} style={{ flexShrink: 0 }}>{fingerprint[1]}</Text>
            <Text size="sm" className="sb-mono" style={{ overflowWrap: 'anywhere' }} data-testid={`console-fingerprint-${fingerprint[1]!.toLowerCase()}`}>SHA-256 {fingerprint[2]}</Text>
          </Group>
        );
      })}
    </Stack>
  );
}

function Refused({ error }: { error: ApiErrorData }) {
  const shown = REFUSALS[error.code] ?? { title: 'The console was not opened', icon: <IconX size={18} /> };
  return (
    <Alert color="red" variant="light" icon={shown.icon} title={shown.title} data-testid="console-refused" data-code={error.code}>
      <Stack gap={6}>
        <RefusalMessage message={error.message} />
        <Text size="xs" c="dimmed">Nothing was opened. The attempt and why it stopped are recorded in the session log against the ticket.</Text>
      </Stack>
    </Alert>
  );
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Table.Tr>
      <Table.Th w={150} style={{ verticalAlign: 'top' }}><Text size="sm" c="dimmed">{label}</Text></Table.Th>
      <Table.Td data-testid={testId}>{children}</Table.Td>
    </Table.Tr>
  );
}

function Opened({ sessionId, console: shown }: { sessionId: string; console: ConsoleView }) {
  const [open, setOpen] = useState(shown.shownIn === 'window');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cert = shown.certificate;
  const pinned = cert.decision === 'pinned';
  const close = async () => {
    setBusy(true);
    try {
      await api['consoles.close']({ sessionId });
      setOpen(false);
      notifications.show({ color: 'gray', title: 'Console closed', message: 'Its end is in the session log.' });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" data-testid="console-opened" data-shown-in={shown.shownIn} data-decision={cert.decision} style={{ borderColor: 'var(--mantine-color-teal-outline)' }}>
      <Stack gap="sm">
        <FormError message={error} />
        <Group justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon size={34} radius="xl" variant="light" color="teal">{shown.shownIn === 'browser' ? <IconBrowser size={20} /> : <IconAppWindow size={20} />}</ThemeIcon>
            <div>
              <Text fw={600}>{shown.shownIn === 'browser' ? `${shown.host}'s console opened in your browser` : `${shown.host}'s console opened in its own window`}</Text>
              <Text size="sm" c="dimmed">{pinned ? 'The certificate matched the pin before opening.' : 'No pin recorded; a certificate authority vouches for the certificate.'}</Text>
            </div>
          </Group>
          {shown.shownIn === 'window' && (
            open
              ? <Button size="xs" color="red" variant="light" loading={busy} onClick={() => void close()} data-testid="console-close">Close console</Button>
              : <Badge color="gray" variant="dot">closed</Badge>
          )}
        </Group>
        {shown.shownIn === 'browser' && (
          <Alert variant="light" color="blue" p="xs" data-testid="console-browser-note">
            <Text size="sm">
              Switchboard checked the certificate {pinned ? "against the host's pin" : 'with the trusted certificate authorities'} before opening; your browser does its own check from here.
              {pinned && ` It will probably warn that the certificate does not name ${shown.address} or is self-signed: continue only if the fingerprint it shows is the one below.`}
              {' '}Navigation in your browser is not held to this console's origin.
            </Text>
          </Alert>
        )}
        <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing="xs">
          <Table.Tbody>
            <Row label="Address" testId="console-url">
              <Group gap="xs" wrap="nowrap">
                <Code style={{ wordBreak: 'break-all' }}>{shown.url}</Code>
                <CopyButton value={shown.url}>{({ copied, copy }) => <Button size="compact-xs" variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
              </Group>
            </Row>
            <Row label="Origin" testId="console-origin"><Text size="sm" className="sb-mono">{shown.origin}</Text></Row>
            <Row label="Certificate" testId="console-certificate-decision">
              <Group gap="xs">
                <Badge color={pinned ? 'teal' : 'blue'} variant="light" leftSection={<IconCertificate size={12} />}>{pinned ? 'matches pin' : 'CA-trusted, no pin'}</Badge>
                <Text size="xs" c="dimmed">{cert.reason}</Text>
              </Group>
            </Row>
            <Row label="SHA-256" testId="console-fingerprint"><Text size="sm" className="sb-mono" style={{ wordBreak: 'break-all' }}>{cert.fingerprint}</Text></Row>
            <Row label="Subject"><Text size="sm">{cert.subject || '—'}{cert.selfSigned ? ' (self-signed)' : ` · issued by ${cert.issuer}`}</Text></Row>
            <Row label="Valid until"><Text size="sm">{formatDateTime(cert.validTo)}</Text></Row>
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

/** What became of an HTTPS console: denied by the policy, refused at the certificate or network, or opened. */
export function ConsoleResultPanel({ outcome }: { outcome: ConsoleOutcome }) {
  if ('error' in outcome) return <Stack gap="md" data-testid="connect-result" data-allowed="true"><Refused error={outcome.error} /></Stack>;
  const { view } = outcome;
  if (!view.console) return <ConnectResultPanel result={{ sessionId: view.sessionId, decision: view.decision, launch: null, message: view.message }} />;
  return (
    <Stack gap="md" data-testid="connect-result" data-allowed="true">
      <Opened sessionId={view.sessionId} console={view.console} />
      <SessionSummary sessionId={view.sessionId} />
    </Stack>
  );
}
