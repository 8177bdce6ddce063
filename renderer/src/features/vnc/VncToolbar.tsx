import { ActionIcon, Button, Divider, Group, Indicator, Menu, Paper, Popover, SegmentedControl, Slider, Stack, Text, Tooltip } from '@mantine/core';
import { IconAdjustments, IconCamera, IconClipboard, IconKeyboard, IconMaximize, IconMinimize, IconPlayerStop, IconRefresh, IconX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { VncScale, VncViewerSettings } from '../../stores/vnc';
import { Shortcut } from '../common/Shortcut';
import { KEY_COMBOS, type KeyCombo } from './keys';
import { VIEWER_SHORTCUTS, type ViewerAction } from './shortcuts';
import { VncClipboardPanel, type VncClipboardRule } from './VncClipboardPanel';

export interface VncToolbarProps {
  connected: boolean;
  ended: boolean;
  viewOnly: boolean;
  clipboardRule: VncClipboardRule | null;
  remoteClipboard: string | null;
  /** The remote desktop copied something the engineer has not looked at yet. */
  clipboardUnread: boolean;
  settings: VncViewerSettings;
  onSettings: (patch: Partial<VncViewerSettings>) => void;
  keyMenuOpen: boolean;
  setKeyMenuOpen: (open: boolean) => void;
  clipboardOpen: boolean;
  setClipboardOpen: (open: boolean) => void;
  fullScreen: boolean;
  onFullScreen: () => void;
  onKeys: (combo: KeyCombo) => void;
  onClipboardSend: (text: string) => void;
  onScreenshot: () => void;
  screenshotBusy: boolean;
  onDisconnect: () => void;
  onReconnect: () => void;
  reconnecting: boolean;
  onCloseTab: () => void;
}

/** A tooltip that names the action and its key, as the rest of the app does. */
function Tip({ label, action, children }: { label: string; action: ViewerAction; children: ReactNode }) {
  return <Tooltip label={<Group gap={6} wrap="nowrap">{label}<Shortcut keys={VIEWER_SHORTCUTS[action]} /></Group>}>{children}</Tooltip>;
}

function LevelSlider({ label, hint, value, onChange, testId }: { label: string; hint: string; value: number; onChange: (v: number) => void; testId: string }) {
  return (
    <Stack gap={2}>
      <Group justify="space-between"><Text size="sm" fw={500}>{label}</Text><Text size="sm" className="sb-mono" data-testid={`${testId}-value`}>{value}</Text></Group>
      <Slider min={0} max={9} step={1} value={value} onChange={onChange} marks={[{ value: 0, label: '0' }, { value: 9, label: '9' }]} label={null} data-testid={testId} aria-label={label} />
      <Text size="xs" c="dimmed" mt="sm">{hint}</Text>
    </Stack>
  );
}

/** The viewer's controls, above the desktop (and kept in full screen). */
export function VncToolbar(p: VncToolbarProps) {
  const live = p.connected && !p.ended;
  const input = live && !p.viewOnly;
  return (
    <Paper withBorder radius="sm" px="xs" py={6} data-testid="vnc-toolbar">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap={6} wrap="wrap">
          <Tip label="Scale to fit · actual size with scroll bars" action="scale">
            <SegmentedControl size="xs" value={p.settings.scale} onChange={(v) => p.onSettings({ scale: v as VncScale })} data={[{ value: 'fit', label: 'Fit' }, { value: 'actual', label: '1:1' }]} data-testid="vnc-scale" />
          </Tip>
          <Popover width={280} position="bottom-start" shadow="md" withArrow>
            <Popover.Target>
              <Tooltip label="Picture quality and compression"><ActionIcon variant="default" size="lg" aria-label="Picture quality and compression" data-testid="vnc-quality-toggle"><IconAdjustments size={16} /></ActionIcon></Tooltip>
            </Popover.Target>
            <Popover.Dropdown>
              <Stack gap="lg" pb="xs" data-testid="vnc-quality-panel">
                <LevelSlider label="JPEG quality" hint="Lower for slow links; 9 is close to lossless." value={p.settings.quality} onChange={(quality) => p.onSettings({ quality })} testId="vnc-quality" />
                <LevelSlider label="Compression" hint="Higher saves bandwidth at the cost of the server's CPU." value={p.settings.compression} onChange={(compression) => p.onSettings({ compression })} testId="vnc-compression" />
              </Stack>
            </Popover.Dropdown>
          </Popover>
          <Divider orientation="vertical" />
          <Menu opened={p.keyMenuOpen} onChange={p.setKeyMenuOpen} position="bottom-start" shadow="md" withArrow>
            <Menu.Target>
              <span>
                <Tip label={p.viewOnly ? 'Keys (a view-only session sends none)' : 'Send keys the browser would keep'} action="keyMenu">
                  <Button size="xs" variant="default" leftSection={<IconKeyboard size={14} />} disabled={!input} data-testid="vnc-keys">Keys</Button>
                </Tip>
              </span>
            </Menu.Target>
            <Menu.Dropdown data-testid="vnc-keys-menu">
              <Menu.Label>Send to the remote desktop</Menu.Label>
              {KEY_COMBOS.map((combo) => (
                <Menu.Item key={combo.id} onClick={() => p.onKeys(combo)} data-testid={`vnc-key-${combo.id}`}>{combo.label}</Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Popover opened={p.clipboardOpen} onChange={p.setClipboardOpen} position="bottom-start" shadow="md" withArrow trapFocus={false}>
            <Popover.Target>
              <span>
                <Tip label="Clipboard" action="clipboard">
                  <Indicator disabled={!p.clipboardUnread} color="teal" size={8} offset={3}>
                    <Button size="xs" variant="default" leftSection={<IconClipboard size={14} />} disabled={!live || p.clipboardRule === 'off'} onClick={() => p.setClipboardOpen(!p.clipboardOpen)} data-testid="vnc-clipboard">Clipboard</Button>
                  </Indicator>
                </Tip>
              </span>
            </Popover.Target>
            <Popover.Dropdown>
              <VncClipboardPanel rule={p.clipboardRule} viewOnly={p.viewOnly} remote={p.remoteClipboard} onSend={p.onClipboardSend} />
            </Popover.Dropdown>
          </Popover>
          <Tip label="Save screenshot to ticket" action="screenshot">
            <Button size="xs" variant="default" leftSection={<IconCamera size={14} />} disabled={!live} loading={p.screenshotBusy} onClick={p.onScreenshot} data-testid="vnc-screenshot">Screenshot</Button>
          </Tip>
          <Tip label={p.fullScreen ? 'Leave full screen (Esc)' : 'Full screen'} action="fullScreen">
            <ActionIcon variant="default" size="lg" onClick={p.onFullScreen} aria-label={p.fullScreen ? 'Leave full screen' : 'Full screen'} aria-pressed={p.fullScreen} data-testid="vnc-fullscreen">
              {p.fullScreen ? <IconMinimize size={16} /> : <IconMaximize size={16} />}
            </ActionIcon>
          </Tip>
        </Group>
        <Group gap={6}>
          {!p.ended && <Button size="xs" color="red" variant="light" leftSection={<IconPlayerStop size={14} />} onClick={p.onDisconnect} data-testid="vnc-disconnect">Disconnect</Button>}
          {p.ended && (
            <Tip label="Reconnect (a new session on the same ticket)" action="reconnect">
              <Button size="xs" variant="light" leftSection={<IconRefresh size={14} />} onClick={p.onReconnect} loading={p.reconnecting} data-testid="vnc-reconnect">Reconnect</Button>
            </Tip>
          )}
          {p.ended && <Button size="xs" variant="default" leftSection={<IconX size={14} />} onClick={p.onCloseTab} data-testid="vnc-close-tab">Close tab</Button>}
        </Group>
      </Group>
    </Paper>
  );
}
