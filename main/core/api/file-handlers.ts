import type { ApiHandlers } from '../../../contract/api';
import { ApiError } from '../../../contract/errors';
import type { FileTransfers } from '../files/file-transfers';
import type { TerminalSessions } from '../sessions/terminal-sessions';

type FileMethods = 'files.list' | 'files.download' | 'files.upload' | 'files.uploadChunk' | 'files.cancel' | 'files.transfers';

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
    'files.cancel': ({ transferId }) => files.cancel(transferId),
    'files.transfers': ({ sessionId }) => files.transfers(sessionId),
  };
}
