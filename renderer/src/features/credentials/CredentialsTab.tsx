import { ActionIcon, Alert, Badge, Button, Card, Group, Table, Text, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconKey, IconKeyOff, IconPlugConnected, IconTrash } from '@tabler/icons-react';
import { api } from '../../api/transport';
import type { CredentialStatus, CredentialTestResult, Site } from '../../../../contract/models';
import { useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { useApp } from '../../stores/app';
import { refreshAll } from '../../stores/refresh';
import { EmptyState } from '../common/EmptyState';
import { SetSecretForm } from './SetSecretForm';

function openSetSecret(credential: CredentialStatus) {
  const modalId = `set-secret-${credential.name}`;
  modals.open({ modalId, size: 'md', title: `Set secret for ${credential.name}`, children: <SetSecretForm name={credential.name} initialKind={credential.kind} onDone={() => modals.close(modalId)} /> });
}

async function test(name: string, show: (r: CredentialTestResult) => void) {
  try {
    const result = await api['credentials.test']({ name });
    show(result);
    notifications.show({ color: result.readable ? 'teal' : 'orange', title: `${name}: ${result.readable ? 'readable' : result.exists ? 'not readable' : 'missing'}`, message: result.message });
  } catch (error) {
    notifications.show({ color: 'red', title: `Test of ${name} failed`, message: errorMessage(error) });
  }
}

function remove(name: string) {
  modals.openConfirmModal({
    title: `Delete the secret ${name}?`,
    children: <Text size="sm">The keychain entry is removed. Endpoints that reference it keep the name and show it as missing.</Text>,
    labels: { confirm: 'Delete secret', cancel: 'Cancel' },
    confirmProps: { color: 'red' },
    onConfirm: async () => {
      try {
        await api['credentials.delete']({ name });
        await refreshAll();
        notifications.show({ color: 'gray', title: `Deleted secret ${name}`, message: 'Removed from the OS keychain.' });
      } catch (error) {
        notifications.show({ color: 'red', title: 'Delete failed', message: errorMessage(error) });
      }
    },
  });
}

export function CredentialsTab({ site }: { site: Site }) {
  const keychain = useApp((s) => s.info?.keychain);
  const [results, setResults] = useState<Record<string, CredentialTestResult>>({});
  const show = (r: CredentialTestResult) => setResults((prev) => ({ ...prev, [r.name]: r }));
  return (
    <Card withBorder padding={0}>
      <Text size="sm" c="dimmed" px="md" py="sm">Credentials referenced by this site's endpoints. Secrets live only in the OS keychain; Switchboard stores names.</Text>
      {keychain && !keychain.available && (
        <Alert mx="md" mb="sm" color="orange" variant="light" icon={<IconKeyOff size={16} />} title="No keychain available">{keychain.message}</Alert>
      )}
      {site.credentials.length === 0 ? (
        <EmptyState icon={<IconKey size={20} />} title="No credentials referenced">Name a credential on a host's SSH or VNC endpoint and it appears here.</EmptyState>
      ) : (
        <Table verticalSpacing={8} data-testid="credentials-table">
          <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Status</Table.Th><Table.Th>Updated</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {site.credentials.map((c) => (
              <Table.Tr key={c.name} data-testid={`credential-row-${c.name}`}>
                <Table.Td className="sb-mono" fw={500}>{c.name}</Table.Td>
                <Table.Td>{c.kind === 'private_key' ? 'Private key' : c.kind === 'password' ? 'Password' : '—'}</Table.Td>
                <Table.Td>
                  {c.stored ? <Badge color="teal" variant="light" size="sm">stored</Badge> : <Badge color="orange" variant="light" size="sm">missing</Badge>}
                  {results[c.name] && (
                    <Text size="xs" c={results[c.name]?.readable ? 'teal' : 'orange'} mt={4} maw={360} data-testid={`credential-test-result-${c.name}`}>{results[c.name]?.message}</Text>
                  )}
                </Table.Td>
                <Table.Td><Text size="xs" c="dimmed">{c.updatedAt ? formatDateTime(c.updatedAt) : '—'}</Text></Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="compact-xs" variant="light" onClick={() => openSetSecret(c)} data-testid={`set-secret-${c.name}`}>{c.stored ? 'Replace secret' : 'Set secret'}</Button>
                    <Button size="compact-xs" variant="default" leftSection={<IconPlugConnected size={12} />} onClick={() => void test(c.name, show)} data-testid={`test-credential-${c.name}`}>Test</Button>
                    <Tooltip label="Delete secret from keychain">
                      <ActionIcon size="sm" variant="subtle" color="red" disabled={!c.stored} aria-label={`Delete secret ${c.name}`} onClick={() => remove(c.name)} data-testid={`delete-credential-${c.name}`}>
                        <IconTrash size={14} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
