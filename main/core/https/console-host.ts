/**
 * Where an HTTPS console is shown, as the core sees it. The Electron shell shows it in a window of
 * its own (main/electron/console-window.ts); browser mode hands it to the engineer's browser
 * (browser-console-host.ts). The core has decided everything before `show` is called.
 */

/** Everything a console host needs, built by the core for an allowed, certificate-checked session. */
export interface ConsoleSpec {
  sessionId: string;
  /** For the window title: host, site and ticket. */
  title: string;
  /** The console URL on the approved IP (consoleUrl()). */
  url: string;
  origin: string;
  /** Origins the console may navigate to (today: its own). */
  trustedOrigins: string[];
  /** The host's certificate pin, or null when the console was accepted as CA-trusted. */
  pin: string | null;
}

export interface RefusedNavigation { at: string; kind: 'navigation' | 'redirect' | 'frame' | 'window' | 'download' | 'request'; url: string; reason: string }

export interface ConsoleDownload { at: string; url: string; file: string | null; state: 'completed' | 'cancelled' | 'interrupted' }

/** How a console shown in a window ended, for the session log. */
export interface ConsoleEnd {
  reason: 'closed' | 'app-quit' | 'load-failed';
  error?: string;
  /** Navigations, redirects, pop-ups and requests held back, most recent last (bounded by the host). */
  refused: RefusedNavigation[];
  /** How many were refused in all (the list above may be cut short). */
  refusedCount: number;
  downloads: ConsoleDownload[];
}

export interface ConsoleHost {
  /**
   * `window`: the console lives until its window closes, and `onEnd` is called then.
   * `browser`: handed off; Switchboard cannot see it afterwards and never calls `onEnd`.
   */
  readonly shownIn: 'window' | 'browser';
  show(spec: ConsoleSpec, onEnd: (end: ConsoleEnd) => void): Promise<void>;
  /** Closes a console shown in a window (its `onEnd` follows); false when there is none. */
  close(sessionId: string): boolean;
}

/** How many refused navigations a host keeps for the log; the count is always exact. */
export const MAX_REFUSED_KEPT = 50;
