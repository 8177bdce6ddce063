import { Button, FileButton, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileImport, IconUpload } from '@tabler/icons-react';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { RosterPreview } from '../../../../contract/accountability';
import { api } from '../../api/transport';
import { plural } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { useAccountability } from '../../stores/accountability';
import { Shortcut } from '../common/Shortcut';
import { FormError } from '../common/FormError';
import { TrustLeadStep } from './TrustLeadStep';

/** Ctrl/⌘+Enter submits a form whose main field is a multi-line text box (Enter is a new line there). */
export function submitOnModEnter(event: KeyboardEvent<HTMLTextAreaElement>): void {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }
}

/** Paste or choose a signed roster; the first one asks the person to confirm the lead's fingerprint. */
export function ImportRosterModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<RosterPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const close = () => {
    setText('');
    setPreview(null);
    setFailure(null);
    onClose();
  };

  const importRoster = async (trustLead?: string) => {
    setBusy(true);
    setFailure(null);
    try {
      const imported = await api['team.importRoster']({ signedText: text, ...(trustLead ? { trustLead } : {}) });
      notifications.show({
        color: 'teal', title: imported.changed ? 'Roster imported' : 'Roster unchanged',
        message: imported.changed
          ? `${imported.team}: ${plural(imported.members.length, 'member')}, signed by ${imported.signedBy.name}.`
          : `The roster of ${imported.team} is already the current one.`,
      });
      for (const warning of imported.warnings) if (imported.changed) notifications.show({ color: 'yellow', title: 'Check this', message: warning, autoClose: false });
      await useAccountability.getState().load();
      close();
    } catch (error) {
      setPreview(null);
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return setFailure('Paste the signed roster your lead sent, or choose its file.');
    setBusy(true);
    setFailure(null);
    try {
      const read = await api['team.previewRoster']({ signedText: text });
      if (read.needsTrustConfirmation) {
        setBusy(false);
        return setPreview(read);
      }
    } catch (error) {
      setBusy(false);
      return setFailure(errorMessage(error));
    }
    await importRoster();
  };

  const chooseFile = async (file: File | null) => {
    if (!file) return;
    setFailure(null);
    setPreview(null);
    setText(await file.text());
  };

  return (
    <Modal opened={opened} onClose={close} size="lg" closeOnClickOutside={false} title={<Text fw={600}>{preview ? 'Trust this lead?' : 'Import team roster'}</Text>} data-testid="import-roster-modal">
      {preview ? (
        <TrustLeadStep preview={preview} busy={busy} onTrust={(fp) => void importRoster(fp)} onCancel={() => setPreview(null)} />
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">The signed roster file your lead sent: the team&apos;s YAML followed by the lead&apos;s signature line.</Text>
            <Textarea
              value={text}
              onChange={(e) => { setText(e.currentTarget.value); setFailure(null); }}
              onKeyDown={submitOnModEnter}
              autosize minRows={8} maxRows={16}
              placeholder={'version: 1\nteam: …\nmembers:\n  - …\n\n— lena@example.com …'}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: '0.8rem' } }}
              aria-label="Signed roster"
              data-autofocus
              data-testid="roster-import-text"
            />
            <FormError message={failure} />
            <Group justify="space-between">
              <FileButton onChange={(file) => void chooseFile(file)} accept=".signed,.txt,.yaml,.yml,text/plain">
                {(props) => <Button {...props} variant="default" leftSection={<IconUpload size={14} />} data-testid="roster-import-file">Choose file…</Button>}
              </FileButton>
              <Group gap="xs">
                <Text size="xs" c="dimmed"><Shortcut keys="mod+Enter" /></Text>
                <Button type="submit" loading={busy} leftSection={<IconFileImport size={16} />} data-testid="roster-import-submit">Import</Button>
              </Group>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
