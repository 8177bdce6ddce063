import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconCamera, IconEye, IconLock, IconRoute } from '@tabler/icons-react';
import type { VncScreenshotView } from '../../../../contract/models';
import type { VncConnectedMessage } from '../../../../contract/vnc-protocol';
import { CLIPBOARD_RULE_LABELS } from './VncClipboardPanel';

const Dot = () => <Text span c="dimmed" size="xs">·</Text>;

/**
 * What this viewer is connected to and under which rules: host, the approved address and port (and the
 * jump host it goes through), the security used with the server, view-only, clipboard, recording.
 */
export function VncStatusLine({ info, desktopName, viewOnly, live, screenshots }: {
  info: VncConnectedMessage | null; desktopName: string | null; viewOnly: boolean; live: boolean; screenshots: VncScreenshotView[];
}) {
  const last = screenshots[screenshots.length - 1];
  return (
    <Group justify="space-between" gap="xs" wrap="wrap" px={4} data-testid="vnc-status-line">
      <Group gap={6} wrap="wrap">
        {info ? (
          <>
            <Text size="xs" fw={600} data-testid="vnc-status-host">{info.plan.host}</Text>
            <Text size="xs" className="sb-mono" data-testid="vnc-status-address">{info.plan.address}:{info.plan.port}</Text>
            {info.plan.jump && (
              <Tooltip label={`Relayed through the SSH jump host ${info.plan.jump.host} (${info.plan.jump.address}:${info.plan.jump.port})`}>
                <Group gap={2} wrap="nowrap" data-testid="vnc-status-jump"><IconRoute size={12} /><Text size="xs">via {info.plan.jump.host} <span className="sb-mono">{info.plan.jump.address}:{info.plan.jump.port}</span></Text></Group>
              </Tooltip>
            )}
            <Dot />
            <Group gap={2} wrap="nowrap"><IconLock size={12} /><Text size="xs" data-testid="vnc-status-security">{info.security}</Text></Group>
            <Dot />
            <Text size="xs" c="dimmed" data-testid="vnc-status-desktop">{desktopName ?? info.name} · {info.width}×{info.height}</Text>
          </>
        ) : (
          <Text size="xs" c="dimmed">Not signed in yet</Text>
        )}
      </Group>
      <Group gap={6} wrap="wrap">
        {last && (
          <Tooltip label={`Last: ${last.file} · SHA-256 ${last.sha256}`}>
            <Badge size="sm" variant="light" color="gray" leftSection={<IconCamera size={11} />} tt="none" data-testid="vnc-last-screenshot" data-sha256={last.sha256} data-file={last.file}>
              {screenshots.length} screenshot{screenshots.length === 1 ? '' : 's'} · {last.sha256.slice(0, 12)}
            </Badge>
          </Tooltip>
        )}
        {viewOnly && <Badge size="sm" color="orange" variant="filled" leftSection={<IconEye size={11} />} data-testid="vnc-view-only">View-only</Badge>}
        {info && <Badge size="sm" variant="light" color={info.plan.clipboard === 'off' ? 'gray' : 'blue'} tt="none" data-testid="vnc-status-clipboard" data-rule={info.plan.clipboard}>{CLIPBOARD_RULE_LABELS[info.plan.clipboard]}</Badge>}
        {info && (
          <Tooltip label={info.plan.inputRecorded ? 'The screen and your keyboard and mouse input are recorded to the session log.' : 'The screen is recorded to the session log; your input is not.'}>
            <Badge size="sm" variant={live ? 'filled' : 'light'} color="red" tt="none" data-testid="vnc-recording" data-input={String(info.plan.inputRecorded)}>
              {live ? '● ' : ''}Recording{info.plan.inputRecorded ? ' · input recorded' : ''}
            </Badge>
          </Tooltip>
        )}
      </Group>
    </Group>
  );
}
