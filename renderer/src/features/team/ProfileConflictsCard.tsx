import { Alert, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconCloudCheck, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import type { TeamProfileConflict, TeamSyncView } from '../../../../contract/models';
import { api } from '../../api/transport';
import { errorMessage } from '../../lib/validation';
import { formatDateTime } from '../../lib/format';
import { useUi } from '../../stores/ui';

/**
 * The team store's site profiles on this laptop: who may edit them, customers only this laptop has, and
 * each edit the store did not take — with what differs from the customer as it reads now — to redo on
 * top of the store's version (the next sync offers it) or drop. Hidden when the data dir is not linked.
 */
export function ProfileConflictsCard() {
  const [status, setStatus] = useState<TeamSyncView | null>(null);
  const [conflicts, setConflicts] = useState<TeamProfileConflict[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const [state, open] = await Promise.all([api['team.status']({}), api['team.conflicts']({})]);
      setStatus(state);
      setConflicts(open);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const resolve = async (conflict: TeamProfileConflict, action: 'redo' | 'drop') => {
    setBusy(conflict.id);
    try {
      await api['team.resolveConflict']({ id: conflict.id, action });
      useUi.getState().bumpData();
      if (action === 'redo') {
        const synced = await api['team.syncNow']({});
        notifications.show({
          color: synced.lastError ? 'orange' : 'teal', title: `Your edit of ${conflict.customer} is redone`,
          message: synced.lastError ? `It is applied here and goes to the team store at the next sync (${synced.lastError}).` : 'It is applied here and was offered to the team store.',
        });
      } else {
        notifications.show({ color: 'gray', title: `Dropped your edit of ${conflict.customer}`, message: 'It stays as the team store has it.' });
      }
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const confirmDrop = (conflict: TeamProfileConflict) => modals.openConfirmModal({
    title: `Drop your edit of ${conflict.customer}?`,
    children: <Text size="sm">{conflict.customer} stays as the team store has it. Your edit is kept in the list of resolved conflicts, but is not applied.</Text>,
    labels: { confirm: 'Drop my edit', cancel: 'Keep it' },
    confirmProps: { color: 'red' },
    onConfirm: () => void resolve(conflict, 'drop'),
  });

  if (!status?.linked) return null;
  return (
    <Card withBorder data-testid="profile-conflicts">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={5}>Team profiles</Title>
            <Text size="sm" c="dimmed">
              The team store holds the site profiles; {status.profileEditors === 'everyone' ? 'everyone in the team may edit them' : 'only leads edit them'}.
              An edit the store could not take is kept here until you redo it or drop it.
            </Text>
          </div>
          <Badge color={conflicts.length ? 'red' : 'teal'} variant="light" data-testid="conflict-count">
            {conflicts.length ? `${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}` : 'No conflicts'}
          </Badge>
        </Group>
        {error && <Alert color="red" variant="light">{error}</Alert>}
        {status.localOnly.length > 0 && (
          <Alert color="blue" variant="light" title="Only on this laptop">
            {status.localOnly.join(', ')}: the team store does not have {status.localOnly.length === 1 ? 'this customer' : 'these customers'}, and only leads add customers to it.
            Sessions to {status.localOnly.length === 1 ? 'it' : 'them'} are still logged and synced.
          </Alert>
        )}
        {conflicts.length === 0 && (
          <Group gap="xs" c="dimmed"><IconCloudCheck size={16} /><Text size="sm">Every profile edit made here is in the team store.</Text></Group>
        )}
        {conflicts.map((conflict) => (
          <Card key={conflict.id} withBorder radius="sm" p="sm" data-testid={`conflict-${conflict.id}`}>
            <Stack gap="xs">
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600}>{conflict.customer}</Text>
                <Text size="xs" c="dimmed">found {formatDateTime(conflict.foundAt)}</Text>
              </Group>
              <Text size="sm">{conflict.message}</Text>
              {conflict.differences.length > 0 && (
                <Table withTableBorder striped fz="xs" data-testid="conflict-differences">
                  <Table.Thead><Table.Tr><Table.Th>Where</Table.Th><Table.Th>Your edit</Table.Th><Table.Th>Now (the store&apos;s version)</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {conflict.differences.map((d) => (
                      <Table.Tr key={d.path}><Table.Td ff="monospace">{d.path}</Table.Td><Table.Td ff="monospace">{d.mine}</Table.Td><Table.Td ff="monospace">{d.now}</Table.Td></Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Group gap="xs" justify="flex-end">
                <Button size="xs" variant="default" color="red" leftSection={<IconTrash size={14} />} disabled={busy !== null} onClick={() => confirmDrop(conflict)}>Drop my edit</Button>
                <Button size="xs" leftSection={<IconArrowBackUp size={14} />} loading={busy === conflict.id} disabled={busy !== null} onClick={() => void resolve(conflict, 'redo')}
                  data-testid={`redo-${conflict.id}`}>
                  Redo on top
                </Button>
              </Group>
            </Stack>
          </Card>
        ))}
      </Stack>
    </Card>
  );
}
