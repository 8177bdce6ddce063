/**
 * A folder from this computer as the window gets it — dropped (Chromium's entries API:
 * `DataTransferItem.webkitGetAsEntry()`) or picked (`<input webkitdirectory>`, each File with its
 * `webkitRelativePath`) — made into one tree, so the upload walks it the same way either way.
 */

export interface LocalFolder {
  name: string;
  /** Sub-folders and files together, by name: the order they are made and sent in (as `files put -r`). */
  entries: LocalEntry[];
}
export type LocalEntry = { kind: 'folder'; folder: LocalFolder } | { kind: 'file'; name: string; file: File };

/** The few members of the entries API used here, so a test can hand in its own tree. */
export interface FileEntryLike { isFile: boolean; isDirectory: boolean; name: string; file?: (ok: (file: File) => void, fail: (error: unknown) => void) => void; createReader?: () => DirectoryReaderLike }
export interface DirectoryReaderLike { readEntries(ok: (entries: FileEntryLike[]) => void, fail: (error: unknown) => void): void }

const byName = (a: LocalEntry, b: LocalEntry) => nameOf(a).localeCompare(nameOf(b));
const nameOf = (entry: LocalEntry) => (entry.kind === 'folder' ? entry.folder.name : entry.name);

export function countFolder(folder: LocalFolder): { files: number; bytes: number; folders: number } {
  const total = { files: 0, bytes: 0, folders: 1 };
  for (const entry of folder.entries) {
    if (entry.kind === 'file') {
      total.files += 1;
      total.bytes += entry.file.size;
    } else {
      const inner = countFolder(entry.folder);
      total.files += inner.files;
      total.bytes += inner.bytes;
      total.folders += inner.folders;
    }
  }
  return total;
}

/** A dropped folder, read whole. A reader hands entries out in batches (100 in Chromium) until an empty one. */
export async function folderFromEntry(entry: FileEntryLike): Promise<LocalFolder> {
  const folder: LocalFolder = { name: entry.name, entries: [] };
  const reader = entry.createReader!();
  for (;;) {
    const batch = await new Promise<FileEntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) {
      if (child.isDirectory) folder.entries.push({ kind: 'folder', folder: await folderFromEntry(child) });
      else if (child.isFile) folder.entries.push({ kind: 'file', name: child.name, file: await new Promise<File>((resolve, reject) => child.file!(resolve, reject)) });
    }
  }
  folder.entries.sort(byName);
  return folder;
}

/**
 * Files that carry the folder they came from in `webkitRelativePath` ("conf/sub/a.txt") into one
 * tree per top folder. Files without a folder part are left for the plain upload.
 */
export function foldersFromRelativePaths(files: readonly File[]): { folders: LocalFolder[]; loose: File[] } {
  const tops = new Map<string, LocalFolder>();
  const loose: File[] = [];
  for (const file of files) {
    const parts = (file.webkitRelativePath || '').split('/').filter(Boolean);
    if (parts.length < 2) {
      loose.push(file);
      continue;
    }
    let folder: LocalFolder = tops.get(parts[0]!) ?? { name: parts[0]!, entries: [] };
    tops.set(parts[0]!, folder);
    for (const part of parts.slice(1, -1)) {
      const found = folder.entries.find((e) => e.kind === 'folder' && e.folder.name === part);
      let sub: LocalFolder;
      if (found?.kind === 'folder') sub = found.folder;
      else folder.entries.push({ kind: 'folder', folder: (sub = { name: part, entries: [] }) });
      folder = sub;
    }
    folder.entries.push({ kind: 'file', name: parts.at(-1)!, file });
  }
  const sortAll = (folder: LocalFolder) => {
    folder.entries.sort(byName);
    for (const e of folder.entries) if (e.kind === 'folder') sortAll(e.folder);
  };
  for (const folder of tops.values()) sortAll(folder);
  return { folders: [...tops.values()], loose };
}

/**
 * What was dropped: folders (read through the entries API while the drop event lasts — the items are
 * gone after it) and loose files. A drop whose files carry relative paths (some file managers, and
 * the folder picker's files passed on) is read from those.
 */
export async function readDrop(data: DataTransfer): Promise<{ folders: LocalFolder[]; loose: File[] }> {
  const items = Array.from(data.items).filter((item) => item.kind === 'file');
  const entries = items.map((item) => item.webkitGetAsEntry?.() ?? null);
  const files = Array.from(data.files);
  if (entries.some((e) => e?.isDirectory)) {
    const folders: Promise<LocalFolder>[] = [];
    const loose: File[] = [];
    entries.forEach((entry, i) => {
      if (entry?.isDirectory) folders.push(folderFromEntry(entry as unknown as FileEntryLike));
      else if (files[i]) loose.push(files[i]);
    });
    return { folders: await Promise.all(folders), loose };
  }
  return foldersFromRelativePaths(files);
}
