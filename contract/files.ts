/**
 * The Files panel's calls (SFTP beside a live SSH terminal, on the same connection): browse a folder,
 * download and upload with progress, cancel. Every transfer is decided by the site's file-transfer
 * setting before a byte moves and is an event ('transfer') of its SSH session.
 */
import { z } from 'zod';

const sessionId = z.string().uuid('not a session id');
/** A remote path as typed or clicked; the core normalises it and the policy judges it (contract/domain/file-transfer.ts). */
const remotePath = z.string().min(1, 'a remote path is required').max(4096, 'a remote path is at most 4096 characters');
/** A plain file name: no folder part, no NUL, not `.` or `..`. */
export const fileName = z.string().min(1, 'a file name is required').max(255, 'a file name is at most 255 bytes')
  .refine((name) => !/[/\u0000]/.test(name) && name !== '.' && name !== '..', 'a file name has no "/" and is not "." or ".."');

/** One upload chunk, base64: at most 1 MiB of file a call, so a slow link never holds a big message. */
export const MAX_UPLOAD_CHUNK = 1024 * 1024;

export const fileInputs = {
  list: z.strictObject({ sessionId, path: remotePath }),
  download: z.strictObject({
    sessionId, remotePath,
    /** Into the ticket's evidence (content-addressed, hash checked on every open) instead of a local folder. */
    toEvidence: z.boolean().optional(),
    /** Where on this computer; default the Downloads folder. An existing file is never overwritten. */
    localDir: z.string().min(1).max(4096).optional(),
  }),
  /**
   * Begins an upload of `size` bytes to `remoteDir/name`; the bytes follow with `files.uploadChunk`, in
   * order. An existing remote file is refused unless `overwrite`.
   */
  upload: z.strictObject({
    sessionId, remoteDir: remotePath, name: fileName,
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    overwrite: z.boolean().optional(),
  }),
  uploadChunk: z.strictObject({
    transferId: z.string().uuid('not a transfer id'),
    /** Where in the file this chunk starts: the bytes received so far (a resent or skipped chunk is refused). */
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    data: z.string().max(Math.ceil(MAX_UPLOAD_CHUNK / 3) * 4 + 4, 'a chunk is at most 1 MiB'),
  }),
  /** A remote folder, recursively, into a new local folder of its name in `localDir` (default Downloads); each file a transfer of its own. */
  downloadFolder: z.strictObject({ sessionId, remotePath, localDir: z.string().min(1).max(4096).optional() }),
  /** A new remote folder `remoteDir/name` (decided like an upload), for a folder the window uploads file by file. */
  makeFolder: z.strictObject({ sessionId, remoteDir: remotePath, name: fileName }),
  cancel: z.strictObject({ transferId: z.string().uuid('not a transfer id') }),
  transfers: z.strictObject({ sessionId }),
  /** A session's folder downloads, running and finished (the window's progress and summary). */
  folderDownloads: z.strictObject({ sessionId }),
  /** Stops a folder download: its running file is cancelled and no further file is begun. */
  cancelFolder: z.strictObject({ folderId: z.string().uuid('not a folder download id') }),
};

/**
 * `running` → one of the others, once. `complete`: every file came (links and special files skipped);
 * `stopped`: a file was refused or failed, and the walk stopped there (as `files get -r` does);
 * `cancelled` by the engineer; `failed`: the folder could not be read on the way.
 */
export type FolderDownloadState = 'running' | 'complete' | 'stopped' | 'cancelled' | 'failed';

/** A folder download: where it goes; its files appear in `files.transfers` as they start (`transferIds`, in order). */
export interface FolderDownloadView {
  folderId: string;
  sessionId: string;
  remotePath: string;
  /** The same, control characters escaped. */
  remoteDisplay: string;
  /** The local folder made for it (a free name: never merged into an existing folder). */
  localDir: string;
  state: FolderDownloadState;
  transferIds: string[];
  /** Files that came whole so far, and the bytes of all its files so far (the running one's too). */
  filesDone: number;
  bytesDone: number;
  /** Entries left out (links are not followed, special files not read), escaped, with why. */
  skipped: { path: string; why: string }[];
  /** Why it stopped or failed, in words; null while running or when complete. */
  reason: string | null;
  startedAt: string;
  endedAt: string | null;
}

/** `created`: the folder was made at `path`; otherwise `refusal` says why not (refused or failed, recorded). */
export interface MakeFolderView { created: boolean; path: string; refusal: TransferView | null }

export type RemoteEntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface RemoteEntryView {
  /** The name as the server sent it (UTF-8). */
  name: string;
  /** The same, control characters escaped: what a person is shown. */
  display: string;
  path: string;
  type: RemoteEntryType;
  size: number;
  /** Modification time, ISO. */
  mtime: string;
  /** Permission bits (0o7777). */
  mode: number;
  /** For a symlink: where it points (escaped), null when unreadable. Not followed by the listing. */
  linkTarget?: string | null;
}

export interface RemoteListingView { sessionId: string; path: string; entries: RemoteEntryView[] }

export type TransferDirection = 'download' | 'upload';
/** `running` → one of the others, once. `refused`: the site's setting said no before any byte moved. */
export type TransferState = 'running' | 'complete' | 'cancelled' | 'failed' | 'refused';

export interface TransferView {
  transferId: string;
  sessionId: string;
  direction: TransferDirection;
  /** As asked (normalised); `remoteDisplay` is the same escaped for showing. */
  remotePath: string;
  remoteDisplay: string;
  /** The local file's name (a download never overwrites: it may be "name (1).log"), or the uploaded file's. */
  localName: string;
  /** Where the download was written, or null (evidence, uploads). */
  localPath: string | null;
  toEvidence: boolean;
  bytes: number;
  total: number;
  /** Bytes per second over the last few seconds. */
  speed: number;
  /** Seconds left at that speed; null when unknown. */
  eta: number | null;
  state: TransferState;
  /** Why it was refused or failed, or a note (a free name picked). */
  reason: string | null;
  sha256: string | null;
  /** A download to evidence that may end the ticket's wait for debug data, once the engineer confirms (tickets end-rca-wait). */
  rcaWaitCanEnd?: boolean;
  /** A resumed download: where it took up the bytes kept from before. */
  resumedFrom: number | null;
  startedAt: string;
  endedAt: string | null;
}
