import { ActionIcon, Button, Group, Input, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { FILE_TRANSFER, MAX_TRANSFER_FOLDERS, type FileTransfer } from '../../../../contract/domain/file-transfer';
import { errorAt, type FieldErrors } from '../../lib/validation';

export interface FileTransferDraft { transfer: FileTransfer; folders: string[] }

const CHOICE_LABELS: Record<FileTransfer, string> = { off: 'Off', download: 'Download only', both: 'Both ways' };
const monoInput = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

function foldersHint(transfer: FileTransfer): string {
  if (transfer === 'off') return 'Kept for when file transfer is turned on; nothing moves while it is off.';
  const anywhere = transfer === 'both' ? 'files may be fetched and put wherever the login may read and write' : 'files may be fetched wherever the login may read';
  return `Absolute paths on the server, e.g. /var/log/ameyo. With none, ${anywhere}. A symbolic link that leads out of a folder is refused.`;
}

/**
 * The site form's file-transfer setting: off, download only or both ways, and the remote folders it is
 * limited to (none = wherever the server lets the login go). Each folder's error stands by its row.
 */
export function FileTransferSection({ value, onChange, errors }: { value: FileTransferDraft; onChange: (next: FileTransferDraft) => void; errors: FieldErrors }) {
  const setFolder = (index: number, text: string) => onChange({ ...value, folders: value.folders.map((f, i) => (i === index ? text : f)) });
  const removeFolder = (index: number) => onChange({ ...value, folders: value.folders.filter((_, i) => i !== index) });
  const addFolder = () => onChange({ ...value, folders: [...value.folders, ''] });
  const listError = errors['files.folders'] ?? errorAt(errors, 'files.transfer');
  return (
    <Stack gap="xs" data-testid="site-form-files">
      <Input.Wrapper
        label="File transfer (SFTP)"
        description="Whether engineers may fetch files from this site's servers, or also put files on them. Part of the policy: the customer approves it like a method, and every change is recorded."
      >
        <SegmentedControl
          mt={6}
          value={value.transfer}
          onChange={(v) => onChange({ ...value, transfer: v as FileTransfer })}
          data={FILE_TRANSFER.map((t) => ({ value: t, label: CHOICE_LABELS[t] }))}
          data-testid="site-form-files-transfer"
        />
      </Input.Wrapper>
      {(value.transfer !== 'off' || value.folders.length > 0) && (
        <Stack gap={6}>
          <Text size="sm" fw={500}>Limited to these folders</Text>
          <Text size="xs" c="dimmed">{foldersHint(value.transfer)}</Text>
          {value.folders.map((folder, index) => (
            <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                placeholder="/var/log/ameyo"
                aria-label={`Folder ${index + 1}`}
                value={folder}
                onChange={(e) => setFolder(index, e.currentTarget.value)}
                error={errors[`files.folders[${index}]`]}
                styles={monoInput}
                data-testid={`site-form-files-folder-${index}`}
              />
              <ActionIcon variant="default" size="lg" onClick={() => removeFolder(index)} aria-label={`Remove folder ${index + 1}`} data-testid={`site-form-files-remove-${index}`}>
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button variant="default" size="xs" leftSection={<IconPlus size={14} />} onClick={addFolder} disabled={value.folders.length >= MAX_TRANSFER_FOLDERS} data-testid="site-form-files-add">
              Add folder
            </Button>
          </Group>
        </Stack>
      )}
      {listError && <Text size="xs" c="red" data-testid="site-form-files-error">{listError}</Text>}
    </Stack>
  );
}
