import { Alert, Badge, Button, Drawer, Group, NavLink, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { IconHistory, IconRestore } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import type { Note, NoteRevision } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { RevisionDiff } from './RevisionDiff';

interface Props { note: Note; currentBody: string; opened: boolean; onClose: () => void; onRestored: (note: Note) => void }

export function RevisionDrawer({ note, currentBody, opened, onClose, onRestored }: Props) {
  const [revisions, setRevisions] = useState<NoteRevision[] | null>(null);
  const [selected, setSelected] = useState<NoteRevision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setRevisions(null);
    setSelected(null);
    api['notes.revisions']({ id: note.id }).then(
      (list) => {
        const sorted = [...list].sort((a, b) => b.number - a.number);
        setRevisions(sorted);
        // The newest revision usually is the current text; start from the first one that differs.
        setSelected(sorted.find((r) => r.body !== note.body || r.title !== note.title) ?? sorted[0] ?? null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [opened, note.id, note.revisionCount]);

  const restore = async (revision: NoteRevision) => {
    setRestoring(true);
    try {
      const restored = await api['notes.restoreRevision']({ noteId: note.id, revisionId: revision.id });
      notifications.show({ color: 'teal', title: `Restored revision ${revision.number}`, message: 'The current text was kept as a revision too.' });
      onRestored(restored);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRestoring(false);
    }
  };

  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="xl" title={<Group gap="xs"><IconHistory size={18} /><Text fw={600}>History of “{note.title}”</Text></Group>} >
      <div data-testid="revision-drawer">
      {error && <Alert color="red" mb="sm" data-testid="error-alert">{error}</Alert>}
      {revisions === null ? <Stack>{[0, 1, 2].map((i) => <Skeleton key={i} h={36} />)}</Stack> : revisions.length === 0 ? (
        <Text size="sm" c="dimmed">No earlier revisions — every save keeps the previous text here.</Text>
      ) : (
        <Group align="flex-start" wrap="nowrap" gap="md">
          <ScrollArea.Autosize mah="calc(100vh - 120px)" w={210} style={{ flexShrink: 0 }}>
            {revisions.map((r) => (
              <NavLink
                key={r.id}
                active={selected?.id === r.id}
                label={`Revision ${r.number}${r.deleted ? ' (deleted)' : r.body === note.body && r.title === note.title ? ' (current)' : ''}`}
                description={[formatDateTime(r.createdAt), r.author, r.concurrentWith ? `same time as ${r.concurrentWith.map((n) => `#${n}`).join(', ')}` : null].filter(Boolean).join(' · ')}
                onClick={() => setSelected(r)}
                data-testid={`revision-${r.number}`}
              />
            ))}
          </ScrollArea.Autosize>
          {selected && (
            <Stack gap="sm" style={{ flex: 1, minWidth: 0 }}>
              <Group justify="space-between">
                <Group gap="xs">
                  <Badge variant="light">Revision {selected.number}</Badge>
                  <Text size="xs" c="dimmed">vs. current text · <span className="sb-diff-removed">- revision</span> <span className="sb-diff-added">+ current</span></Text>
                </Group>
                <Button size="xs" leftSection={<IconRestore size={14} />} loading={restoring} onClick={() => void restore(selected)} data-testid="restore-revision">
                  Restore this revision
                </Button>
              </Group>
              {selected.author && <Text size="xs" c="dimmed" data-testid="revision-author">Written by {selected.author}{selected.deleted ? ', who deleted the note' : ''}</Text>}
              {selected.concurrentWith && (
                <Alert color="yellow" p="xs" data-testid="revision-concurrent">
                  Edited at the same time as revision {selected.concurrentWith.join(', ')} (both on the same earlier text, on different laptops). Both are kept; the note shows the one the team store received last.
                </Alert>
              )}
              {selected.title !== note.title && <Text size="xs" c="dimmed">Title then: “{selected.title}”</Text>}
              <RevisionDiff from={selected.body} to={currentBody} />
            </Stack>
          )}
        </Group>
      )}
      </div>
    </Drawer>
  );
}
