import { ActionIcon, Alert, Anchor, Badge, Box, Button, Group, Loader, Modal, Paper, Stack, Table, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import {
  IconArrowUp, IconChevronDown, IconChevronUp, IconFile, IconFileSymlink, IconFilter, IconFolder, IconFolderSymlink,
  IconLock, IconPlayerPlay, IconRefresh, IconShieldCheck, IconUpload, IconX,
} from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { FILE_TRANSFER_OFF, type FileTransferSetting } from '../../../../contract/domain/file-transfer';
import type { RemoteEntryView, RemoteListingView, TransferView } from '../../../../contract/files';
import { api } from '../../api/transport';
import { formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/validation';
import { useSites } from '../../stores/sites';
import type { TerminalTab } from '../../stores/terminals';
import { EmptyState } from '../common/EmptyState';
import {
  breadcrumb, downloadRefusal, filterEntries, humanBytes, modeText, NO_SELECTION, parentPath, ruleRefusal, ruleText, selectRow, sortEntries, startPath,
  type Selection, type SortKey, type SortOrder,
} from './file-format';
import { blocked, FilesActions } from './FilesActions';
import { FilesContextMenu } from './FilesContextMenu';
import { FolderJobsList } from './FolderJobsList';
import { readDrop, type LocalFolder } from './local-folder';
import { NewFolderDialog } from './NewFolderDialog';
import { panelMemory } from './panel-memory';
import { TransfersList } from './TransfersList';
import { uploadFile } from './upload-file';
import { useFolderTransfers } from './use-folder-transfers';

/** How often the transfers list is asked again: often while one runs or was just asked for, seldom when idle. */
const POLL_BUSY_MS = 700;
const POLL_IDLE_MS = 3000;
/** After an action, poll as if busy for this long (a transfer begun elsewhere shows up soon too). */
const BUSY_AFTER_ACTION_MS = 5000;

function EntryIcon({ entry }: { entry: RemoteEntryView }) {
  if (entry.type === 'dir') return <IconFolder size={16} color="var(--mantine-color-yellow-7)" aria-label="folder" />;
  if (entry.type === 'symlink') {
    return entry.linkTarget?.endsWith('/')
      ? <IconFolderSymlink size={16} color="var(--mantine-color-cyan-7)" aria-label="link" />
      : <IconFileSymlink size={16} color="var(--mantine-color-cyan-7)" aria-label="link" />;
  }
  return <IconFile size={16} color="var(--mantine-color-gray-6)" aria-label={entry.type === 'other' ? 'special file' : 'file'} />;
}

function SortHeader({ label, sortKey, order, onSort, align }: { label: string; sortKey: SortKey; order: SortOrder; onSort: (key: SortKey) => void; align?: 'right' }) {
  const active = order.key === sortKey;
  return (
    <Table.Th style={{ textAlign: align ?? 'left', whiteSpace: 'nowrap' }} aria-sort={active ? (order.descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => onSort(sortKey)} data-testid={`files-sort-${sortKey}`} style={{ fontWeight: 600, fontSize: 'inherit' }}>
        <Group gap={2} wrap="nowrap" justify={align === 'right' ? 'flex-end' : 'flex-start'}>
          {label}
          {active && (order.descending ? <IconChevronDown size={12} /> : <IconChevronUp size={12} />)}
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

interface ReplaceQuestion { name: string; dir: string; answer: (replace: boolean) => void }

/**
 * The Files panel beside an SSH terminal: SFTP on the terminal's own connection, so the same policy
 * decision, host-key pin and credentials apply. Browse (path bar, breadcrumb, up, refresh, sortable
 * columns, filter, keyboard), download files and whole folders to this computer or files into the
 * ticket's evidence, upload files and folders by button or by dropping them, make a folder (F7), and
 * this session's transfers with progress and SHA-256. The site's rule is shown
 * and the actions it forbids are greyed out with the reason; the core decides every transfer again.
 */
export function FilesPanel({ tab, connected, onClose }: { tab: TerminalTab; connected: boolean; onClose: () => void }) {
  const [rule, setRule] = useState<FileTransferSetting | null>(null);
  const [path, setPath] = useState<string | null>(null);
  const [typedPath, setTypedPath] = useState('');
  const [listing, setListing] = useState<RemoteListingView | null>(null);
  const [loading, setLoading] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ color: 'red' | 'orange' | 'teal'; text: string } | null>(null);
  const [endedWaits, setEndedWaits] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const [order, setOrder] = useState<SortOrder>({ key: 'name', descending: false });
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [transfers, setTransfers] = useState<TransferView[]>([]);
  const [dragging, setDragging] = useState(false);
  const [replace, setReplace] = useState<ReplaceQuestion | null>(null);
  /** The right-click menu's place on screen, while it is open. */
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const tableBox = useRef<HTMLDivElement>(null);
  const [newFolder, setNewFolder] = useState(false);
  /** The folder shown, for callbacks that outlive a render (a folder upload ending). */
  const shownPath = useRef<string | null>(null);
  const finished = useRef(new Set<string>());
  const busyUntil = useRef(0);

  useEffect(() => {
    useSites.getState().loadSite(tab.siteId).then(
      (site) => { setRule(site.files); setPath((p) => p ?? panelMemory.path(tab) ?? startPath(site.files)); },
      (e: unknown) => { setRule(FILE_TRANSFER_OFF); setListError(`The site's file-transfer setting could not be read: ${errorMessage(e)}`); },
    );
  }, [tab]);

  const load = useCallback(async (target: string, keepSelection = false) => {
    setLoading(true);
    setListError(null);
    try {
      const next = await api['files.list']({ sessionId: tab.sessionId, path: target });
      setListing(next);
      setPath(next.path);
      setTypedPath(next.path);
      panelMemory.setPath(tab, next.path);
      if (!keepSelection) { setSelection(NO_SELECTION); setNotice(null); }
    } catch (e) {
      setListError(errorMessage(e));
      setTypedPath(target);
    } finally {
      setLoading(false);
    }
  }, [tab]);

  useEffect(() => {
    if (connected && path !== null && listing === null && rule !== null) void load(path);
    // Only the first listing: later ones follow the engineer's navigation.
  }, [connected, path, rule]);

  // The session's transfers: progress while any runs; a finished upload into this folder refreshes it.
  useEffect(() => {
    if (!connected) {
      // One last look once the session is over: a download the end cut off between two polls is still
      // known to the core, and is offered again after Reconnect only if it is noted here.
      api['files.transfers']({ sessionId: tab.sessionId }).then((last) => panelMemory.noteTransfers(tab, last), () => undefined);
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let busy = Date.now() < busyUntil.current;
      try {
        const next = await api['files.transfers']({ sessionId: tab.sessionId });
        if (stopped) return;
        setTransfers(next);
        panelMemory.noteTransfers(tab, next);
        const landedHere = next.some((t) => t.state === 'complete' && t.direction === 'upload' && !finished.current.has(t.transferId) && parentPath(t.remotePath) === listing?.path);
        for (const t of next) if (t.state !== 'running') finished.current.add(t.transferId);
        if (landedHere && listing) void load(listing.path, true);
        busy ||= next.some((t) => t.state === 'running');
      } catch {
        // The session ended; the terminal says so.
      }
      if (!stopped) timer = setTimeout(() => void poll(), busy ? POLL_BUSY_MS : POLL_IDLE_MS);
    };
    void poll();
    return () => { stopped = true; clearTimeout(timer); };
  }, [connected, tab, listing, load]);

  shownPath.current = listing?.path ?? null;
  const showTransfer = useCallback((t: TransferView) => setTransfers((list) => [...list.filter((x) => x.transferId !== t.transferId), t]), []);
  const reloadShown = useCallback(() => { if (shownPath.current) void load(shownPath.current, true); }, [load]);
  const folders = useFolderTransfers({ sessionId: tab.sessionId, connected, onTransfer: showTransfer, onUploaded: reloadShown });

  const entries = useMemo(() => sortEntries(filterEntries(listing?.entries ?? [], filter), order), [listing, filter, order]);
  const current = entries.find((e) => e.path === selection.cursor) ?? null;
  const chosen = entries.filter((e) => selection.paths.includes(e.path));
  const toFetch = chosen.filter((e) => e.type !== 'dir');
  const here = listing?.path ?? path ?? '/';
  const setting = rule ?? FILE_TRANSFER_OFF;
  const downloadBlocked = downloadRefusal(setting, chosen);
  const toEvidenceBlocked = downloadRefusal(setting, chosen, true);
  const uploadRefusal = ruleRefusal(setting, 'upload', here);
  const running = transfers.filter((t) => t.state === 'running').length + folders.jobs.filter((j) => j.state === 'running').length;
  const earlier = panelMemory.interrupted(tab).filter((t) => !transfers.some((x) => x.remotePath === t.remotePath && x.direction === 'download' && x.toEvidence === t.toEvidence));

  const sortBy = (key: SortKey) => setOrder((o) => ({ key, descending: o.key === key ? !o.descending : key !== 'name' }));

  const open = (entry: RemoteEntryView) => {
    if (entry.type === 'dir' || (entry.type === 'symlink' && entry.linkTarget?.endsWith('/'))) void load(entry.path);
    else if (entry.type === 'symlink') void openLink(entry);
    else void download(entry, false);
  };

  /** A link may lead to a folder or a file: list it, and download it if it is not a folder. */
  const openLink = async (entry: RemoteEntryView) => {
    try {
      const next = await api['files.list']({ sessionId: tab.sessionId, path: entry.path });
      setListing(next); setPath(next.path); setTypedPath(next.path); setSelection(NO_SELECTION); setListError(null);
    } catch {
      await download(entry, false);
    }
  };

  const report = (t: TransferView) => {
    if (t.state === 'refused') setNotice({ color: 'orange', text: `Refused: ${t.reason ?? 'the site\'s file-transfer setting does not allow it.'} (recorded in the session log)` });
    else if (t.state === 'failed') setNotice({ color: 'red', text: `${t.localName}: ${t.reason ?? 'the transfer failed.'}` });
  };

  const download = async (entry: { path: string }, toEvidence: boolean) => {
    setNotice(null);
    busyUntil.current = Date.now() + BUSY_AFTER_ACTION_MS;
    try {
      const t = await api['files.download']({ sessionId: tab.sessionId, remotePath: entry.path, ...(toEvidence ? { toEvidence: true } : {}) });
      setTransfers((list) => [...list.filter((x) => x.transferId !== t.transferId), t]);
      report(t);
    } catch (e) {
      setNotice({ color: 'red', text: errorMessage(e) });
    }
  };

  /** Files one by one; a folder whole, into a new local folder of its name (never into evidence: that is kept file by file). */
  const downloadAll = async (rows: readonly RemoteEntryView[], toEvidence: boolean) => {
    for (const row of rows) {
      if (row.type === 'dir' && !toEvidence) {
        setNotice(null);
        busyUntil.current = Date.now() + BUSY_AFTER_ACTION_MS;
        await folders.downloadFolder(row);
      } else if (row.type !== 'dir') await download(row, toEvidence);
    }
  };

  const uploadFolders = async (picked: readonly LocalFolder[]) => {
    if (picked.length === 0) return;
    setNotice(null);
    busyUntil.current = Date.now() + BUSY_AFTER_ACTION_MS;
    await folders.uploadFolders(picked, here);
  };

  const askReplace = (name: string, dir: string) => new Promise<boolean>((resolve) => setReplace({ name, dir, answer: (yes) => { setReplace(null); resolve(yes); } }));

  const upload = async (files: readonly File[]) => {
    setNotice(null);
    busyUntil.current = Date.now() + BUSY_AFTER_ACTION_MS;
    const dir = here;
    const names = new Set((listing?.path === dir ? listing.entries : []).map((e) => e.name));
    for (const file of files) {
      let overwrite = false;
      if (names.has(file.name)) {
        overwrite = await askReplace(file.name, dir);
        if (!overwrite) continue;
      }
      try {
        const begun = await uploadFile(tab.sessionId, dir, file, overwrite, (t) => setTransfers((list) => [...list.filter((x) => x.transferId !== t.transferId), t]));
        report(begun);
      } catch (e) {
        setNotice({ color: 'red', text: `${file.name}: ${errorMessage(e)}` });
      }
    }
  };

  /** The engineer's confirmation that this evidence file is the debug data the ticket's RCA waited for. */
  const endRcaWait = async (t: TransferView) => {
    setNotice(null);
    try {
      const tickets = await api['tickets.list']({ siteId: tab.siteId });
      const ticket = tickets.find((x) => x.ref === tab.ticket);
      if (!ticket) throw new Error(`Ticket ${tab.ticket} is not in Switchboard; end the wait from its page.`);
      await api['tickets.evidenceEndRcaWait']({ id: ticket.id, sha256: t.sha256! });
      setEndedWaits((set) => new Set([...set, t.sha256!]));
    } catch (e) {
      setNotice({ color: 'red', text: `The wait did not end: ${errorMessage(e)}` });
    }
  };

  const cancel = async (t: TransferView) => {
    try {
      await api['files.cancel']({ transferId: t.transferId });
    } catch (e) {
      setNotice({ color: 'red', text: errorMessage(e) });
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (uploadRefusal) { setNotice({ color: 'orange', text: `Not uploaded: ${uploadRefusal}` }); return; }
    // Read at once: a drop's items are gone once the event is over.
    readDrop(event.dataTransfer).then(async ({ folders: dropped, loose }) => {
      if (loose.length > 0) await upload(loose);
      await uploadFolders(dropped);
    }, (e: unknown) => setNotice({ color: 'red', text: `The dropped folder could not be read: ${errorMessage(e)}` }));
  };

  const newFolderBlocked = !connected || uploadRefusal !== null;
  const openNewFolder = () => { if (!newFolderBlocked && listing) setNewFolder(true); };

  const onTableKey = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const index = entries.findIndex((e) => e.path === selection.cursor);
    const move = (to: number) => {
      const entry = entries[Math.max(0, Math.min(entries.length - 1, to))];
      if (!entry) return;
      setSelection((s) => selectRow(entries.map((e) => e.path), s, entry.path, { range: event.shiftKey }));
      tableBox.current?.querySelector(`[data-path="${CSS.escape(entry.path)}"]`)?.scrollIntoView({ block: 'nearest' });
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index <= 0 ? 0 : index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(entries.length - 1);
    else if (event.key === 'Enter' && current) open(current);
    else if (event.key === 'Backspace' && here !== '/') void load(parentPath(here));
    else if (event.key === 'F7') openNewFolder();
    else if ((event.ctrlKey || event.metaKey) && (event.key === 'a' || event.key === 'A')) setSelection({ paths: entries.map((e) => e.path), cursor: selection.cursor ?? entries[0]?.path ?? null });
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <Paper withBorder radius="md" p="xs" h="100%" data-testid="files-panel" style={{ display: 'flex', flexDirection: 'column', minWidth: 0, minHeight: 0, position: 'relative', overflow: 'hidden' }}
      onDragOver={(e) => { if (e.dataTransfer.types.includes('Files')) { e.preventDefault(); setDragging(true); } }}
      onDragLeave={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false); }}
      onDrop={onDrop}
      onKeyDown={(e) => { if (e.key === 'F7' && !e.defaultPrevented) { e.preventDefault(); openNewFolder(); } }}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>Files</Text>
          <Text size="xs" c="dimmed" truncate="end">SFTP on this session · {tab.host}</Text>
        </Group>
        <Tooltip label="Close the Files panel (Ctrl+Shift+L)" withinPortal={false}>
          <ActionIcon variant="subtle" size="sm" onClick={onClose} aria-label="Close the Files panel" data-testid="files-close"><IconX size={14} /></ActionIcon>
        </Tooltip>
      </Group>

      <Group gap={6} mt={4} wrap="nowrap" align="flex-start" data-testid="files-rule" data-transfer={setting.transfer}>
        {setting.transfer === 'off' ? <IconLock size={14} color="var(--mantine-color-red-6)" /> : <IconShieldCheck size={14} color="var(--mantine-color-teal-7)" />}
        <Text size="xs" c={setting.transfer === 'off' ? 'red' : undefined} style={{ minWidth: 0, overflowWrap: 'anywhere' }} lineClamp={2} title={rule ? `File transfer: ${ruleText(setting)}` : undefined}>
          <b>File transfer:</b> {rule ? ruleText(setting) : 'reading the site\'s setting…'}
        </Text>
      </Group>

      {rule?.transfer === 'off' ? (
        <Stack flex={1} justify="center" data-testid="files-off">
          <EmptyState icon={<IconLock size={18} />} title="File transfer is off for this site">
            {listError ?? 'The customer has not approved file transfer for this site.'} It is set on the site's page (off, download only, or both
            ways, limited to folders) like an approved method, and every change is recorded as a policy change.
          </EmptyState>
        </Stack>
      ) : (
        <>
        <Group gap={4} mt="xs" wrap="nowrap">
          <Tooltip label="Up one folder (Backspace)" withinPortal={false}>
            <ActionIcon variant="default" size="md" onClick={() => void load(parentPath(here))} disabled={!connected || here === '/'} aria-label="Up one folder" data-testid="files-up"><IconArrowUp size={14} /></ActionIcon>
          </Tooltip>
          <Tooltip label="Refresh" withinPortal={false}>
            <ActionIcon variant="default" size="md" onClick={() => void load(here, true)} disabled={!connected} loading={loading} aria-label="Refresh" data-testid="files-refresh"><IconRefresh size={14} /></ActionIcon>
          </Tooltip>
          <TextInput
            size="xs" style={{ flex: 1, minWidth: 0 }} classNames={{ input: 'sb-mono' }} aria-label="Remote path" placeholder="/var/log/ameyo"
            value={typedPath} onChange={(e) => setTypedPath(e.currentTarget.value)} disabled={!connected}
            onKeyDown={(e) => { e.stopPropagation(); if (e.key === 'Enter') { e.preventDefault(); void load(typedPath.trim() || '/'); } else if (e.key === 'Escape') setTypedPath(here); }}
            data-testid="files-path"
          />
          <TextInput size="xs" w={130} leftSection={<IconFilter size={12} />} placeholder="Filter" aria-label="Filter by name" value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)} onKeyDown={(e) => { e.stopPropagation(); if (e.key === 'Escape') setFilter(''); }} data-testid="files-filter" />
        </Group>

        <Group gap={2} mt={4} wrap="wrap" data-testid="files-breadcrumb" aria-label="Breadcrumb">
          {breadcrumb(here).map((crumb, i, all) => (
            <Group key={crumb.path} gap={2} wrap="nowrap">
              {i > 1 && <Text size="xs" c="dimmed">/</Text>}
              {i === all.length - 1
                ? <Text size="xs" fw={600} className="sb-mono">{crumb.label}</Text>
                : <Anchor component="button" type="button" size="xs" className="sb-mono" onClick={() => void load(crumb.path)} data-testid={`files-crumb-${crumb.path}`}>{crumb.label}</Anchor>}
            </Group>
          ))}
        </Group>

        <FilesActions connected={connected} chosen={chosen} here={here} ticket={tab.ticket} downloadBlocked={downloadBlocked} toEvidenceBlocked={toEvidenceBlocked}
          uploadRefusal={uploadRefusal} onDownload={(rows, toEvidence) => void downloadAll(rows, toEvidence)} onUploadFiles={(files) => void upload(files)}
          onUploadFolders={(picked) => void uploadFolders(picked)} onNewFolder={openNewFolder} />

        {notice && (
          <Alert mt="xs" p={6} style={{ flexShrink: 0 }} color={notice.color} variant="light" withCloseButton onClose={() => setNotice(null)} data-testid="files-notice">
            <Text size="xs" lineClamp={3} title={notice.text}>{notice.text}</Text>
          </Alert>
        )}

        <Box mt="xs" style={{ flex: '1 1 0', minHeight: 150, position: 'relative', border: '1px solid var(--mantine-color-default-border)', borderRadius: 6 }}>
          <div ref={tableBox} style={{ position: 'absolute', inset: 0, overflow: 'auto' }}>
            {!connected && <EmptyState icon={<IconLock size={18} />} title="Not connected">Files can be browsed while the terminal is connected.</EmptyState>}
            {connected && listError && (
              <Alert m="xs" color={setting.transfer === 'off' ? 'orange' : 'red'} variant="light" title={setting.transfer === 'off' ? 'File transfer is off' : `Cannot show ${typedPath || here}`} data-testid="files-error">
                <Text size="xs">{listError}</Text>
              </Alert>
            )}
            {connected && !listError && listing === null && <Group justify="center" p="lg"><Loader size="sm" /><Text size="xs" c="dimmed">Opening SFTP…</Text></Group>}
            {connected && !listError && listing !== null && (
              <div tabIndex={0} onKeyDown={onTableKey} data-testid="files-table" aria-label={`Files in ${here}`} style={{ outline: 'none' }}>
                <Table fz="xs" verticalSpacing={3} highlightOnHover stickyHeader striped={false}>
                  <Table.Thead>
                    <Table.Tr>
                      <SortHeader label="Name" sortKey="name" order={order} onSort={sortBy} />
                      <SortHeader label="Size" sortKey="size" order={order} onSort={sortBy} align="right" />
                      <SortHeader label="Modified" sortKey="mtime" order={order} onSort={sortBy} />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {entries.map((entry) => {
                      const isSelected = selection.paths.includes(entry.path);
                      return (
                        <Table.Tr key={entry.path} data-path={entry.path} data-name={entry.name} data-type={entry.type} data-selected={isSelected} aria-selected={isSelected}
                          onClick={(e) => setSelection((s) => selectRow(entries.map((x) => x.path), s, entry.path, { toggle: e.ctrlKey || e.metaKey, range: e.shiftKey }))} onDoubleClick={() => open(entry)}
                        onContextMenu={(e) => {
                          e.preventDefault();
                          if (!selection.paths.includes(entry.path)) setSelection(selectRow(entries.map((x) => x.path), selection, entry.path));
                          setMenu({ x: e.clientX, y: e.clientY });
                        }}
                          style={{ cursor: 'default', userSelect: 'none', background: isSelected ? 'var(--mantine-color-blue-light)' : undefined }}
                          data-testid="files-row">
                          <Table.Td style={{ maxWidth: 0, width: '60%' }}>
                            <Group gap={6} wrap="nowrap" title={entry.type === 'symlink' ? `${entry.display} → ${entry.linkTarget ?? '(target unreadable)'}` : `${entry.display}  ${modeText(entry.type, entry.mode)}`}>
                              <EntryIcon entry={entry} />
                              <Text size="xs" truncate="end" className="sb-mono" style={{ minWidth: '2em', flexShrink: 1 }} data-testid="files-name">{entry.display}</Text>
                              {entry.type === 'symlink' && <Text size="xs" c="dimmed" truncate="end" className="sb-mono" style={{ minWidth: 0, flexShrink: 4 }}>→ {entry.linkTarget ?? '?'}</Text>}
                            </Group>
                          </Table.Td>
                          <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }} title={`${entry.size} bytes`} data-testid="files-size">{entry.type === 'dir' ? '' : humanBytes(entry.size)}</Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }} title={entry.mtime}>{formatDateTime(entry.mtime)}</Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
                {entries.length === 0 && (
                  <Text size="xs" c="dimmed" ta="center" p="md" data-testid="files-empty">
                    {filter.trim() ? `Nothing in ${here} matches "${filter.trim()}".` : `${here} is empty.${uploadRefusal ? '' : ' Drop files or folders here, use Upload… or Upload folder…, or make a folder with New folder (F7).'}`}
                  </Text>
                )}
              </div>
            )}
          </div>
          {dragging && (
            <Stack align="center" justify="center" gap={4} data-testid="files-drop-overlay"
              style={{ position: 'absolute', inset: 0, background: 'color-mix(in srgb, var(--mantine-color-body) 85%, transparent)', border: `2px dashed var(--mantine-color-${uploadRefusal ? 'orange' : 'blue'}-5)`, borderRadius: 6, pointerEvents: 'none' }}>
              <IconUpload size={22} />
              <Text size="sm" fw={600}>{uploadRefusal ? 'Uploads are not allowed here' : `Drop to upload into ${here}`}</Text>
              {uploadRefusal && <Text size="xs" c="dimmed" maw={320} ta="center">{uploadRefusal}</Text>}
            </Stack>
          )}
        </Box>
        <Text size="xs" c="dimmed" mt={4} truncate="end" style={{ flexShrink: 0 }} data-testid="files-status">
          {listing ? `${entries.length} of ${listing.entries.length} item${listing.entries.length === 1 ? '' : 's'}` : ''}
          {chosen.length === 1 && current ? ` · ${current.display}${current.type === 'dir' ? '' : `, ${humanBytes(current.size)}`}` : ''}
          {chosen.length > 1 ? ` · ${chosen.length} selected, ${humanBytes(toFetch.reduce((sum, e) => sum + e.size, 0))} in files` : ''}
        </Text>

        <Group justify="space-between" mt="xs" gap="xs" style={{ flexShrink: 0 }}>
          <Text size="sm" fw={600}>Transfers</Text>
          {running > 0 && <Badge size="xs" variant="light" data-testid="transfers-running">{running} running</Badge>}
        </Group>
        <div style={{ flex: '0 0 auto', maxHeight: '32%', overflowY: 'auto', overflowX: 'hidden' }} data-testid="transfers-box">
          {connected && earlier.length > 0 && (
            <Alert p={6} mb={4} color="yellow" variant="light" data-testid="files-interrupted" title={<Text size="xs" fw={600}>Cut off in an earlier session</Text>}>
              <Stack gap={4}>
                {earlier.map((t) => (
                  <Group key={`${t.toEvidence ? 'evidence' : 'folder'}:${t.remotePath}`} justify="space-between" wrap="nowrap" gap="xs" data-testid="interrupted-row" data-name={t.localName}>
                    <Text size="xs" truncate="end" title={t.remoteDisplay} style={{ minWidth: 0 }}>
                      <span className="sb-mono">{t.localName}</span>{t.toEvidence ? ' (to the ticket\'s evidence)' : ''} — about {humanBytes(t.bytes)} of {humanBytes(t.total)} kept on this computer
                    </Text>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="light" leftSection={<IconPlayerPlay size={12} />} {...blocked(ruleRefusal(setting, 'download', t.remotePath) !== null)}
                        title={ruleRefusal(setting, 'download', t.remotePath) ?? 'Download it again: the core checks the kept bytes against the file and takes up from there'}
                        onClick={() => { if (ruleRefusal(setting, 'download', t.remotePath) === null) { panelMemory.forget(tab, t); void download({ path: t.remotePath }, t.toEvidence); } }}
                        data-testid="interrupted-resume">Resume</Button>
                      <ActionIcon size="sm" variant="subtle" color="gray" onClick={() => { panelMemory.forget(tab, t); setNotice(null); }} aria-label={`Forget ${t.localName}`} title={t.toEvidence ? 'Forget it (the kept bytes stay in the data dir\'s evidence folder for a day)' : 'Forget it (the kept part stays in Downloads as .part)'} data-testid="interrupted-forget"><IconX size={12} /></ActionIcon>
                    </Group>
                  </Group>
                ))}
              </Stack>
            </Alert>
          )}
          <FolderJobsList jobs={folders.jobs} transfers={transfers} onCancel={(job) => void folders.cancel(job).catch((e: unknown) => setNotice({ color: 'red', text: errorMessage(e) }))} onForget={folders.forget} />
          <TransfersList transfers={transfers} onCancel={(t) => void cancel(t)} onResume={(t) => void download({ path: t.remotePath }, t.toEvidence)}
            rcaWait={{ ticket: tab.ticket, ended: endedWaits, onEnd: (t) => void endRcaWait(t) }} />
        </div>
        </>
      )}

      <FilesContextMenu at={menu} onClose={() => setMenu(null)} current={current} chosen={chosen} downloadBlocked={downloadBlocked} toEvidenceBlocked={toEvidenceBlocked}
        newFolderBlocked={newFolderBlocked} onOpen={open} onDownload={(rows, toEvidence) => void downloadAll(rows, toEvidence)} onNewFolder={openNewFolder}
        onRefresh={() => void load(here, true)}
        onCopyPaths={() => void navigator.clipboard.writeText(chosen.map((e) => e.path).join('\n')).catch((e: unknown) => setNotice({ color: 'red', text: `The path could not be copied: ${errorMessage(e)}` }))} />

      <NewFolderDialog opened={newFolder} sessionId={tab.sessionId} dir={here} existing={listing?.entries.map((e) => e.name) ?? []} onClose={() => setNewFolder(false)}
        onMade={(made) => {
          setNewFolder(false);
          void load(here, true).then(() => setSelection({ paths: [made], cursor: made }));
        }} />

      <Modal opened={replace !== null} onClose={() => replace?.answer(false)} title="Replace the remote file?" size="sm" centered>
        {replace && (
          <Stack gap="sm">
            <Text size="sm"><span className="sb-mono">{replace.name}</span> already exists in <span className="sb-mono">{replace.dir}</span>. Replacing it cannot be undone on the server.</Text>
            <Group justify="flex-end" gap="xs">
              <Button variant="default" size="xs" onClick={() => replace.answer(false)} data-testid="files-replace-skip">Skip this file</Button>
              <Button color="red" size="xs" onClick={() => replace.answer(true)} data-testid="files-replace-confirm">Replace</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}
