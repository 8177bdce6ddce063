import { Button, Group, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconTrash } from '@tabler/icons-react';
import { api } from '../../api/transport';
import type { Deleted } from '../../../../contract/models';
import { refreshAll } from '../../stores/refresh';
import { errorMessage } from '../../lib/validation';

/** Deletes are soft in the backend; the notification offers the way back. */
export function announceDeleted(deleted: Deleted, afterRestore?: () => void): void {
  const id = `deleted-${deleted.kind}-${deleted.id}`;
  const undo = async () => {
    notifications.hide(id);
    try {
      await api['trash.restore']({ kind: deleted.kind, id: deleted.id });
      await refreshAll();
      afterRestore?.();
      notifications.show({ color: 'teal', title: `Restored ${deleted.label}`, message: `The ${deleted.kind} is back.` });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not undo', message: errorMessage(error) });
    }
  };
  notifications.show({
    id,
    icon: <IconTrash size={16} />,
    color: 'gray',
    autoClose: 8000,
    title: `Deleted ${deleted.label}`,
    message: (
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" c="dimmed">Moved to trash.</Text>
        <Button size="compact-xs" variant="light" leftSection={<IconArrowBackUp size={14} />} onClick={() => void undo()} data-testid="undo-delete">
          Undo
        </Button>
      </Group>
    ),
  });
}

export async function runDelete(call: () => Promise<Deleted>, after?: () => void, afterRestore?: () => void): Promise<void> {
  try {
    const deleted = await call();
    await refreshAll();
    after?.();
    announceDeleted(deleted, afterRestore);
  } catch (error) {
    notifications.show({ color: 'red', title: 'Delete failed', message: errorMessage(error) });
  }
}

/** Customers and sites take their children with them, so ask first. */
export function confirmDelete(options: { title: string; body: string; onConfirm: () => void }): void {
  modals.openConfirmModal({
    title: options.title,
    children: <Text size="sm">{options.body}</Text>,
    labels: { confirm: 'Delete', cancel: 'Cancel' },
    confirmProps: { color: 'red', 'data-testid': 'confirm-delete' } as Record<string, unknown>,
    onConfirm: options.onConfirm,
  });
}
