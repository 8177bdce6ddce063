/**
 * How a session attempt turns out, as the session log records it: one typed set for every access
 * method. The attempt says what the policy decided; a started session says what is running; the end
 * says how it finished. A team lead filters by these, so each has one meaning.
 */
export const ATTEMPT_OUTCOMES = ['allowed', 'denied'] as const;
export const START_OUTCOMES = ['connected', 'forwarding'] as const;
export const END_OUTCOMES = [
  /** The remote side ended it normally (an SSH command or shell that exited 0). */
  'completed',
  /** The engineer (or the remote side) closed a running session. */
  'disconnected',
  /** It could not be opened, or broke: the detail says why (`error`, and `failure` for SSH). */
  'failed',
  /** Handed to another program (a deep link, a meeting link, the browser for an HTTPS console). */
  'launched',
  /** Only a command line or link was printed for the engineer to run (`connect --print`). */
  'printed',
  /** A port forward closed (with its SSH session, or by the engineer). */
  'closed',
  /** Switchboard ended a terminal no window was attached to for the configured time. */
  'idle-timeout',
  /** A host-key replacement the policy or a stale pin refused. */
  'refused',
  /** A pinned SSH host key replaced on purpose. */
  'host-key-replaced',
] as const;
/** Written at the next start for a session the last run left open (the process was killed). */
export const INTERRUPTED = 'interrupted';

export const SESSION_OUTCOMES = [...ATTEMPT_OUTCOMES, ...START_OUTCOMES, ...END_OUTCOMES, INTERRUPTED] as const;

export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
export type StartOutcome = (typeof START_OUTCOMES)[number];
export type EndOutcome = (typeof END_OUTCOMES)[number];
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];
