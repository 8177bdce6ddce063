import { Alert, Anchor, Badge, Button, Code, CopyButton, Group, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAppWindow, IconCheck, IconCopy, IconExternalLink, IconPlayerStop, IconShieldX } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/transport';
import type { ConnectResultView, LaunchView } from '../../../../contract/models';
import { errorMessage } from '../../lib/validation';
import { useSessionLog } from '../../stores/session-log';
import { FormError } from '../common/FormError';

function CopyValue({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" w={70} c="dimmed">{label}</Text>
      <Code style={{ flex: 1, wordBreak: 'break-all' }} data-testid={`${testId}-value`}>{value}</Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="xs" variant={copied ? 'light' : 'default'} color={copied ? 'teal' : undefined} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy} data-testid={testId}>
            {copied ? 'Copied' : `Copy ${label.toLowerCase()}`}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}

/** The system had no application for the link (no AnyDesk installed): say so, and hand over the ID and the link. */
function LinkNotOpened({ launch }: { launch: Extract<LaunchView, { kind: 'link' }> }) {
  const app = launch.url.startsWith('anydesk:') ? 'AnyDesk' : launch.url.startsWith('teamviewer') ? 'TeamViewer' : 'the meeting';
  return (
    <Alert color="orange" variant="light" icon={<IconAppWindow size={18} />} title={`Could not open ${app} on this computer`} data-testid="launch-failed">
      <Stack gap="xs">
        <Text size="sm" data-testid="launch-failure">{launch.failure}</Text>
        <Text size="sm">{launch.partnerId ? `Copy the ID into ${app} on a machine that has it, or install it and open the link.` : 'Copy the link and open it where the application is installed.'}</Text>
        {launch.partnerId && <CopyValue label="ID" value={launch.partnerId} testId="copy-partner-id" />}
        <CopyValue label="Link" value={launch.url} testId="copy-link" />
        <Text size="xs" c="dimmed">The session log records this attempt as failed; a session you start by hand is not recorded, so note it in the closing summary.</Text>
      </Stack>
    </Alert>
  );
}

function Launch({ result }: { result: ConnectResultView }) {
  const [running, setRunning] = useState(result.launch?.kind === 'process' && result.launch.running);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const launch = result.launch;
  if (!launch) return <Text size="sm">{result.message}</Text>;
  if (launch.kind === 'link' && launch.failure) return <LinkNotOpened launch={launch} />;
  if (launch.kind === 'link') {
    return (
      <Stack gap={4}>
        <Text size="sm">{launch.opened ? 'Opened in its application:' : 'Could not open it here; open this link yourself:'}</Text>
        <Anchor href={launch.url} className="sb-mono" size="sm" target="_blank" rel="noreferrer">{launch.url} <IconExternalLink size={12} /></Anchor>
      </Stack>
    );
  }
  const line = launch.command.join(' ');
  const disconnect = async () => {
    setBusy(true);
    try {
      await api['launches.stop']({ sessionId: result.sessionId });
      setRunning(false);
      void useSessionLog.getState().loadRunning();
      notifications.show({ color: 'gray', title: 'Disconnected', message: 'The VPN client stopped; the end is in the session log.' });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <FormError message={error} />
      <Group justify="space-between">
        <Text size="sm">{launch.kind === 'process' ? 'Started' : 'Command line'}</Text>
        {launch.kind === 'process' && (
          running
            ? <Group gap="xs"><Badge color="teal" variant="dot" data-testid="session-running">running{launch.pid ? ` · pid ${launch.pid}` : ''}</Badge><Button size="xs" color="red" variant="light" leftSection={<IconPlayerStop size={14} />} loading={busy} onClick={() => void disconnect()} data-testid="disconnect">Disconnect</Button></Group>
            : <Badge color="gray" variant="dot">ended</Badge>
        )}
      </Group>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code block style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{line}</Code>
        <CopyButton value={line}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
      </Group>
    </Stack>
  );
}

/** The engineer's closing summary for a session, saved to the session log. */
export function SessionSummary({ sessionId }: { sessionId: string }) {
  const [text, setText] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (!text.trim()) { setError('Write a short summary first.'); return; }
    setBusy(true);
    try {
      await api['log.summarize']({ sessionId, summary: text.trim() });
      setSaved(true);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <FormError message={error} />
      <Textarea label="Closing summary" description="What you did and found; kept with the session in the log." autosize minRows={3} maxRows={8} value={text} onChange={(e) => { setText(e.currentTarget.value); setSaved(false); }} data-testid="session-summary" />
      <Group justify="flex-end" gap="xs">
        {saved && <Text size="xs" c="teal" data-testid="summary-saved"><IconCheck size={12} /> Saved to the session log</Text>}
        <Button size="xs" variant="light" loading={busy} onClick={() => void save()} data-testid="save-summary">Save summary</Button>
      </Group>
    </Stack>
  );
}

export function ConnectResultPanel({ result }: { result: ConnectResultView }) {
  const denied = !result.decision.allowed;
  return (
    <Stack gap="md" data-testid="connect-result" data-allowed={denied ? 'false' : 'true'}>
      {denied ? (
        <Alert color="red" variant="light" icon={<IconShieldX size={18} />} title="Connection denied">
          <Stack gap={4}>
            {result.decision.reasons.map((r, i) => <Text key={i} size="sm" data-testid="policy-reason">{r}</Text>)}
            <Text size="xs" c="dimmed">This attempt was recorded in the session log against the ticket.</Text>
          </Stack>
        </Alert>
      ) : (
        <Launch result={result} />
      )}
      <SessionSummary sessionId={result.sessionId} />
    </Stack>
  );
}
