/**
 * The byte protocol between a window terminal and the core, the same over both carriers (the browser
 * mode's WebSocket and Electron's MessagePort). Binary frames are raw bytes: output to the window,
 * keystrokes from it. Text frames are small JSON control messages: window→core `resize` and `ack`
 * (validated by `terminalControl` in contract/inputs.ts), core→window the messages below.
 * Constants only (no zod), so the sandboxed preload can import it.
 */

/** A pinned host key that the host no longer presents: the hop, what it offers now, what is pinned. */
export interface ChangedHostKey { host: string; offered: string; pinned: string }

export type TerminalServerMessage =
  | { type: 'hostKey'; host: string; fingerprint: string }
  /**
   * Keyboard-interactive questions (one-time codes…) from `target`, the hop that asks (a jump host or
   * the terminal's own target); answered with
   * `terminals.answerPrompt`, one answer per prompt. `echo: false` → the answer is typed hidden.
   */
  | { type: 'prompt'; target: string; name: string; instructions: string; prompts: { prompt: string; echo: boolean }[] }
  | { type: 'connected' }
  /** `failure`: the SSH failure's kind when `error` is one (refused, timed-out, auth-failed, host-key-mismatch, unreachable…). */
  | { type: 'exit'; code: number | null; signal: string | null; recording: string | null; sha256: string | null; error: string | null; failure?: string | null; hostKey?: ChangedHostKey | null }
  /** A MessagePort has no close codes: the core says why it closes the port, then closes it. */
  | { type: 'closed'; code: number; reason: string };

/** A terminal's session id as the carriers accept it: a lower-case UUID (regular-expression source). */
export const SESSION_ID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Close codes the window can tell apart. */
export const CLOSE_UNKNOWN_TERMINAL = 4404;
export const CLOSE_IN_USE = 4409;
export const CLOSE_BAD_FRAME = 4400;
/** Another window attached to the terminal and shows it now; the terminal itself goes on. */
export const CLOSE_TAKEN_OVER = 4410;

/** Electron: the window asks for a terminal's port on this IPC channel; the preload hands it over with this message type. */
export const TERMINAL_PORT_CHANNEL = 'switchboard:terminal-port';
export const TERMINAL_PORT_MESSAGE = 'switchboard:terminal-port';
