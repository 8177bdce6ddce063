import { terminalControl } from '../../../contract/inputs';
import { CLOSE_BAD_FRAME, CLOSE_IN_USE, CLOSE_TAKEN_OVER, CLOSE_UNKNOWN_TERMINAL } from '../../../contract/terminal-protocol';
import type { TerminalEvent, TerminalSessions } from './terminal-sessions';

/**
 * One window's connection to one terminal, whatever carries it: browser mode's WebSocket
 * (main/web/terminal-socket.ts) or an Electron MessagePort (main/electron/terminal-port.ts).
 * The carrier only moves frames; everything the protocol means is decided here, once.
 */
export interface TerminalCarrier {
  /** A Buffer is output bytes (a binary frame); a string is a JSON control message. */
  send(frame: Buffer | string): void;
  close(code: number, reason: string): void;
  readonly open: boolean;
}

/** What the carrier calls with what arrives from the window, and when it goes away. */
export interface TerminalLink {
  receive(frame: Buffer, binary: boolean): void;
  closed(): void;
}

/** Keystrokes and pastes: a frame above this is not typing. */
export const MAX_INPUT_FRAME = 1024 * 1024;

export function frameOf(event: Exclude<TerminalEvent, { type: 'replaced' }>): Buffer | string {
  switch (event.type) {
    case 'output': return event.data;
    case 'hostKey': return JSON.stringify({ type: 'hostKey', host: event.host, fingerprint: event.fingerprint });
    case 'prompt': return JSON.stringify({ type: 'prompt', target: event.target, ...event.challenge });
    case 'connected': return JSON.stringify({ type: 'connected' });
    case 'exit': return JSON.stringify({ type: 'exit', ...event.exit });
  }
}

const NOTHING: TerminalLink = { receive: () => {}, closed: () => {} };

/** Attaches the carrier to the terminal, or closes it with the reason when that is not possible. */
export function linkTerminal(carrier: TerminalCarrier, terminals: TerminalSessions, sessionId: string): TerminalLink {
  if (!terminals.has(sessionId)) {
    carrier.close(CLOSE_UNKNOWN_TERMINAL, 'No such terminal; it may have ended.');
    return NOTHING;
  }
  let detach: () => void;
  try {
    detach = terminals.attach(sessionId, (event) => {
      if (!carrier.open) return;
      if (event.type === 'replaced') return carrier.close(CLOSE_TAKEN_OVER, 'This terminal is now shown in another window.');
      carrier.send(frameOf(event));
      if (event.type === 'exit') carrier.close(1000, 'ended');
    });
  } catch (error) {
    carrier.close(CLOSE_IN_USE, (error as Error).message.slice(0, 120));
    return NOTHING;
  }
  return {
    closed: () => detach(),
    receive: (frame, binary) => {
      try {
        if (binary) {
          if (frame.length > MAX_INPUT_FRAME) throw new Error('input frame too large');
          terminals.write(sessionId, frame);
          return;
        }
        const control = terminalControl.parse(JSON.parse(frame.toString('utf8')));
        if (control.type === 'resize') terminals.resize(sessionId, control.cols, control.rows);
        else terminals.ack(sessionId, control.bytes, control.heldMs);
      } catch {
        // The terminal may have just ended; anything else is a window that does not speak the protocol.
        if (terminals.has(sessionId)) carrier.close(CLOSE_BAD_FRAME, 'Bad terminal frame.');
      }
    },
  };
}
