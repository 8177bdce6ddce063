/** Messages between the window and its terminal's worker (terminal-worker.ts, terminal-pump.ts). */
export type TerminalWorkerCommand =
  /** Browser mode: the terminal's WebSocket URL. */
  | { type: 'socket'; url: string }
  /** The desktop window: the MessagePort main handed over (transferred with this message). */
  | { type: 'port'; port: MessagePort }
  | { type: 'send'; frame: string | Uint8Array }
  /** xterm.js has written the oldest bytes the worker handed over. */
  | { type: 'written' }
  | { type: 'close' };

export type TerminalWorkerEvent =
  | { type: 'bytes'; data: Uint8Array }
  | { type: 'text'; text: string }
  | { type: 'ended'; reason: string; code: number | null };
