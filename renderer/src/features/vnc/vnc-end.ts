import type { VncExitMessage } from '../../../../contract/vnc-protocol';

/** How a viewer's session stopped: the core's exit (logged), or the channel lost without one. */
export type VncEnd =
  | { kind: 'exit'; exit: VncExitMessage }
  | { kind: 'lost'; reason: string; code: number | null };

/** The banner's headline. */
export function vncEndTitle(end: VncEnd): string {
  if (end.kind === 'lost') return 'Connection to the viewer lost';
  if (end.exit.error) return 'VNC session failed';
  return 'VNC session ended';
}

const capitalised = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);
const sentence = (text: string) => capitalised(/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** The banner's words: why it ended, as the session log has it, or what went missing. */
export function vncEndMessage(end: VncEnd): string {
  if (end.kind === 'lost') {
    return `${sentence(end.reason)} Switchboard may still hold the session; Reconnect ends it and opens a new one on the same ticket.`;
  }
  const { exit } = end;
  if (exit.error && exit.error !== exit.reason) return `${sentence(exit.reason)} ${sentence(exit.error)}`;
  return sentence(exit.error ?? exit.reason);
}

/** The outcome as the session log files it (disconnected, failed …), for the banner's badge. */
export const vncEndOutcome = (end: VncEnd): string => (end.kind === 'lost' ? 'lost' : end.exit.outcome);

export const vncEndFailed = (end: VncEnd): boolean => end.kind === 'lost' || end.exit.error !== null;
