/**
 * The Files panel's pure parts: sizes, speeds and times in words, sorting and filtering a listing,
 * the path's breadcrumb, and what the site's file-transfer setting says about an action before it is
 * asked (the core still decides every transfer; this only greys out what it would refuse).
 */
import { FILE_TRANSFER_WORDS, isInsideFolder, normaliseRemotePath, type FileTransferSetting } from '../../../../contract/domain/file-transfer';
import type { RemoteEntryView } from '../../../../contract/files';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB"; bytes under 1 KiB stay whole. */
export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) { value /= 1024; unit += 1; }
  if (unit === 0) return `${bytes} B`;
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${UNITS[unit]}`;
}

export function humanSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${humanBytes(bytesPerSecond)}/s` : '—';
}

/** Seconds left in words: "12 s", "3 min 5 s", "1 h 20 min"; null → "—". */
export function humanEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export type SortKey = 'name' | 'size' | 'mtime';
export interface SortOrder { key: SortKey; descending: boolean }

/** Folders first (as in WinSCP and FileZilla), then by the column asked for; ties by name. */
export function sortEntries(entries: readonly RemoteEntryView[], order: SortOrder): RemoteEntryView[] {
  const byName = (a: RemoteEntryView, b: RemoteEntryView) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' });
  const compare = (a: RemoteEntryView, b: RemoteEntryView): number => {
    if (order.key === 'size') return a.size - b.size || byName(a, b);
    if (order.key === 'mtime') return a.mtime.localeCompare(b.mtime) || byName(a, b);
    return byName(a, b);
  };
  return [...entries].sort((a, b) => {
    const folderFirst = Number(b.type === 'dir') - Number(a.type === 'dir');
    if (folderFirst !== 0) return folderFirst;
    const c = compare(a, b);
    return order.descending ? -c : c;
  });
}

/** Entries whose shown name contains the text, any case. */
export function filterEntries(entries: readonly RemoteEntryView[], text: string): RemoteEntryView[] {
  const wanted = text.trim().toLowerCase();
  return wanted === '' ? [...entries] : entries.filter((e) => e.display.toLowerCase().includes(wanted));
}

/** "/var/log/ameyo" → "/var/log"; the root stays the root. */
export function parentPath(path: string): string {
  const parts = path.split('/').filter(Boolean);
  parts.pop();
  return `/${parts.join('/')}`;
}

/** "/var/log" → [{ label: '/', path: '/' }, { label: 'var', path: '/var' }, { label: 'log', path: '/var/log' }]. */
export function breadcrumb(path: string): { label: string; path: string }[] {
  const parts = path.split('/').filter(Boolean);
  return [{ label: '/', path: '/' }, ...parts.map((label, i) => ({ label, path: `/${parts.slice(0, i + 1).join('/')}` }))];
}

/** The site's rule in one line: "download only — /var/log/ameyo, /tmp/support". */
export function ruleText(files: FileTransferSetting): string {
  if (files.transfer === 'off') return 'off — the customer has not approved file transfer for this site';
  const where = files.folders.length > 0 ? files.folders.join(', ') : 'any folder the login may use';
  return `${FILE_TRANSFER_WORDS[files.transfer]} — ${where}`;
}

/**
 * Why the site's setting would refuse this action, or null when it would allow it. A preview for the
 * buttons' state and tooltips only: the core judges again, on the server's real path too.
 */
export function ruleRefusal(files: FileTransferSetting, direction: 'download' | 'upload', remotePath: string): string | null {
  if (files.transfer === 'off') return 'File transfer is off for this site.';
  if (direction === 'upload' && files.transfer !== 'both') return 'This site allows downloads only; uploads are refused.';
  const path = normaliseRemotePath(remotePath);
  if (!path.ok) return `${path.reason}.`;
  if (files.folders.length > 0 && !files.folders.some((folder) => isInsideFolder(path.path, folder))) {
    return `${path.path} is outside the folders this site allows (${files.folders.join(', ')}).`;
  }
  return null;
}

