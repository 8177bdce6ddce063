import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../../api/transport';
import { errorMessage } from '../../lib/validation';
import { folderNameProblem } from './file-format';

/**
 * "New folder" (F7, as in WinSCP) in the folder shown: a name checked as it is typed, then
 * `files.makeFolder`, which the core decides like an upload — a refusal comes back in the site's
 * words and is recorded in the session log.
 */
export function NewFolderDialog({ opened, sessionId, dir, existing, onClose, onMade }: {
  opened: boolean;
  sessionId: string;
  dir: string;
  existing: readonly string[];
  onClose: () => void;
  onMade: (path: string) => void;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (opened) { setName(''); setError(null); setTouched(false); }
  }, [opened]);
  const problem = folderNameProblem(name, existing);

  const make = async () => {
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const made = await api['files.makeFolder']({ sessionId, remoteDir: dir, name });
      if (made.created) onMade(made.path);
      else setError(`${made.refusal?.state === 'refused' ? 'Refused by the site\'s rule: ' : ''}${made.refusal?.reason ?? 'The server did not make the folder.'}`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="New folder" size="sm" centered>
      <form onSubmit={(e) => { e.preventDefault(); void make(); }}>
        <Stack gap="sm">
          <Text size="xs" c="dimmed">In <span className="sb-mono">{dir}</span></Text>
          <TextInput
            data-autofocus label="Name" size="sm" classNames={{ input: 'sb-mono' }} value={name} placeholder="debug-2026-11-30"
            onChange={(e) => { setName(e.currentTarget.value); setError(null); }}
            error={name !== '' || touched ? problem : null} data-testid="files-new-folder-name"
          />
          {error && <Alert color="orange" variant="light" p={8} data-testid="files-new-folder-error"><Text size="xs">{error}</Text></Alert>}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" size="xs" onClick={onClose}>Cancel</Button>
            <Button type="submit" size="xs" loading={busy} data-testid="files-new-folder-create">Create folder</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
