import { Badge, Button, Group, Paper, Select, Stack, Tabs, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { getHotkeyHandler, useDisclosure, useHotkeys } from '@mantine/hooks';
import { IconDeviceFloppy, IconEye, IconHistory, IconPencil, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { noteFields } from '../../../../contract/inputs';
import type { Note, Site } from '../../../../contract/models';
import { formatDateTime } from '../../lib/format';
import { apiFieldErrors, errorAt, errorMessage, zodErrors, type FieldErrors } from '../../lib/validation';
import { refreshAll } from '../../stores/refresh';
import { useNotes } from '../../stores/notes';
import { FormError } from '../common/FormError';
import { Shortcut, shortcutText } from '../common/Shortcut';
import { runDelete } from '../common/deleteWithUndo';
import { MarkdownPreview } from './MarkdownPreview';
import { RevisionDrawer } from './RevisionDrawer';

interface Props { site: Site; note?: Note; onSaved: (note: Note) => void; onDeleted: () => void; onCancel: () => void }

export function NoteEditor({ site, note, onSaved, onDeleted, onCancel }: Props) {
  const [title, setTitle] = useState(note?.title ?? '');
  const [body, setBody] = useState(note?.body ?? '');
  const [hostId, setHostId] = useState<string | null>(note?.hostId ? String(note.hostId) : null);
  const [tab, setTab] = useState<string | null>('edit');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [historyOpened, history] = useDisclosure(false);
  const dirty = title !== (note?.title ?? '') || body !== (note?.body ?? '');
  useEffect(() => {
    useNotes.setState({ editorDirty: dirty });
    return () => useNotes.setState({ editorDirty: false });
  }, [dirty]);

  const save = async () => {
    if (saving) return;
    const fields = { title, body };
    const parsed = noteFields.safeParse(fields);
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(null);
    setSaving(true);
    try {
      const saved = note
        ? await api['notes.update']({ id: note.id, fields })
        : await api['notes.create']({ siteId: site.id, ...(hostId ? { hostId: Number(hostId) } : {}), fields });
      await refreshAll();
      onSaved(saved);
    } catch (error) {
      const fieldErrors = apiFieldErrors(error);
      setErrors(fieldErrors);
      setFormError(Object.keys(fieldErrors).length ? null : errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const saveKeys: [string, () => void, { preventDefault: boolean }] = ['mod+S', () => void save(), { preventDefault: true }];
  useHotkeys([saveKeys], []);

  return (
    <Paper withBorder p="md" data-testid="note-editor">
      <Stack gap="sm">
        <FormError message={formError} />
        <Group align="flex-start" grow>
          <TextInput label="Title" withAsterisk placeholder="DB retention" value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={errorAt(errors, 'title')} data-testid="note-title" onKeyDown={getHotkeyHandler([saveKeys])} />
          <Select
            label="Host"
            description={note ? 'Fixed when the note was created' : undefined}
            placeholder="Whole site"
            clearable
            disabled={Boolean(note)}
            data={site.hosts.map((h) => ({ value: String(h.id), label: h.name }))}
            value={hostId}
            onChange={setHostId}
            data-testid="note-host"
            style={{ maxWidth: 240 }}
          />
        </Group>
        <Tabs value={tab} onChange={setTab} variant="outline">
          <Tabs.List>
            <Tabs.Tab value="edit" leftSection={<IconPencil size={14} />}>Edit</Tabs.Tab>
            <Tabs.Tab value="preview" leftSection={<IconEye size={14} />} data-testid="note-preview-tab">Preview</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="edit" pt="xs">
            <Textarea
              label="Body (Markdown)"
              placeholder={'## Access\n- VPN first, then ssh app01\n\n| db | keep |\n|---|---|\n| ameyodb | 90 d |'}
              autosize
              minRows={12}
              maxRows={28}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              error={errorAt(errors, 'body')}
              data-testid="note-body"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: '0.85rem' } }}
              onKeyDown={getHotkeyHandler([saveKeys])}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="xs">
            <Paper withBorder p="md" mih={240}><MarkdownPreview body={body} /></Paper>
          </Tabs.Panel>
        </Tabs>
        <Group justify="space-between">
          <Group gap="xs">
            {note && (
              <>
                <Text size="xs" c="dimmed">Updated {formatDateTime(note.updatedAt)}</Text>
                <Button size="xs" variant="subtle" leftSection={<IconHistory size={14} />} onClick={history.open} data-testid="note-history">
                  History <Badge size="xs" ml={6} variant="light" color="gray">{note.revisionCount}</Badge>
                </Button>
              </>
            )}
            {dirty && <Badge size="sm" variant="dot" color="orange">Unsaved</Badge>}
          </Group>
          <Group gap="xs">
            {note && (
              <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={() => void runDelete(() => api['notes.delete']({ id: note.id }), onDeleted)} data-testid="delete-note">
                Delete
              </Button>
            )}
            <Button size="xs" variant="default" onClick={onCancel} data-testid="note-cancel">Cancel</Button>
            <Tooltip label={<Group gap={4}>Save <Shortcut keys="mod+S" /></Group>}>
              <Button size="xs" leftSection={<IconDeviceFloppy size={14} />} loading={saving} onClick={() => void save()} data-testid="save-note" aria-keyshortcuts={shortcutText('mod+S')}>
                Save
              </Button>
            </Tooltip>
          </Group>
        </Group>
      </Stack>
      {note && <RevisionDrawer note={note} currentBody={body} opened={historyOpened} onClose={history.close} onRestored={(n) => { void refreshAll(); onSaved(n); }} />}
    </Paper>
  );
}
