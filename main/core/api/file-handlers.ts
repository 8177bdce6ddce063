import type { ApiHandlers } from '../../../contract/api';
import { ApiError } from '../../../contract/errors';
import type { FileTransfers } from '../files/file-transfers';
import { downloadFolder } from '../files/folder-transfers';
import { createLogger } from '../logger';

const log = createLogger('files');
import type { TerminalSessions } from '../sessions/terminal-sessions';

type FileMethods = 'files.list' | 'files.download' | 'files.upload' | 'files.uploadChunk' | 'files.downloadFolder' | 'files.makeFolder' | 'files.cancel' | 'files.transfers';

export interface FileDeps { terminals: TerminalSessions; files: FileTransfers }

/** The Files panel beside a live SSH terminal: SFTP on that terminal's connection, its transfers events of that session. */
export function createFileHandlers({ terminals, files }: FileDeps): Pick<ApiHandlers, FileMethods> {
  const session = (sessionId: string) => {
    const live = terminals.sshSession(sessionId);
    if (!live) throw new ApiError('CONFLICT', 'This terminal is still connecting; its files can be browsed once it is connected.');
    return live;
  };
  return {
    'files.list': ({ sessionId, path }) => files.list(session(sessionId), path),
    'files.download': async ({ sessionId, remotePath, toEvidence, localDir }) => (await files.download(session(sessionId), { remotePath, toEvidence, localDir })).view(),
    'files.upload': async ({ sessionId, remoteDir, name, size, overwrite }) => (await files.upload(session(sessionId), { remoteDir, name, size, overwrite })).view(),
    'files.uploadChunk': ({ transferId, offset, data }) => files.uploadChunk(transferId, offset, Buffer.from(data, 'base64')),
    'files.downloadFolder': ({ sessionId, remotePath, localDir }) => {
      const live = session(sessionId);
      // Returns once the local folder is made; the files follow one by one as transfers of the session.
      return new Promise((resolve, reject) => {
        downloadFolder(files, live, remotePath, files.downloadsDirFor(localDir), { onLocalRoot: (root) => resolve({ sessionId, remotePath, localDir: root }) })
          .then(() => reject(new ApiError('INTERNAL', 'The folder download ended before its folder was made.')), (error: unknown) => {
            reject(error);
            log.info(`folder download of ${remotePath} over ${sessionId} stopped: ${(error as Error).message}`);
          });
      });
    },
    'files.makeFolder': async ({ sessionId, remoteDir, name }) => {
      const path = `${remoteDir.replace(/\/+$/, '')}/${name}`;
      const refusal = await files.makeRemoteFolder(session(sessionId), path);
      return { created: refusal === null, path, refusal };
    },
    'files.cancel': ({ transferId }) => files.cancel(transferId),
    'files.transfers': ({ sessionId }) => files.transfers(sessionId),
  };
}
