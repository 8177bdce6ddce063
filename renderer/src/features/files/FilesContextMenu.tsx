import { Menu, Text } from '@mantine/core';
import { IconCopy, IconDownload, IconFolderOpen, IconFolderPlus, IconRefresh, IconShieldCheck } from '@tabler/icons-react';
import type { RemoteEntryView } from '../../../../contract/files';
import { selectionWords } from './file-format';

/**
 * The right-click menu on a row, as in WinSCP: Open (folders, links), Download / Save to ticket
 * evidence for the selection (greyed, with the site's reason under them, where the rule forbids),
 * Copy path(s), New folder (F7), Refresh.
 */
export function FilesContextMenu({ at, onClose, current, chosen, downloadBlocked, toEvidenceBlocked, newFolderBlocked, onOpen, onDownload, onCopyPaths, onNewFolder, onRefresh }: {
  /** Where on screen it opens; null: closed. */
  at: { x: number; y: number } | null;
  onClose: () => void;
  current: RemoteEntryView | null;
  chosen: readonly RemoteEntryView[];
  downloadBlocked: string | null;
  toEvidenceBlocked: string | null;
  newFolderBlocked: boolean;
  onOpen: (entry: RemoteEntryView) => void;
  onDownload: (rows: readonly RemoteEntryView[], toEvidence: boolean) => void;
  onCopyPaths: () => void;
  onNewFolder: () => void;
  onRefresh: () => void;
}) {
  const files = chosen.filter((e) => e.type !== 'dir');
  return (
    <Menu opened={at !== null} onChange={(opened) => { if (!opened) onClose(); }} position="bottom-start" offset={2} shadow="md" width={230}>
      <Menu.Target>
        <div aria-hidden style={{ position: 'fixed', left: at?.x ?? 0, top: at?.y ?? 0, width: 1, height: 1, pointerEvents: 'none' }} />
      </Menu.Target>
      <Menu.Dropdown data-testid="files-menu">
        {current && chosen.length === 1 && current.type !== 'file' && (
          <Menu.Item leftSection={<IconFolderOpen size={14} />} onClick={() => onOpen(current)} data-testid="files-menu-open">Open</Menu.Item>
        )}
        <Menu.Item leftSection={<IconDownload size={14} />} disabled={downloadBlocked !== null} onClick={() => onDownload(chosen, false)} data-testid="files-menu-download">
          Download{chosen.length > 1 ? ` ${selectionWords(chosen)}` : ''}
        </Menu.Item>
        <Menu.Item leftSection={<IconShieldCheck size={14} />} disabled={toEvidenceBlocked !== null} onClick={() => onDownload(files, true)} data-testid="files-menu-evidence">Save to ticket evidence</Menu.Item>
        {(downloadBlocked ?? toEvidenceBlocked) && <Text size="xs" c="dimmed" px="sm" py={4} maw={230} data-testid="files-menu-reason">{downloadBlocked ?? toEvidenceBlocked}</Text>}
        <Menu.Divider />
        <Menu.Item leftSection={<IconCopy size={14} />} disabled={chosen.length === 0} onClick={onCopyPaths} data-testid="files-menu-copy-path">
          Copy {chosen.length > 1 ? 'paths' : 'path'}
        </Menu.Item>
        <Menu.Item leftSection={<IconFolderPlus size={14} />} disabled={newFolderBlocked} onClick={onNewFolder} rightSection={<Text size="xs" c="dimmed">F7</Text>} data-testid="files-menu-new-folder">New folder…</Menu.Item>
        <Menu.Item leftSection={<IconRefresh size={14} />} onClick={onRefresh} data-testid="files-menu-refresh">Refresh</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
