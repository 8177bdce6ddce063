import { ActionIcon, Badge, Button, CopyButton, Group, Popover, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconPlugConnected, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { ForwardView, Host } from '../../../../contract/models';
import { errorMessage } from '../../lib/validation';
import { useForwards } from '../../stores/forwards';
import { useSites } from '../../stores/sites';
import type { TerminalTab } from '../../stores/terminals';
import { ForwardForm } from './ForwardForm';

/** How often an open panel refreshes its connection counts. */
const REFRESH_MS = 2000;
const NO_FORWARDS: ForwardView[] = [];

function ForwardRow({ forward, onError }: { forward: ForwardView; onError: (message: string) => void }) {
  const local = `${forward.localAddress}:${forward.localPort}`;
  const [closing, setClosing] = useState(false);
  const close = async () => {
    setClosing(true);
    try {
      await useForwards.getState().close(forward);
    } catch (e) {
      onError(errorMessage(e));
      setClosing(false);
    }
  };
  return (
    <Table.Tr data-testid={`forward-${forward.host}-${forward.port}`}>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Text size="xs" className="sb-mono" data-testid="forward-local">{local}</Text>
          <CopyButton value={local}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy the local address'} withinPortal={false}>
                <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy ${local}`} data-testid="forward-copy">
                  {copied ? <IconCheck size={12} /> : <IconCopy size={12} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="xs" className="sb-mono" data-testid="forward-destination">{forward.host}:{forward.port}</Text>
        <Text size="xs" c="dimmed">{forward.label} · {forward.address}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="xs" data-testid="forward-connections" title="open now / accepted in all">{forward.connections.open} / {forward.connections.total}</Text>
      </Table.Td>
      <Table.Td>
        <ActionIcon size="sm" variant="light" color="red" loading={closing} onClick={() => void close()} aria-label={`Close the forward ${local}`} data-testid="forward-close"><IconX size={12} /></ActionIcon>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * A terminal's local port forwards behind a toolbar button: 127.0.0.1:PORT → host:port through this
 * SSH session, with live connection counts, a copy button, close, and a form to add one. Main keeps
 * them on 127.0.0.1 only and closes them when the session ends.
 */
export function ForwardsPanel({ tab, connected }: { tab: TerminalTab; connected: boolean }) {
  const [opened, setOpened] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hosts, setHosts] = useState<readonly Host[]>([]);
  const forwards = useForwards((s) => s.bySession[tab.sessionId] ?? NO_FORWARDS);

  useEffect(() => {
    if (!opened) return;
    setError(null);
    useSites.getState().loadSite(tab.siteId).then((site) => setHosts(site.hosts), (e: unknown) => setError(errorMessage(e)));
  }, [opened, tab.siteId]);

  useEffect(() => {
    if (!connected) {
      useForwards.getState().forget(tab.sessionId);
      return;
    }
    const load = () => void useForwards.getState().load(tab.sessionId).catch((e: unknown) => setError(errorMessage(e)));
    load();
    if (!opened) return;
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [opened, connected, tab.sessionId]);

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={620} shadow="md" withArrow>
      <Popover.Target>
        <Button size="xs" variant={opened ? 'filled' : 'default'} leftSection={<IconPlugConnected size={14} />} onClick={() => setOpened((o) => !o)} data-testid="forwards-toggle"
          rightSection={forwards.length > 0 ? <Badge size="xs" circle data-testid="forwards-count">{forwards.length}</Badge> : undefined}>
          Forwards
        </Button>
      </Popover.Target>
      <Popover.Dropdown data-testid="forwards-panel">
        <Stack gap="xs">
          <div>
            <Text size="sm" fw={600}>Local port forwards</Text>
            <Text size="xs" c="dimmed">Listening on 127.0.0.1 only, through this SSH session; closed when it ends. Each one is checked by the policy and logged.</Text>
          </div>
          {!connected && <Text size="xs" c="dimmed" data-testid="forwards-empty">No forwards: this terminal is not connected. Forwards close with their session.</Text>}
          {connected && forwards.length === 0 && <Text size="xs" c="dimmed" data-testid="forwards-empty">No forwards yet. Add one to reach a host's HTTPS console or database from this computer.</Text>}
          {connected && forwards.length > 0 && (
            <Table fz="xs" verticalSpacing={4} data-testid="forwards-list">
              <Table.Thead><Table.Tr><Table.Th>Local address</Table.Th><Table.Th>Destination</Table.Th><Table.Th>Connections</Table.Th><Table.Th /></Table.Tr></Table.Thead>
              <Table.Tbody>{forwards.map((f) => <ForwardRow key={f.forwardId} forward={f} onError={setError} />)}</Table.Tbody>
            </Table>
          )}
          {error && <Text size="xs" c="red" data-testid="forwards-error">{error}</Text>}
          {connected && <ForwardForm sessionId={tab.sessionId} hosts={hosts} disabled={!connected} />}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
