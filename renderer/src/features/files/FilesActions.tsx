import { Button, Group, Tooltip } from '@mantine/core';
import { IconDownload, IconFolderPlus, IconFolderUp, IconShieldCheck, IconUpload } from '@tabler/icons-react';
import { useRef } from 'react';
import type { RemoteEntryView } from '../../../../contract/files';
import { selectionWords } from './file-format';
import { foldersFromRelativePaths, type LocalFolder } from './local-folder';

/**
 * A button the site's rule forbids stays hoverable (a disabled button gets no mouse events, so its
 * tooltip with the reason would never show): greyed by data-disabled, its click ignored by the caller.
 */
export const blocked = (no: boolean) => (no ? { 'data-disabled': true, 'aria-disabled': true } : {});

/**
 * The Files panel's actions on the selection and the folder shown: Download (files, and folders
 * whole), Save to ticket evidence (files), Upload… (files), Upload folder… (a folder picker), New
 * folder (F7). What the site's rule forbids stays hoverable, greyed, with the reason as its tooltip.
 */
export function FilesActions({ connected, chosen, here, ticket, downloadBlocked, toEvidenceBlocked, uploadRefusal, onDownload, onUploadFiles, onUploadFolders, onNewFolder }: {
  connected: boolean;
  chosen: readonly RemoteEntryView[];
  here: string;
  ticket: string;
  downloadBlocked: string | null;
  toEvidenceBlocked: string | null;
  uploadRefusal: string | null;
  onDownload: (rows: readonly RemoteEntryView[], toEvidence: boolean) => void;
  onUploadFiles: (files: File[]) => void;
  onUploadFolders: (folders: LocalFolder[]) => void;
  onNewFolder: () => void;
}) {
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const toFetch = chosen.filter((e) => e.type !== 'dir');
  const newFolderBlocked = !connected || uploadRefusal !== null;
  return (
  <Group gap={4} mt="xs" wrap="wrap" style={{ flexShrink: 0 }}>
      <Tooltip label={downloadBlocked ?? `Download ${chosen.length === 1 ? (chosen[0]!.type === 'dir' ? 'this folder, with everything in it,' : 'it') : `these ${selectionWords(chosen)}`} to this computer's Downloads folder`} withinPortal={false} multiline maw={320}>
        <Button size="compact-xs" variant="light" leftSection={<IconDownload size={14} />} {...blocked(!connected || downloadBlocked !== null)}
          onClick={() => downloadBlocked === null && onDownload(chosen, false)} data-testid="files-download" data-reason={downloadBlocked ?? ''}>
          Download{chosen.length > 1 ? ` ${chosen.length}` : ''}
        </Button>
      </Tooltip>
      <Tooltip label={toEvidenceBlocked ?? `Keep ${toFetch.length === 1 ? 'it' : `these ${toFetch.length} files`} on ticket ${ticket}: hashed, listed on the ticket's Evidence card${toFetch.length < chosen.length ? ' (folders are left out: evidence is kept file by file)' : ''}`} withinPortal={false} multiline maw={320}>
        <Button size="compact-xs" variant="light" color="teal" leftSection={<IconShieldCheck size={14} />} {...blocked(!connected || toEvidenceBlocked !== null)}
          onClick={() => toEvidenceBlocked === null && onDownload(toFetch, true)} data-testid="files-evidence" data-reason={toEvidenceBlocked ?? ''}>Save to ticket evidence</Button>
      </Tooltip>
      <Tooltip label={uploadRefusal ?? `Upload files into ${here} (or drop them on this panel)`} withinPortal={false} multiline maw={320}>
        <Button size="compact-xs" variant="default" leftSection={<IconUpload size={14} />} {...blocked(!connected || uploadRefusal !== null)}
          onClick={() => connected && uploadRefusal === null && fileInput.current?.click()} data-testid="files-upload" data-reason={uploadRefusal ?? ''}>Upload…</Button>
      </Tooltip>
      <input ref={fileInput} type="file" multiple hidden data-testid="files-upload-input"
        onChange={(e) => { const files = [...(e.currentTarget.files ?? [])]; e.currentTarget.value = ''; if (files.length > 0) onUploadFiles(files); }} />
      <Tooltip label={uploadRefusal ?? `Upload a folder from this computer into ${here}, with everything in it (or drop it on this panel). A folder of that name already there is not merged into.`} withinPortal={false} multiline maw={320}>
        <Button size="compact-xs" variant="default" leftSection={<IconFolderUp size={14} />} {...blocked(!connected || uploadRefusal !== null)}
          onClick={() => connected && uploadRefusal === null && folderInput.current?.click()} data-testid="files-upload-folder" data-reason={uploadRefusal ?? ''}>Upload folder…</Button>
      </Tooltip>
      <input ref={folderInput} type="file" hidden data-testid="files-upload-folder-input" {...{ webkitdirectory: '' }}
        onChange={(e) => { const files = [...(e.currentTarget.files ?? [])]; e.currentTarget.value = ''; onUploadFolders(foldersFromRelativePaths(files).folders); }} />
      <Tooltip label={uploadRefusal ?? `Make a folder in ${here} (F7)`} withinPortal={false} multiline maw={320}>
        <Button size="compact-xs" variant="default" leftSection={<IconFolderPlus size={14} />} {...blocked(newFolderBlocked)}
          onClick={onNewFolder} data-testid="files-new-folder" data-reason={uploadRefusal ?? ''}>New folder</Button>
      </Tooltip>
  </Group>
  );
}
