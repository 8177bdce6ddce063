import { ActionIcon, Badge, Group, Stack, Tabs, Title, Tooltip } from '@mantine/core';
import { IconDeviceDesktop, IconLayoutColumns, IconTerminal2 } from '@tabler/icons-react';
import { useEffect, useMemo } from 'react';
import { useLiveTerminals } from '../../stores/live-terminals';
import { useTerminals } from '../../stores/terminals';
import { EmptyState } from '../common/EmptyState';
import { DetachedTerminals } from './DetachedTerminals';
import { VncView } from '../vnc/VncView';
import { TerminalView } from './TerminalView';

/** Ctrl+Shift+E, as in Terminator: caught before xterm.js, so the shell never sees it. */
function isSplitKey(event: KeyboardEvent): boolean {
  return event.ctrlKey && event.shiftKey && !event.altKey && (event.code === 'KeyE' || event.key === 'E');
}

/**
 * The window's SSH terminals and VNC viewers (features/vnc), one tab each, or two side by side (split
 * view). Always mounted (hidden on other pages) so a terminal keeps its screen and its stream while the
 * engineer looks at notes or the log; a terminal that is not shown keeps running. Terminals the core runs without a tab in this
 * window (after a reload, or shown in another window) are listed above the tabs, to reattach or end.
 */
export function TerminalsPage({ visible }: { visible: boolean }) {
  const tabs = useTerminals((s) => s.tabs);
  const active = useTerminals((s) => s.active);
  const split = useTerminals((s) => s.split);
  const bells = useTerminals((s) => s.bells);
  const live = useLiveTerminals((s) => s.live);
  const detached = useMemo(() => live.filter((t) => !tabs.some((tab) => tab.sessionId === t.sessionId)), [live, tabs]);

  // Asked again whenever it may have changed: at start (after a reload), when shown, when tabs come and go.
  useEffect(() => {
    void useLiveTerminals.getState().load().catch(() => undefined);
  }, [visible, tabs.length]);

  useEffect(() => {
    if (!visible) return;
    const onKey = (event: KeyboardEvent) => {
      if (!isSplitKey(event)) return;
      event.preventDefault();
      event.stopPropagation();
      useTerminals.getState().toggleSplit();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [visible]);

  const shown = (sessionId: string) => sessionId === active || sessionId === split;
  return (
    <Stack gap="sm" style={{ display: visible ? 'flex' : 'none', height: 'calc(100vh - 100px)' }} data-testid="terminals-page">
      <Group justify="space-between">
        <Title order={3}>Terminals</Title>
        {tabs.length > 1 && (
          <Tooltip label={split ? 'One terminal at a time (Ctrl+Shift+E)' : 'Two terminals side by side (Ctrl+Shift+E)'}>
            <ActionIcon variant={split ? 'filled' : 'default'} size="lg" onClick={() => useTerminals.getState().toggleSplit()} aria-label="Split view" aria-pressed={split !== null} data-testid="terminals-split">
              <IconLayoutColumns size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      {detached.length > 0 && <DetachedTerminals terminals={detached} />}
      {tabs.length === 0 && detached.length === 0 && (
        <EmptyState icon={<IconTerminal2 size={20} />} title="No terminals">
          Connect to a host over SSH to open one. Terminals keep running when this window reloads, and show up here to reattach.
        </EmptyState>
      )}
      {tabs.length > 0 && (
        <Tabs value={active} onChange={(v) => v && useTerminals.getState().setActive(v)}>
          <Tabs.List>
            {tabs.map((t) => (
              <Tabs.Tab key={t.sessionId} value={t.sessionId} leftSection={t.kind === 'vnc' ? <IconDeviceDesktop size={14} /> : <IconTerminal2 size={14} />} data-testid={`${t.kind === 'vnc' ? 'vnc' : 'terminal'}-tab-${t.host}`} data-shown={shown(t.sessionId)}>
                {t.host} · {t.ticket}
                {t.sessionId === split && <Badge ml={6} size="xs" variant="light" title="Shown on the left in split view">left</Badge>}
                {t.viewOnly && <Badge ml={6} size="xs" color="orange" variant="light" title="View-only: no keyboard or mouse input reaches this desktop">view-only</Badge>}
                {bells[t.sessionId] && <Badge ml={6} size="xs" color="orange" variant="filled" circle title="The terminal rang its bell" data-testid={`terminal-bell-${t.host}`}>!</Badge>}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
      )}
      {tabs.length > 0 && (
        <div style={{ flex: 1, minHeight: 0, display: 'grid', gap: 'var(--mantine-spacing-sm)', gridTemplateColumns: split ? '1fr 1fr' : '1fr' }}>
          {tabs.map((t) => (
            <div
              key={t.sessionId}
              data-testid="terminal-pane"
              data-session={t.sessionId}
              data-shown={shown(t.sessionId)}
              style={{ display: shown(t.sessionId) ? 'block' : 'none', order: t.sessionId === split ? 0 : 1, minWidth: 0, minHeight: 0 }}
            >
              {t.kind === 'vnc' ? <VncView tab={t} /> : <TerminalView tab={t} />}
            </div>
          ))}
        </div>
      )}
    </Stack>
  );
}
