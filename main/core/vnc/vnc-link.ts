import { Duplex } from 'node:stream';
import { CLOSE_BAD_FRAME, CLOSE_IN_USE, CLOSE_UNKNOWN_TERMINAL } from '../../../contract/terminal-protocol';
import type { TerminalLink } from '../sessions/terminal-link';
import type { VncSessions } from './vnc-sessions';

/**
 * A window viewer's carrier for one VNC session (the browser mode's WebSocket, an Electron MessagePort):
 * binary frames are RFB bytes, strings are the core's JSON messages (contract/vnc-protocol.ts).
 * `sent` is called once the frame has left (the WebSocket's write callback), which is what lets the
 * relay hold the server back while the window lags; a carrier without one counts a frame as sent at once.
 */
export interface VncCarrier {
  send(frame: Buffer | string, sent?: () => void): void;
  close(code: number, reason: string): void;
  readonly open: boolean;
}

/**
 * The viewer as the relay sees it: a stream whose writes complete when the carrier has sent them. Ending
 * it leaves the carrier open: the session's end (its outcome and recording hash) is told, then it closes.
 */
export class ViewerStream extends Duplex {
  constructor(private readonly carrier: VncCarrier) {
    super({ writableHighWaterMark: 1024 * 1024, allowHalfOpen: false });
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.send(chunk, done);
  }

  /** What queued while the last frame was on its way goes as one frame: fewer, larger messages to the window. */
  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    this.send(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)), done);
  }

  private send(frame: Buffer, done: (error?: Error | null) => void): void {
    if (!this.carrier.open) return done(new Error('the viewer went away'));
    this.carrier.send(frame, () => done());
  }

}

const NOTHING: TerminalLink = { receive: () => {}, closed: () => {} };

/** Attaches the carrier to the VNC session as its one viewer, or closes it with the reason. */
export function linkVnc(carrier: VncCarrier, sessions: VncSessions, sessionId: string): TerminalLink {
  if (!sessions.has(sessionId)) {
    carrier.close(CLOSE_UNKNOWN_TERMINAL, 'No such VNC session; it may have ended.');
    return NOTHING;
  }
  const stream = new ViewerStream(carrier);
  // A write after the window went away fails here; the link's closed() ends the session, nothing else must hear of it.
  stream.on('error', () => {});
  let detach: () => void;
  try {
    detach = sessions.attach(sessionId, {
      stream,
      tell: (message) => {
        if (!carrier.open) return;
        carrier.send(JSON.stringify(message));
        if (message.type === 'exit') carrier.close(1000, 'ended');
      },
    });
  } catch (error) {
    carrier.close(CLOSE_IN_USE, (error as Error).message.slice(0, 120));
    return NOTHING;
  }
  return {
    closed: () => {
      stream.push(null);
      stream.destroy();
      detach();
    },
    receive: (frame, binary) => {
      // The viewer speaks only RFB; the relay cuts it into messages and judges each one.
      if (!binary) return carrier.close(CLOSE_BAD_FRAME, 'The viewer sends RFB bytes only.');
      stream.push(frame);
    },
  };
}
