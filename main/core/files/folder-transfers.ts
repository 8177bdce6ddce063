import fs from 'node:fs';
import path from 'node:path';
import type { RemoteListingView, TransferView } from '../../../contract/files';
import type { SshSession } from '../sessions/ssh-session';
import type { FileTransfers, Transfer } from './file-transfers';
import { freeLocalName, localSafeName } from './local-names';
import { localFileChunks } from './local-file-source';

/** What a folder transfer did: each file's transfer, and what it left out (symlinks, special files) and why. */
export interface FolderTransferResult { transfers: TransferView[]; skipped: { path: string; why: string }[] }

export interface FolderHooks {
  /** Each file's transfer as it starts (progress for the CLI). */
  onTransfer?(view: () => TransferView): void;
  /** The local folder made for a download, as soon as it is made (the window is told where it goes). */
  onLocalRoot?(root: string): void;
  signal?: AbortSignal;
}

/** One file of a folder transfer: reported, cancelled with the folder, kept in the result; true if it completed. */
async function followTransfer(files: FileTransfers, transfer: Transfer, hooks: FolderHooks, result: FolderTransferResult): Promise<boolean> {
  hooks.onTransfer?.(() => transfer.view());
  const cancel = (): void => void files.cancel(transfer.id).catch(() => undefined);
  hooks.signal?.addEventListener('abort', cancel, { once: true });
  const view = await transfer.done;
  hooks.signal?.removeEventListener('abort', cancel);
  result.transfers.push(view);
  return view.state === 'complete';
}

/**
 * A remote folder, recursively, into a new local folder of its name (a free one: never merged into an
 * existing folder). Every file is its own transfer — decided, hashed and recorded like a single
 * download; symlinks are not followed (listed as skipped), so a link cannot lead the walk out of an
 * allowed folder. Stops at the first refusal or failure.
 */
export async function downloadFolder(files: FileTransfers, session: SshSession, remoteDir: string, localParent: string, hooks: FolderHooks = {}): Promise<FolderTransferResult> {
  const result: FolderTransferResult = { transfers: [], skipped: [] };
  // Listed before anything is made here: a path that is no folder, or a site with transfer off, leaves nothing behind.
  const top = await files.list(session, remoteDir);
  const root = path.join(localParent, freeLocalName(localParent, localSafeName(remoteDir.split('/').filter(Boolean).at(-1) ?? 'root')));
  fs.mkdirSync(root, { mode: 0o700 });
  hooks.onLocalRoot?.(root);
  const walk = async (remote: string, local: string, listed?: RemoteListingView): Promise<boolean> => {
    const listing = listed ?? await files.list(session, remote);
    for (const entry of listing.entries) {
      if (hooks.signal?.aborted) return false;
      if (entry.type === 'dir') {
        const sub = path.join(local, localSafeName(entry.name));
        fs.mkdirSync(sub, { mode: 0o700 });
        if (!(await walk(entry.path, sub))) return false;
      } else if (entry.type === 'file') {
        const transfer = await files.download(session, { remotePath: entry.path, localDir: local });
        if (!(await followTransfer(files, transfer, hooks, result))) return false;
      } else {
        result.skipped.push({ path: entry.display, why: entry.type === 'symlink' ? 'a symbolic link (not followed)' : 'not a regular file' });
      }
    }
    return true;
  };
  await walk(top.path, root, top);
  return result;
}

/**
 * A local folder, recursively, into `remoteParent/<its name>`, which must not exist yet. Folders are
 * made with `files.makeRemoteFolder` (decided like an upload), files uploaded one by one; local
 * symlinks and special files are skipped. Stops at the first refusal or failure.
 */
export async function uploadFolder(files: FileTransfers, session: SshSession, localDir: string, remoteParent: string, hooks: FolderHooks = {}): Promise<FolderTransferResult> {
  const result: FolderTransferResult = { transfers: [], skipped: [] };
  const walk = async (local: string, remote: string): Promise<boolean> => {
    const made = await files.makeRemoteFolder(session, remote);
    if (made) {
      result.transfers.push(made);
      return false;
    }
    for (const entry of fs.readdirSync(local, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (hooks.signal?.aborted) return false;
      const full = path.join(local, entry.name);
      if (entry.isDirectory()) {
        if (!(await walk(full, `${remote}/${entry.name}`))) return false;
      } else if (entry.isFile()) {
        const size = fs.statSync(full).size;
        const source = localFileChunks(full);
        const transfer = await files.upload(session, { remoteDir: remote, name: entry.name, size, source });
        if (!(await followTransfer(files, transfer, hooks, result))) return false;
      } else {
        result.skipped.push({ path: full, why: entry.isSymbolicLink() ? 'a symbolic link (not followed)' : 'not a regular file' });
      }
    }
    return true;
  };
  const base = path.basename(path.resolve(localDir));
  await walk(localDir, `${remoteParent.replace(/\/+$/, '')}/${base}`);
  return result;
}
