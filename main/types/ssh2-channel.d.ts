// ssh2's internal channel helpers used by main/core/ssh/ssh-connection.ts (not in @types/ssh2).
declare module 'ssh2/lib/Channel' {
  /** Sends CHANNEL_WINDOW_ADJUST to bring the channel's receive window back to its maximum. */
  export function windowAdjust(channel: unknown): void;
}
