import { useCallback, useEffect, useRef, useState } from 'react';
import type { FolderDownloadState, RemoteEntryView, TransferView } from '../../../../contract/files';
import { api } from '../../api/transport';
import { errorMessage } from '../../lib/validation';
import { countFolder, type LocalFolder } from './local-folder';
import { uploadFolder, type FolderUploadEnd } from './upload-folder';

/** A folder going either way, as the panel shows it: what, where, how far, how it ended and why. */
export interface FolderJob {
  key: string;
  direction: 'download' | 'upload';
  /** The folder's name as shown (escaped by the core for a remote one). */
  name: string;
  /** Where it goes: the local folder made for a download, the remote folder for an upload. */
  to: string;
  state: FolderDownloadState | FolderUploadEnd['state'];
  /** Totals; null while the remote folder is still being counted (or too big to count). */
  files: number | null;
  bytes: number | null;
  filesDone: number;
  bytesDone: number;
  /** The file on its way (its bytes count in `bytesDone` as they come). */
  currentId: string | null;
  skipped: { path: string; why: string }[];
  reason: string | null;
  folderId: string | null;
}

const POLL_MS = 700;
/** A remote folder with more entries than this is not counted ahead: its totals show as unknown. */
const COUNT_LIMIT = 20_000;

/** Files and bytes under a remote folder (links and special files are skipped by the download, so not counted). */
async function countRemote(sessionId: string, path: string): Promise<{ files: number; bytes: number } | null> {
  const total = { files: 0, bytes: 0 };
  let seen = 0;
  const queue = [path];
  while (queue.length > 0) {
    const listing = await api['files.list']({ sessionId, path: queue.shift()! });
    seen += listing.entries.length;
    if (seen > COUNT_LIMIT) return null;
    for (const entry of listing.entries) {
      if (entry.type === 'dir') queue.push(entry.path);
      else if (entry.type === 'file') {
        total.files += 1;
        total.bytes += entry.size;
      }
    }
  }
  return total;
}

let nextKey = 0;

/**
 * The panel's folder transfers. A download runs in the core (`files.downloadFolder`, watched with
 * `files.folderDownloads`); an upload is walked here, folder by folder and file by file through the
 * same calls a single upload uses. Each file is decided by the site's rule and recorded on its own.
 */
export function useFolderTransfers({ sessionId, connected, onTransfer, onUploaded }: {
  sessionId: string;
  connected: boolean;
  /** A transfer begun or ended here: shown in the transfers list at once. */
  onTransfer: (transfer: TransferView) => void;
  /** An upload ended (whatever its end): the folder listing may have changed. */
  onUploaded: () => void;
}) {
  const [jobs, setJobs] = useState<FolderJob[]>([]);
  const cancelledUploads = useRef(new Set<string>());
  const patch = useCallback((key: string, change: Partial<FolderJob> | ((job: FolderJob) => Partial<FolderJob>)) => {
    setJobs((all) => all.map((job) => (job.key === key ? { ...job, ...(typeof change === 'function' ? change(job) : change) } : job)));
  }, []);

  const downloadsRunning = jobs.some((j) => j.direction === 'download' && j.state === 'running');
  useEffect(() => {
    if (!connected || !downloadsRunning) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const views = await api['files.folderDownloads']({ sessionId });
        if (stopped) return;
        setJobs((all) => all.map((job) => {
          const view = views.find((v) => v.folderId === job.folderId);
          if (!view) return job;
          return { ...job, state: view.state, filesDone: view.filesDone, bytesDone: view.bytesDone, currentId: view.state === 'running' ? view.transferIds.at(-1) ?? null : null, skipped: view.skipped, reason: view.reason };
        }));
      } catch {
        // The session ended; the terminal says so.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => { stopped = true; clearTimeout(timer); };
  }, [connected, downloadsRunning, sessionId]);

  const downloadFolder = useCallback(async (entry: RemoteEntryView) => {
    const key = `folder-${nextKey++}`;
    setJobs((all) => [...all, {
      key, direction: 'download', name: entry.display, to: '', state: 'running', files: null, bytes: null, filesDone: 0, bytesDone: 0,
      currentId: null, skipped: [], reason: null, folderId: null,
    }]);
    try {
      const begun = await api['files.downloadFolder']({ sessionId, remotePath: entry.path });
      patch(key, { folderId: begun.folderId, to: begun.localDir });
      countRemote(sessionId, entry.path).then((total) => patch(key, { files: total?.files ?? null, bytes: total?.bytes ?? null }), () => undefined);
    } catch (e) {
      patch(key, { state: 'failed', reason: errorMessage(e) });
    }
  }, [sessionId, patch]);

  const uploadFolders = useCallback(async (folders: readonly LocalFolder[], remoteParent: string) => {
    for (const folder of folders) {
      const key = `folder-${nextKey++}`;
      const total = countFolder(folder);
      const to = `${remoteParent.replace(/\/+$/, '')}/${folder.name}`;
      setJobs((all) => [...all, {
        key, direction: 'upload', name: folder.name, to, state: 'running', files: total.files, bytes: total.bytes, filesDone: 0, bytesDone: 0,
        currentId: null, skipped: [], reason: null, folderId: null,
      }]);
      const end = await uploadFolder(sessionId, remoteParent, folder, {
        onBegun: (t) => { onTransfer(t); if (t.state === 'running') patch(key, { currentId: t.transferId }); },
        onFileDone: (_t, size) => patch(key, (job) => ({ filesDone: job.filesDone + 1, bytesDone: job.bytesDone + size, currentId: null })),
        cancelled: () => cancelledUploads.current.has(key),
      });
      patch(key, { state: end.state, reason: end.reason, currentId: null });
      onUploaded();
    }
  }, [sessionId, patch, onTransfer, onUploaded]);

  const cancel = useCallback(async (job: FolderJob) => {
    if (job.direction === 'download' && job.folderId) {
      const view = await api['files.cancelFolder']({ folderId: job.folderId });
      patch(job.key, { state: view.state });
      return;
    }
    cancelledUploads.current.add(job.key);
    if (job.currentId) await api['files.cancel']({ transferId: job.currentId });
  }, [patch]);

  const forget = useCallback((job: FolderJob) => setJobs((all) => all.filter((j) => j.key !== job.key)), []);

  return { jobs, downloadFolder, uploadFolders, cancel, forget };
}
