import type { TransferView } from '../../../../contract/files';
import { api } from '../../api/transport';
import type { LocalFolder } from './local-folder';
import { uploadFile } from './upload-file';

/** How a folder upload ended; `refused`: the site's rule said no to the folder itself, before anything was made. */
export type FolderUploadEnd = { state: 'complete' | 'stopped' | 'cancelled' | 'refused' | 'failed'; reason: string | null };

export interface FolderUploadHooks {
  /** Each file's transfer as it begins (the transfers list shows it at once). */
  onBegun(transfer: TransferView): void;
  /** A file arrived whole: its size counts as done. */
  onFileDone(transfer: TransferView, size: number): void;
  cancelled(): boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The transfer once the core has ended it (the last chunk sent is not yet the file written, hashed and recorded). */
async function settled(sessionId: string, transferId: string): Promise<TransferView> {
  for (let wait = 40; ; wait = Math.min(400, wait * 2)) {
    const found = (await api['files.transfers']({ sessionId })).find((t) => t.transferId === transferId);
    if (!found) throw new Error('the transfer is no longer known to the core (the session may have ended)');
    if (found.state !== 'running') return found;
    await pause(wait);
  }
}

/**
 * A folder from this computer into `remoteParent/<its name>`, as `files put -r` does it: the folder
 * must not exist there yet (an existing one is never merged into — the core says so), each folder is
 * made with `files.makeFolder` and each file sent through the ordinary per-file upload, so the site's
 * rule is decided for every one of them and each is its own recorded, hashed transfer. Stops at the
 * first refusal or failure, and says where.
 */
export async function uploadFolder(sessionId: string, remoteParent: string, top: LocalFolder, hooks: FolderUploadHooks): Promise<FolderUploadEnd> {
  const walk = async (folder: LocalFolder, parent: string, isTop: boolean): Promise<FolderUploadEnd | null> => {
    const made = await api['files.makeFolder']({ sessionId, remoteDir: parent, name: folder.name });
    if (!made.created) {
      const refusal = made.refusal;
      const refused = refusal?.state === 'refused';
      const why = refusal?.reason ?? 'the server did not make it.';
      if (isTop) return { state: refused ? 'refused' : 'failed', reason: why };
      return { state: 'stopped', reason: `Stopped at the folder ${refusal?.remoteDisplay ?? folder.name}, ${refused ? 'refused' : 'not made'}: ${why}` };
    }
    for (const entry of folder.entries) {
      if (hooks.cancelled()) return { state: 'cancelled', reason: 'Cancelled by the engineer; the files sent so far stay on the server.' };
      if (entry.kind === 'folder') {
        const ended = await walk(entry.folder, made.path, false);
        if (ended) return ended;
        continue;
      }
      const begun = await uploadFile(sessionId, made.path, entry.file, false, hooks.onBegun);
      const end = begun.state === 'running' ? await settled(sessionId, begun.transferId) : begun;
      hooks.onBegun(end);
      if (end.state === 'complete') {
        hooks.onFileDone(end, entry.file.size);
        continue;
      }
      if (end.state === 'cancelled') return { state: 'cancelled', reason: 'Cancelled by the engineer; the files sent so far stay on the server.' };
      return { state: 'stopped', reason: `Stopped at ${end.remoteDisplay}, ${end.state}: ${end.reason ?? 'no reason given'}` };
    }
    return null;
  };
  try {
    return (await walk(top, remoteParent, true)) ?? { state: 'complete', reason: null };
  } catch (error) {
    return { state: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}
