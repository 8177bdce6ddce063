import path from 'node:path';
import type { ApiHandlers } from '../../../contract/api';
import { ApiError } from '../../../contract/errors';
import { checkExternalUrl, type ExternalOpener } from '../launchers/external-opener';
import { recordingsDir } from '../paths';
import type { SessionLogService } from '../services';
import type { TerminalSessions } from '../sessions/terminal-sessions';
import { hashRecordingFile, readAsciicast } from '../ssh/recording';

type TerminalMethods = 'terminals.open' | 'terminals.answerHostKey' | 'terminals.answerPrompt' | 'terminals.close' | 'terminals.list' | 'log.recording' | 'links.open';

export interface TerminalDeps { terminals: TerminalSessions; services: { sessionLog: SessionLogService }; dataDir: string; opener: ExternalOpener }

/**
 * A link clicked in a terminal or a rendered note: only plain https, then the launchers' own checks (normalised form,
 * printable ASCII, no user name, password or port). Terminal output is untrusted, so nothing else
 * (javascript:, file:, the deep-link schemes the launchers build themselves) is handed to the system.
 */
export function checkTerminalLink(url: string): string {
  if (!/^https:\/\//.test(url)) {
    throw new ApiError('INVALID_INPUT', `refusing to open ${JSON.stringify(url.slice(0, 80))}: only https:// links are opened`);
  }
  return checkExternalUrl(url);
}

/** The window's SSH terminals (their bytes travel on a stream of their own), and recordings for replay. */
export function createTerminalHandlers({ terminals, services, dataDir, opener }: TerminalDeps): Pick<ApiHandlers, TerminalMethods> {
  return {
    'terminals.open': (request) => terminals.open(request),
    'terminals.answerHostKey': ({ sessionId, accept }) => (terminals.answerHostKey(sessionId, accept), { answered: true }),
    'terminals.answerPrompt': ({ sessionId, answers }) => (terminals.answerPrompt(sessionId, answers), { answered: true }),
    'terminals.close': ({ sessionId }) => terminals.close(sessionId),
    'terminals.list': () => terminals.list(),
    'links.open': async ({ url }) => {
      await opener.open(checkTerminalLink(url));
      return { opened: true };
    },
    'log.recording': async ({ sessionId }) => {
      const { record } = await services.sessionLog.get(sessionId);
      const { recording, recordingSha256 } = record.detail;
      if (typeof recording !== 'string') throw new ApiError('NOT_FOUND', `Session ${sessionId} has no recording.`);
      // The path comes from the log; still, only ever read inside this data dir's recordings folder.
      const folder = recordingsDir(path.resolve(dataDir)) + path.sep;
      const file = path.resolve(recording);
      if (!file.startsWith(folder)) throw new ApiError('INVALID_INPUT', `The recording of session ${sessionId} is outside ${folder}; refusing to read it.`);
      const onDisk = hashRecordingFile(file);
      if (!onDisk) throw new ApiError('NOT_FOUND', `The recording of session ${sessionId} is missing: ${file}.`);
      return { ...readAsciicast(file), sha256Matches: onDisk.sha256 === recordingSha256 };
    },
  };
}
