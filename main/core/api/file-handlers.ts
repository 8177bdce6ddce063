import type { ApiHandlers } from '../../../contract/api';
import { ApiError } from '../../../contract/errors';
import type { FileTransfers } from '../files/file-transfers';
import { FolderDownloads } from '../files/folder-downloads';
import type { TerminalSessions } from '../sessions/terminal-sessions';

type FileMethods = 'files.list' | 'files.download' | 'files.upload' | 'files.uploadChunk' | 'files.downloadFolder' | 'files.makeFolder' | 'files.cancel' | 'files.transfers'
  | 'files.folderDownloads' | 'files.cancelFolder';

export interface FileDeps { terminals: TerminalSessions; files: FileTransfers }

/** The Files panel beside a live SSH terminal: SFTP on that terminal's connection, its transfers events of that session. */
export function createFileHandlers({ terminals, files }: FileDeps): Pick<ApiHandlers, FileMethods> {
  const session = (sessionId: string) => {
    const live = terminals.sshSession(sessionId);
    if (!live) throw new ApiError('CONFLICT', 'This terminal is still connecting; its files can be browsed once it is connected.');
    return live;
  };
  const folders = new FolderDownloads(files);
  return {
    'files.list': ({ sessionId, path }) => files.list(session(sessionId), path),
    'files.download': async ({ sessionId, remotePath, toEvidence, localDir }) => (await files.download(session(sessionId), { remotePath, toEvidence, localDir })).view(),
    'files.upload': async ({ sessionId, remoteDir, name, size, overwrite }) => (await files.upload(session(sessionId), { remoteDir, name, size, overwrite })).view(),
    'files.uploadChunk': ({ transferId, offset, data }) => files.uploadChunk(transferId, offset, Buffer.from(data, 'base64')),
    // Returns once the local folder is made; the files follow one by one as transfers of the session.
    'files.downloadFolder': ({ sessionId, remotePath, localDir }) => folders.start(session(sessionId), remotePath, files.downloadsDirFor(localDir)),
    'files.makeFolder': async ({ sessionId, remoteDir, name }) => {
      const path = `${remoteDir.replace(/\/+$/, '')}/${name}`;
      const refusal = await files.makeRemoteFolder(session(sessionId), path);
      return { created: refusal === null, path, refusal };
    },
    'files.cancel': ({ transferId }) => files.cancel(transferId),
    'files.transfers': ({ sessionId }) => files.transfers(sessionId),
    'files.folderDownloads': async ({ sessionId }) => folders.list(sessionId),
    'files.cancelFolder': async ({ folderId }) => folders.cancel(folderId),
  };
}
