import { Badge, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconTerminal2 } from '@tabler/icons-react';
import { useTerminals } from '../../stores/terminals';
import { TerminalView } from './TerminalView';

/**
 * The window's SSH terminals, one tab each. Always mounted (hidden on other pages) so a terminal keeps
 * its screen and its stream while the engineer looks at notes or the log.
 */
export function TerminalsPage({ visible }: { visible: boolean }) {
  const tabs = useTerminals((s) => s.tabs);
  const active = useTerminals((s) => s.active);
  const bells = useTerminals((s) => s.bells);
  return (
    <Stack gap="sm" style={{ display: visible ? 'flex' : 'none', height: 'calc(100vh - 100px)' }} data-testid="terminals-page">
      <Title order={3}>Terminals</Title>
      {tabs.length === 0 && <Text c="dimmed" size="sm"><IconTerminal2 size={14} /> No terminals. Connect to a host over SSH to open one.</Text>}
      {tabs.length > 0 && (
        <Tabs value={active} onChange={(v) => v && useTerminals.getState().setActive(v)} keepMounted style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
          <Tabs.List>
            {tabs.map((t) => (
              <Tabs.Tab key={t.sessionId} value={t.sessionId} leftSection={<IconTerminal2 size={14} />} data-testid={`terminal-tab-${t.host}`}>
                {t.host} · {t.ticket}
                {bells[t.sessionId] && <Badge ml={6} size="xs" color="orange" variant="filled" circle title="The terminal rang its bell" data-testid={`terminal-bell-${t.host}`}>!</Badge>}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {tabs.map((t) => (
            <Tabs.Panel key={t.sessionId} value={t.sessionId} pt="xs" style={{ flex: 1, minHeight: 0 }}>
              <TerminalView tab={t} />
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}
