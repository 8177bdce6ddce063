import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers } from '../../../contract/api';
import { ApiError } from '../../../contract/errors';
import { recordingsDir } from '../paths';
import type { SessionLogService } from '../services';
import { hashRecordingFile } from '../ssh/recording';
import type { Db } from '../store/database';
import { ticketScreenshot, ticketScreenshots } from '../vnc/ticket-screenshots';
import type { VncSessions } from '../vnc/vnc-sessions';

type VncMethods = 'vnc.open' | 'vnc.close' | 'vnc.list' | 'vnc.saveScreenshot' | 'log.vncRecording' | 'tickets.screenshots' | 'tickets.screenshot';

export interface VncDeps { vnc: VncSessions; services: { sessionLog: SessionLogService }; dataDir: string; db: Db }

/** How much of a recording one `log.vncRecording` call carries. */
export const VNC_RECORDING_CHUNK = 4 * 1024 * 1024;

/** The window's VNC viewers (their bytes travel on a channel of their own), and VNC recordings for replay. */
export function createVncHandlers({ vnc, services, dataDir, db }: VncDeps): Pick<ApiHandlers, VncMethods> {
  return {
    'tickets.screenshots': ({ id }) => ticketScreenshots(db, vnc, id),
    'tickets.screenshot': ({ id, sha256 }) => ticketScreenshot(db, vnc, dataDir, id, sha256),
    'vnc.open': (request) => vnc.open(request),
    'vnc.close': async ({ sessionId }) => ({ closed: (await vnc.close(sessionId)) !== null }),
    'vnc.list': () => vnc.list(),
    'vnc.saveScreenshot': ({ sessionId, png }) => vnc.saveScreenshot(sessionId, Buffer.from(png, 'base64')),
    'log.vncRecording': async ({ sessionId, offset }) => {
      const { record } = await services.sessionLog.get(sessionId);
      const { recording, recordingSha256 } = record.detail;
      if (typeof recording !== 'string' || !recording.endsWith('.vncrec')) throw new ApiError('NOT_FOUND', `Session ${sessionId} has no VNC recording.`);
      // The path comes from the log; still, only ever read inside this data dir's recordings folder.
      const folder = recordingsDir(path.resolve(dataDir)) + path.sep;
      const file = path.resolve(recording);
      if (!file.startsWith(folder)) throw new ApiError('INVALID_INPUT', `The recording of session ${sessionId} is outside ${folder}; refusing to read it.`);
      let fd: number;
      try {
        fd = fs.openSync(file, 'r');
      } catch {
        throw new ApiError('NOT_FOUND', `The recording of session ${sessionId} is missing: ${file}.`);
      }
      try {
        const total = fs.fstatSync(fd).size;
        const data = Buffer.alloc(Math.max(0, Math.min(VNC_RECORDING_CHUNK, total - offset)));
        fs.readSync(fd, data, 0, data.length, offset);
        // Hashed once, with the first slice: the window replays only a file that is what the log says.
        const sha256Matches = offset === 0 ? hashRecordingFile(file)?.sha256 === recordingSha256 : null;
        return { sessionId, offset, total, data: data.toString('base64'), sha256Matches };
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}
