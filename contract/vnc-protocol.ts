/**
 * The window viewer's channel to a VNC session, the same over both carriers (the browser mode's
 * WebSocket at `/<token>/vnc/<sessionId>`, an Electron MessagePort asked for on VNC_PORT_CHANNEL).
 * Binary frames are RFB bytes between noVNC and the core's relay (the relay greets noVNC as a server
 * that needs no authentication: the core signed in already). Text frames are JSON messages from the
 * core, below. Constants and types only (no zod), so the sandboxed preload can import it.
 */

/** What the session's rules are and what the server is, once the core has signed in. */
export interface VncConnectedMessage {
  type: 'connected';
  width: number;
  height: number;
  /** The desktop's name, as the server gives it. */
  name: string;
  /** The security used with the server ("VNC Authentication", "… over TLS (X509Vnc)"). */
  security: string;
  plan: {
    host: string; address: string; port: number; jump: { host: string; address: string; port: number } | null;
    security: string; viewOnly: boolean; clipboard: 'off' | 'to-engineer' | 'both'; inputRecorded: boolean;
  };
}

/** The session's end: the outcome the log records, why, and the recording with its SHA-256. */
export interface VncExitMessage {
  type: 'exit';
  outcome: string;
  reason: string;
  error: string | null;
  recording: string | null;
  sha256: string | null;
}

export type VncServerMessage = VncConnectedMessage | VncExitMessage | { type: 'closed'; code: number; reason: string };

/** Electron: the window asks for a VNC session's port on this IPC channel; the preload hands it over with this message type. */
export const VNC_PORT_CHANNEL = 'switchboard:vnc-port';
export const VNC_PORT_MESSAGE = 'switchboard:vnc-port';
