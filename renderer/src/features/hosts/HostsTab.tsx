import { ActionIcon, Button, Card, Code, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconEdit, IconPlus, IconServer, IconTrash } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { api } from '../../api/transport';
import type { Host, Site } from '../../../../contract/models';
import { EmptyState } from '../common/EmptyState';
import { runDelete } from '../common/deleteWithUndo';
import { EndpointBadges } from './EndpointBadges';
import { HostConnectButtons } from '../connect/HostConnectButtons';
import { openHostForm } from './openHostForm';

function HostRow({ site, host, highlighted }: { site: Site; host: Host; highlighted: boolean }) {
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [highlighted]);
  return (
    <Table.Tr ref={ref} className={highlighted ? 'sb-row-highlight' : undefined} data-testid={`host-row-${host.name}`} data-highlighted={highlighted || undefined}>
      <Table.Td>
        <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>{host.name}</Text>
        {host.role && <Text size="xs" c="dimmed">{host.role}</Text>}
      </Table.Td>
      <Table.Td className="sb-mono">{host.address ?? <Text span size="xs" c="dimmed">—</Text>}</Table.Td>
      <Table.Td>
        {host.allow.length ? (
          <Group gap={4}>{host.allow.map((a) => <Code key={a}>{a}</Code>)}</Group>
        ) : <Text size="xs" c="dimmed">{host.address ? 'address only' : '—'}</Text>}
      </Table.Td>
      <Table.Td><EndpointBadges host={host} /></Table.Td>
      <Table.Td><HostConnectButtons site={site} host={host} /></Table.Td>
      <Table.Td>
        <Group gap={2} justify="flex-end" wrap="nowrap">
          <Tooltip label="Edit host">
            <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${host.name}`} onClick={() => openHostForm(site, host)} data-testid={`edit-host-${host.name}`}>
              <IconEdit size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Delete host">
            <ActionIcon variant="subtle" color="red" aria-label={`Delete ${host.name}`} onClick={() => void runDelete(() => api['hosts.delete']({ id: host.id }))} data-testid={`delete-host-${host.name}`}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

export function HostsTab({ site, highlightHostId }: { site: Site; highlightHostId?: number }) {
  const add = (
    <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => openHostForm(site)} data-testid="add-host">Add host</Button>
  );
  if (site.hosts.length === 0) {
    return (
      <Card withBorder>
        <EmptyState icon={<IconServer size={20} />} title="No hosts yet" action={add}>
          Add the machines the customer trusts you to reach, with their addresses, allow-lists and approved endpoints.
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card withBorder padding={0}>
      <Group justify="space-between" px="md" py="sm">
        <Text size="sm" c="dimmed">Trusted hosts. A connection goes only to a host's own address, or to what its name resolves to when the allow-list vouches for it.</Text>
        {add}
      </Group>
      <Table.ScrollContainer minWidth={980}>
        <Table verticalSpacing={8} highlightOnHover data-testid="hosts-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Address</Table.Th>
              <Table.Th>Allow-list</Table.Th>
              <Table.Th>Endpoints</Table.Th>
              <Table.Th>Connect</Table.Th>
              <Table.Th w={80} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {site.hosts.map((h) => <HostRow key={h.id} site={site} host={h} highlighted={h.id === highlightHostId} />)}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