/** Where the panel opens: the site's first allowed folder, else the root. */
export function startPath(files: FileTransferSetting): string {
  return files.folders[0] ?? '/';
}

/** A permission string as `ls -l` shows it: 0o755 on a folder → "drwxr-xr-x". */
export function modeText(type: RemoteEntryView['type'], mode: number): string {
  const kind = type === 'dir' ? 'd' : type === 'symlink' ? 'l' : type === 'other' ? '?' : '-';
  const bits = 'rwxrwxrwx';
  return kind + [...bits].map((c, i) => (mode & (0o400 >> i) ? c : '-')).join('');
}

export interface Selection { paths: string[]; cursor: string | null }
export const NO_SELECTION: Selection = { paths: [], cursor: null };

/**
 * A click (or an arrow key) on `path` as in a file manager: alone it selects that row; with Ctrl (⌘)
 * it adds or removes it; with Shift it selects the rows from the cursor to it. `order` is the rows as
 * shown (sorted and filtered).
 */
export function selectRow(order: readonly string[], selection: Selection, path: string, modifiers: { toggle?: boolean; range?: boolean } = {}): Selection {
  if (modifiers.range && selection.cursor !== null && order.includes(selection.cursor)) {
    const from = order.indexOf(selection.cursor);
    const to = order.indexOf(path);
    const [start, end] = from <= to ? [from, to] : [to, from];
    return { paths: order.slice(start, end + 1), cursor: selection.cursor };
  }
  if (modifiers.toggle) {
    const paths = selection.paths.includes(path) ? selection.paths.filter((p) => p !== path) : [...selection.paths, path];
    return { paths, cursor: path };
  }
  return { paths: [path], cursor: path };
}

/**
 * Why the selected rows cannot be downloaded, or null. To this computer a folder comes whole (a new
 * local folder, file by file); into the ticket's evidence only files go, one hash each, so folders are
 * left out of that. Every row must be inside the allowed folders.
 */
export function downloadRefusal(files: FileTransferSetting, selected: readonly RemoteEntryView[], toEvidence = false): string | null {
  if (selected.length === 0) return 'Select a file or folder first (Ctrl+click or Shift+click for several).';
  const downloadable = toEvidence ? selected.filter((e) => e.type !== 'dir') : selected;
  if (downloadable.length === 0) return 'Evidence is kept file by file: open the folder and select its files.';
  for (const entry of downloadable) {
    const refusal = ruleRefusal(files, 'download', entry.path);
    if (refusal) return refusal;
  }
  return null;
}

/** "2 files and 1 folder", "1 folder", "3 files": what a Download button would fetch. */
export function selectionWords(selected: readonly RemoteEntryView[]): string {
  const folders = selected.filter((e) => e.type === 'dir').length;
  const files = selected.length - folders;
  const part = (n: number, one: string) => (n === 0 ? null : `${n} ${one}${n === 1 ? '' : 's'}`);
  return [part(files, 'file'), part(folders, 'folder')].filter(Boolean).join(' and ');
}

/**
 * Why a new remote folder cannot have this name, or null. The core decides the place (like an
 * upload); this only keeps a typo from reaching it.
 */
export function folderNameProblem(name: string, existing: readonly string[]): string | null {
  if (name.trim() === '') return 'Type a name for the folder.';
  if (name !== name.trim()) return 'A name that starts or ends with a space is easy to mistype later; remove the spaces.';
  if (name.includes('/')) return 'A folder name has no "/"; make one folder at a time.';
  if (name === '.' || name === '..') return '"." and ".." are not folder names.';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A folder name has no control characters.';
  if (new TextEncoder().encode(name).length > 255) return 'A folder name is at most 255 bytes.';
  if (existing.includes(name)) return `${name} already exists here.`;
  return null;
}
