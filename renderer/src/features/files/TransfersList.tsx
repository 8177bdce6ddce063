import { ActionIcon, Alert, Badge, Button, CopyButton, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconCheck, IconClockPlay, IconCopy, IconPlayerPlay, IconX } from '@tabler/icons-react';
import type { TransferState, TransferView } from '../../../../contract/files';
import { humanBytes, humanEta, humanSpeed } from './file-format';

const STATE_COLOR: Record<TransferState, string> = { running: 'blue', complete: 'teal', cancelled: 'gray', failed: 'red', refused: 'orange' };

function TransferRow({ transfer, onCancel, onResume, rcaWait }: { transfer: TransferView; onCancel: () => void; onResume: (() => void) | null; rcaWait: RcaWaitProps | null }) {
  const t = transfer;
  const percent = t.total > 0 ? Math.min(100, (t.bytes / t.total) * 100) : t.state === 'complete' ? 100 : 0;
  const where = t.toEvidence ? 'to the ticket\'s evidence' : t.localPath ? t.localPath : t.direction === 'upload' ? t.remoteDisplay : t.localName;
  return (
    <Stack gap={2} py={6} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }} data-testid="transfer-row" data-state={t.state} data-direction={t.direction} data-name={t.localName}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          {t.direction === 'download'
            ? <IconArrowDown size={14} aria-label="download" color="var(--mantine-color-blue-6)" />
            : <IconArrowUp size={14} aria-label="upload" color="var(--mantine-color-grape-6)" />}
          <Text size="sm" fw={500} truncate="end" title={t.remoteDisplay} data-testid="transfer-name">{t.localName}</Text>
          <Badge size="xs" variant="light" color={STATE_COLOR[t.state]} data-testid="transfer-state">{t.state}</Badge>
          {t.resumedFrom !== null && <Badge size="xs" variant="outline" color="gray" title={`Took up after the ${humanBytes(t.resumedFrom)} kept from before`}>resumed</Badge>}
        </Group>
        <Group gap={4} wrap="nowrap">
          {onResume && <Button size="compact-xs" variant="light" leftSection={<IconPlayerPlay size={12} />} onClick={onResume} data-testid="transfer-resume">Resume</Button>}
          {t.state === 'running' && (
            <Tooltip label="Cancel this transfer" withinPortal={false}>
              <ActionIcon size="sm" variant="subtle" color="red" onClick={onCancel} aria-label={`Cancel ${t.localName}`} data-testid="transfer-cancel"><IconX size={14} /></ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Group>
      <Text size="xs" c="dimmed" truncate="end" className="sb-mono" title={`${t.remoteDisplay} ${t.direction === 'download' ? '→' : '←'} ${where}`}>
        {t.remoteDisplay} {t.direction === 'download' ? '→' : '←'} {where}
      </Text>
      {(t.state === 'running' || t.state === 'complete' || t.bytes > 0) && t.state !== 'refused' && (
        <Progress value={percent} size="sm" color={STATE_COLOR[t.state]} animated={t.state === 'running'} aria-label={`${Math.floor(percent)}%`} data-testid="transfer-progress" />
      )}
      <Group gap="md" wrap="wrap">
        {t.state !== 'refused' && <Text size="xs" c="dimmed" data-testid="transfer-bytes">{humanBytes(t.bytes)} of {humanBytes(t.total)}</Text>}
        {t.state === 'running' && <Text size="xs" c="dimmed" data-testid="transfer-speed">{humanSpeed(t.speed)}</Text>}
        {t.state === 'running' && <Text size="xs" c="dimmed" data-testid="transfer-eta">{humanEta(t.eta)} left</Text>}
      </Group>
      {t.reason && (
        <Text size="xs" c={t.state === 'complete' ? 'dimmed' : t.state === 'refused' ? 'orange.8' : 'red'} data-testid="transfer-reason">
          {t.state === 'refused' ? 'Refused by the site\'s rule: ' : t.state === 'failed' ? 'Failed: ' : ''}{t.reason}
        </Text>
      )}
      {t.sha256 && t.state === 'complete' && (
        <Group gap={4} wrap="nowrap">
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', flexShrink: 0 }}>SHA-256</Text>
          <Text size="xs" className="sb-mono" truncate="end" title={t.sha256} data-testid="transfer-sha256" style={{ minWidth: 0 }}>{t.sha256}</Text>
          <CopyButton value={t.sha256}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy the SHA-256'} withinPortal={false}>
                <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy the SHA-256" data-testid="transfer-copy-sha">
                  {copied ? <IconCheck size={12} /> : <IconCopy size={12} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
      )}
      {rcaWait && t.state === 'complete' && t.toEvidence && t.rcaWaitCanEnd && t.sha256 && (
        <Alert p={6} mt={2} color={rcaWait.ended.has(t.sha256) ? 'teal' : 'yellow'} variant="light" icon={<IconClockPlay size={14} />} data-testid="transfer-rca-wait">
          {rcaWait.ended.has(t.sha256)
            ? <Text size="xs" data-testid="transfer-rca-ended">The wait for debug data ended with this file; the RCA clock runs again and the ticket's history names it.</Text>
            : (
              <Group gap="xs" justify="space-between" wrap="wrap">
                <Text size="xs" style={{ flex: 1, minWidth: 180 }}>{rcaWait.ticket} waits for debug data. Is this the data the RCA waited for? Ending the wait restarts the RCA clock.</Text>
                <Button size="compact-xs" onClick={() => rcaWait.onEnd(t)} data-testid="transfer-end-rca-wait">End the wait with this file</Button>
              </Group>
            )}
        </Alert>
      )}
    </Stack>
  );
}

/** A download into the evidence that arrived while the ticket waits for debug data: the engineer may end the wait with it. */
interface RcaWaitProps { ticket: string; ended: ReadonlySet<string>; onEnd: (transfer: TransferView) => void }

/**
 * This session's transfers, newest first: direction, name, progress, bytes, speed, time left, how it
 * ended and why, the SHA-256 once complete. A download cut off (the connection lost) can be resumed:
 * asked again into the same folder or the same ticket's evidence, the core takes up from the bytes it kept.
 */
export function TransfersList({ transfers, onCancel, onResume, rcaWait }: {
  transfers: readonly TransferView[];
  onCancel: (transfer: TransferView) => void;
  onResume: (transfer: TransferView) => void;
  rcaWait?: RcaWaitProps;
}) {
  if (transfers.length === 0) {
    return <Text size="xs" c="dimmed" py={6} data-testid="transfers-empty">No transfers yet in this session. Downloads and uploads show here with their progress and SHA-256.</Text>;
  }
  const newestFirst = [...transfers].reverse();
  return (
    <Stack gap={0} data-testid="transfers-list">
      {newestFirst.map((t) => (
        <TransferRow
          key={t.transferId}
          transfer={t}
          onCancel={() => onCancel(t)}
          onResume={t.direction === 'download' && t.state === 'failed' ? () => onResume(t) : null}
          rcaWait={rcaWait ?? null}
        />
      ))}
    </Stack>
  );
}
