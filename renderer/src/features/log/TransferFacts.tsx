import { ActionIcon, Badge, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconCheck, IconCopy } from '@tabler/icons-react';
import { formatDateTime } from '../../lib/format';
import { formatBytes } from '../../lib/sla';
import { shortHash, transferFacts } from './transfer-facts';

const RESULT_COLOR: Readonly<Record<string, string>> = { complete: 'teal', cancelled: 'gray', failed: 'red', refused: 'orange' };

function Hash({ label, hash, testId }: { label: string; hash: string; testId: string }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{label}</Text>
      <Text size="xs" className="sb-mono" title={hash} data-testid={testId} data-full={hash}>{shortHash(hash)}</Text>
      <CopyButton value={hash}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : `Copy the whole ${label}`} withinPortal={false}>
            <ActionIcon size="xs" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy the ${label}`} data-testid={`${testId}-copy`}>
              {copied ? <IconCheck size={11} /> : <IconCopy size={11} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/**
 * One file moved (or refused) within a session, in the log drawer: which way, the remote path and the
 * local name escaped as the core and the CLI show them, size, SHA-256 (short, whole on hover and copy)
 * and how it ended, with why.
 */
export function TransferFactsView({ detail, showTime = false }: { detail: Record<string, unknown>; showTime?: boolean }) {
  const t = transferFacts(detail);
  const arrow = t.direction === 'upload' ? '←' : '→';
  return (
    <Stack gap={2} data-testid="log-transfer" data-result={t.result ?? ''} data-direction={t.direction ?? ''}>
      <Group gap={6} wrap="nowrap">
        {t.direction === 'upload'
          ? <IconArrowUp size={13} aria-label="upload" color="var(--mantine-color-grape-6)" />
          : <IconArrowDown size={13} aria-label="download" color="var(--mantine-color-blue-6)" />}
        <Text size="xs" fw={600}>{t.direction === 'upload' ? 'Upload' : t.direction === 'download' ? 'Download' : 'Transfer'}</Text>
        {t.result && <Badge size="xs" variant="light" color={RESULT_COLOR[t.result] ?? 'gray'} data-testid="log-transfer-result">{t.result}</Badge>}
        {showTime && t.at && <Text size="xs" c="dimmed" title={t.at}>{formatDateTime(t.at)}</Text>}
      </Group>
      <Text size="xs" className="sb-mono" style={{ overflowWrap: 'anywhere' }} data-testid="log-transfer-path">
        <span data-testid="log-transfer-remote">{t.remotePath ?? '—'}</span>
        {t.localName && <Text span size="xs" c="dimmed"> {arrow} {t.evidence ? 'the ticket\'s evidence as ' : ''}<span data-testid="log-transfer-local">{t.localName}</span></Text>}
      </Text>
      {t.resolvedPath && <Text size="xs" c="dimmed" className="sb-mono" style={{ overflowWrap: 'anywhere' }}>real path on the server: {t.resolvedPath}</Text>}
      <Group gap="md" wrap="wrap">
        {t.size !== null && <Text size="xs" c="dimmed" title={`${t.size} bytes`} data-testid="log-transfer-size">{formatBytes(t.size)}</Text>}
        {t.resumedFrom !== null && <Text size="xs" c="dimmed">resumed at {formatBytes(t.resumedFrom)}</Text>}
        {t.bytesMoved !== null && t.result !== 'complete' && <Text size="xs" c="dimmed">{formatBytes(t.bytesMoved)} moved before it stopped</Text>}
        {t.sha256 && <Hash label="SHA-256" hash={t.sha256} testId="log-transfer-sha256" />}
      </Group>
      {t.why && (
        <Text size="xs" c={t.result === 'complete' ? 'dimmed' : t.result === 'refused' ? 'orange.8' : 'red'} style={{ overflowWrap: 'anywhere' }} data-testid="log-transfer-why">
          {t.result === 'refused' ? 'Refused: ' : t.result === 'failed' ? 'Failed: ' : ''}{t.why}
        </Text>
      )}
    </Stack>
  );
}
