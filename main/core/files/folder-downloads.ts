import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../contract/errors';
import type { FolderDownloadView, TransferView } from '../../../contract/files';
import type { SshSession } from '../sessions/ssh-session';
import type { FileTransfers } from './file-transfers';
import { downloadFolder } from './folder-transfers';
import { escapeName } from './transfer-policy';

/** Finished folder downloads kept per session for the window, newest last. */
const KEPT_PER_SESSION = 20;

interface Job { view: FolderDownloadView; abort: AbortController; files: (() => TransferView)[] }

/**
 * The window's folder downloads: each runs `downloadFolder` (every file its own decided, hashed,
 * recorded transfer) in the background and is watched here — which transfers are its files, what it
 * skipped, how it ended — and can be cancelled as a whole (the file running is cancelled, no further
 * file is begun). The CLI's `files get -r` runs the same walk in the foreground.
 */
export class FolderDownloads {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly files: FileTransfers) {}

  /** Resolves once the local folder is made (or rejects when it is not: a path that is no folder, transfer off). */
  start(session: SshSession, remotePath: string, localParent: string): Promise<FolderDownloadView> {
    const job: Job = {
      abort: new AbortController(),
      files: [],
      view: {
        folderId: randomUUID(), sessionId: session.sessionId, remotePath, remoteDisplay: escapeName(remotePath), localDir: '', state: 'running',
        transferIds: [], filesDone: 0, bytesDone: 0, skipped: [], reason: null, startedAt: new Date().toISOString(), endedAt: null,
      },
    };
    return new Promise((resolve, reject) => {
      const walk = downloadFolder(this.files, session, remotePath, localParent, {
        signal: job.abort.signal,
        onLocalRoot: (root) => {
          job.view.localDir = root;
          this.jobs.set(job.view.folderId, job);
          this.prune(session.sessionId);
          resolve(this.viewOf(job));
        },
        onTransfer: (view) => { job.files.push(view); job.view.transferIds.push(view().transferId); },
      });
      walk.then(
        (result) => {
          job.view.skipped = result.skipped;
          const last = result.transfers.at(-1);
          if (job.abort.signal.aborted) this.end(job, 'cancelled', 'Cancelled by the engineer; the files that came stay in the folder.');
          else if (last && last.state !== 'complete') this.end(job, 'stopped', stoppedBecause(last));
          else this.end(job, 'complete', null);
        },
        (error: unknown) => {
          if (!this.jobs.has(job.view.folderId)) reject(error);
          else this.end(job, 'failed', error instanceof Error ? error.message : String(error));
        },
      );
    });
  }

  cancel(folderId: string): FolderDownloadView {
    const job = this.jobs.get(folderId);
    if (!job) throw new ApiError('NOT_FOUND', `There is no folder download ${folderId}; it may have ended with its session.`);
    job.abort.abort();
    // The walk cancels the file it waits for; this also catches one begun just as the abort came.
    for (const id of job.view.transferIds) void this.files.cancel(id).catch(() => undefined);
    return this.viewOf(job);
  }

  /** A session's folder downloads, oldest first. */
  list(sessionId: string): FolderDownloadView[] {
    return [...this.jobs.values()].filter((j) => j.view.sessionId === sessionId).map((j) => this.viewOf(j));
  }

  private end(job: Job, state: FolderDownloadView['state'], reason: string | null): void {
    Object.assign(job.view, { state, reason, endedAt: new Date().toISOString() });
  }

  /** Counted here, not by the window: a big folder's early files may have left `files.transfers` already. */
  private viewOf(job: Job): FolderDownloadView {
    const views = job.files.map((view) => view());
    const filesDone = views.filter((v) => v.state === 'complete').length;
    const bytesDone = views.reduce((sum, v) => sum + v.bytes, 0);
    return { ...job.view, transferIds: [...job.view.transferIds], filesDone, bytesDone, skipped: [...job.view.skipped] };
  }

  private prune(sessionId: string): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.sessionId === sessionId && j.view.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEPT_PER_SESSION))) this.jobs.delete(old.view.folderId);
  }
}

/** "Stopped at acd.log, refused: …" — the file the walk stopped at and why, in words. */
function stoppedBecause(transfer: TransferView): string {
  const why = transfer.reason ? `: ${transfer.reason}` : '';
  return `Stopped at ${transfer.remoteDisplay}, ${transfer.state}${why}`;
}
