import { Alert, Badge, Button, Card, Grid, Group, NavLink, Skeleton, Stack, Text } from '@mantine/core';
import { IconNote, IconNotes, IconPlus, IconServer } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import type { Note, Site } from '../../../../contract/models';
import { formatDateTime, plural } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { navigate, useUi } from '../../stores/ui';
import { useNotes } from '../../stores/notes';
import { modals } from '@mantine/modals';
import { EmptyState } from '../common/EmptyState';
import { NoteEditor } from './NoteEditor';
import { NoteView } from './NoteView';

interface PaneProps { site: Site; note: Note; guard: (then: () => void) => void; onSaved: (note: Note) => void; onDeleted: () => void }

/** A note opens rendered; Edit (or E) switches to the editor, and saving or Cancel comes back to it. */
function NotePane({ site, note, guard, onSaved, onDeleted }: PaneProps) {
  const [editing, setEditing] = useState(false);
  if (!editing) return <NoteView note={note} onEdit={() => setEditing(true)} onRestored={onSaved} onDeleted={onDeleted} />;
  return <NoteEditor site={site} note={note} onSaved={onSaved} onDeleted={onDeleted} onCancel={() => guard(() => setEditing(false))} />;
}

export function NotesTab({ site, noteId }: { site: Site; noteId?: number }) {
  const [creating, setCreating] = useState(false);
  const [note, setNote] = useState<Note | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dataVersion = useUi((s) => s.dataVersion);
  const go = (id?: number) => navigate({ name: 'site', id: site.id, tab: 'notes', ...(id ? { noteId: id } : {}) }, { replace: true });

  // Switching notes must not silently drop an edit in progress.
  const guard = (then: () => void) => {
    if (!useNotes.getState().editorDirty) return then();
    modals.openConfirmModal({
      title: 'Discard unsaved changes?',
      children: <Text size="sm">The note you are editing has changes that are not saved.</Text>,
      labels: { confirm: 'Discard', cancel: 'Keep editing' },
      confirmProps: { color: 'red' },
      onConfirm: then,
    });
  };
  const open = (id?: number) => guard(() => go(id));

  useEffect(() => {
    if (!noteId) {
      setNote(null);
      return;
    }
    setCreating(false);
    api['notes.get']({ id: noteId }).then((n) => { setNote(n); setError(null); }, (e: unknown) => setError(errorMessage(e)));
  }, [noteId, dataVersion]);

  const startNew = () =>
    guard(() => {
      setCreating(true);
      go();
    });

  const list = site.notes.length === 0 && !creating ? (
    <Card withBorder>
      <EmptyState icon={<IconNotes size={20} />} title="No notes yet" action={<Button size="xs" leftSection={<IconPlus size={14} />} onClick={startNew} data-testid="add-note">Add note</Button>}>
        Keep what you learn about this site — access quirks, retention, who to call — searchable and offline.
      </EmptyState>
    </Card>
  ) : (
    <Card withBorder padding="xs">
      <Group justify="space-between" px={6} pb={6}>
        <Text size="xs" fw={600} c="dimmed" tt="uppercase">{plural(site.notes.length, 'note')}</Text>
        <Button size="compact-xs" leftSection={<IconPlus size={12} />} onClick={startNew} data-testid="add-note">Add note</Button>
      </Group>
      {site.notes.map((n) => (
        <NavLink
          key={n.id}
          active={n.id === noteId && !creating}
          label={n.title}
          leftSection={n.hostName ? <IconServer size={14} /> : <IconNote size={14} />}
          description={`${n.hostName ? `${n.hostName} · ` : ''}${formatDateTime(n.updatedAt)}`}
          rightSection={n.revisionCount > 1 ? <Badge size="xs" variant="light" color="gray">r{n.revisionCount}</Badge> : undefined}
          onClick={() => open(n.id)}
          data-testid={`note-item-${n.title}`}
        />
      ))}
    </Card>
  );

  let editor;
  if (creating) {
    editor = <NoteEditor key="new" site={site} onSaved={(n) => { setCreating(false); go(n.id); }} onDeleted={() => go()} onCancel={() => setCreating(false)} />;
  } else if (noteId && error) {
    editor = <Alert color="red" title="Note not available" data-testid="error-alert">{error}</Alert>;
  } else if (noteId && (!note || note.id !== noteId)) {
    editor = <Stack><Skeleton h={36} /><Skeleton h={260} /></Stack>;
  } else if (note) {
    editor = <NotePane key={`${note.id}-${note.updatedAt}`} site={site} note={note} guard={guard} onSaved={(n) => setNote(n)} onDeleted={() => go()} />;
  } else if (site.notes.length > 0) {
    editor = <Card withBorder><EmptyState icon={<IconNote size={20} />} title="Pick a note">Or add one. Notes are Markdown; <b>Ctrl/⌘ S</b> saves.</EmptyState></Card>;
  }

  return (
    <Grid gutter="md">
      <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>{list}</Grid.Col>
      <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>{editor}</Grid.Col>
    </Grid>
  );
}
