import { Badge, Button, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { IconHistory, IconPencil, IconTrash } from '@tabler/icons-react';
import { api } from '../../api/transport';
import type { Note } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { Shortcut } from '../common/Shortcut';
import { runDelete } from '../common/deleteWithUndo';
import { MarkdownPreview } from './MarkdownPreview';
import { RevisionDrawer } from './RevisionDrawer';

interface Props { note: Note; onEdit: () => void; onRestored: (note: Note) => void; onDeleted: () => void }

/** A note is opened to be read: rendered Markdown with clickable links, and Edit (E) to change it. */
export function NoteView({ note, onEdit, onRestored, onDeleted }: Props) {
  const [historyOpened, history] = useDisclosure(false);
  // Not while typing: Mantine's hotkeys skip inputs and textareas (the notes search, a terminal's).
  useHotkeys(historyOpened ? [] : [['E', onEdit]]);

  return (
    <Paper withBorder p="md" data-testid="note-view">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={3} data-testid="note-view-title">{note.title}</Title>
            <Text size="xs" c="dimmed">{note.hostName ?? 'Whole site'} · updated {formatDateTime(note.updatedAt)}</Text>
          </div>
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="subtle" leftSection={<IconHistory size={14} />} onClick={history.open} data-testid="note-history">
              History <Badge size="xs" ml={6} variant="light" color="gray">{note.revisionCount}</Badge>
            </Button>
            <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={() => void runDelete(() => api['notes.delete']({ id: note.id }), onDeleted)} data-testid="delete-note">
              Delete
            </Button>
            <Tooltip label={<Group gap={4}>Edit <Shortcut keys="E" /></Group>}>
              <Button size="xs" leftSection={<IconPencil size={14} />} onClick={onEdit} data-testid="note-edit" aria-keyshortcuts="E">Edit</Button>
            </Tooltip>
          </Group>
        </Group>
        <MarkdownPreview body={note.body} />
      </Stack>
      <RevisionDrawer note={note} currentBody={note.body} opened={historyOpened} onClose={history.close} onRestored={onRestored} />
    </Paper>
  );
}
