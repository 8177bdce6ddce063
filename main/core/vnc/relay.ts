import type { Duplex } from 'node:stream';
import { ClientMessageFramer, type ClientMessage } from './client-messages';
import { rewriteSetEncodings } from './encodings';
import { pixelFormatAt, ServerMessageFramer, type ServerMessageName } from './server-messages';

/** What the site and the session allow to flow between the engineer's viewer and the server. */
export interface RelayRules {
  /** Drop every key and pointer event (and desktop resizes, xvp, the engineer's clipboard): the server sees no input at all. */
  viewOnly: boolean;
  /** Whether the engineer's clipboard may reach the server (never in a view-only session). */
  clipboardToServer: boolean;
  /**
   * Whether the server's clipboard may reach the engineer (ServerCutText, classic and extended). View-only
   * does not close it: watching a session and copying a log line out of it is not input to the server.
   */
  clipboardToViewer: boolean;
}

export interface RelayCounters {
  /** Viewer messages passed to the server, and messages dropped by the rules (the viewer's, and the server's ServerCutText), by name. */
  passed: Record<string, number>;
  dropped: Record<string, number>;
}

/**
 * Sees exactly what the relay is about to write, after the rules, before it is written (a recording).
 * A tap that throws ends the session at once: nothing more is passed, and `done` gives its message.
 */
export interface RelayTaps {
  toViewer?(bytes: Buffer): void;
  toServer?(bytes: Buffer, name: string): void;
}

const INPUT: ReadonlySet<ClientMessage['name']> = new Set(['keyEvent', 'pointerEvent', 'qemu', 'setDesktopSize', 'xvp']);

/** Whether a viewer message may reach the server under these rules. */
export function allowed(message: ClientMessage, rules: RelayRules): boolean {
  if (rules.viewOnly && INPUT.has(message.name)) return false;
  if (message.name === 'clientCutText' && (rules.viewOnly || !rules.clipboardToServer)) return false;
  return true;
}

/** Whether a server message may reach the viewer under these rules. */
export function allowedToViewer(name: ServerMessageName, rules: RelayRules): boolean {
  return name !== 'serverCutText' || rules.clipboardToViewer;
}

/**
 * Relays an established RFB session between the viewer and the server after both handshakes, enforcing
 * the rules here, in the core, not by a flag in the viewer. The viewer's stream is cut into whole
 * messages, each passed or dropped; its SetEncodings is cut down to what the relay can walk, and its
 * SetPixelFormat followed. The server's stream is walked by length and passed on as it arrives, less the
 * clipboard messages the rules drop. Each side is paused while the other cannot take more (backpressure).
 * A stream that is not RFB as relayed here ends the session. Resolves, with why, when either side ends.
 * `serverInit` gives the server's own pixel format (default: 32 bits per pixel, depth 24).
 */
export function relayRfb(viewer: Duplex, server: Duplex, rules: RelayRules, firstFromViewer: Buffer, firstFromServer: Buffer, taps: RelayTaps = {}, serverInit?: Buffer): { done: Promise<string>; counters: RelayCounters } {
  const counters: RelayCounters = { passed: {}, dropped: {} };
  const count = (bucket: Record<string, number>, name: string) => { bucket[name] = (bucket[name] ?? 0) + 1; };
  const fromViewerFramer = new ClientMessageFramer();
  const fromServerFramer = new ServerMessageFramer({
    pixelFormat: serverInit ? pixelFormatAt(serverInit) : undefined,
    drop: (name) => !allowedToViewer(name, rules),
    onMessage: (name, dropped) => { if (dropped) count(counters.dropped, name); },
  });
  const encodingChoice = { extendedClipboard: !rules.viewOnly && rules.clipboardToServer && rules.clipboardToViewer };
  const done = new Promise<string>((resolve) => {
    let ended = false;
    const end = (why: string) => {
      if (ended) return;
      ended = true;
      viewer.destroy();
      server.destroy();
      resolve(why);
    };
    /** Writes to `to`, pausing `from` until `to` drains when `to` says it is full. */
    const pauseUntilDrained = (from: Duplex, to: Duplex) => {
      let waiting = false;
      return (bytes: Buffer) => {
        if (to.write(bytes) || waiting) return;
        waiting = true;
        from.pause();
        to.once('drain', () => {
          waiting = false;
          if (!ended) from.resume();
        });
      };
    };
    const writeToViewer = pauseUntilDrained(server, viewer);
    const writeToServer = pauseUntilDrained(viewer, server);

    const fromViewer = (chunk: Buffer) => {
      if (ended) return;
      try {
        for (const message of fromViewerFramer.push(chunk)) {
          if (!allowed(message, rules)) {
            count(counters.dropped, message.name);
            continue;
          }
          let bytes = message.bytes;
          if (message.name === 'setEncodings') bytes = rewriteSetEncodings(bytes, encodingChoice);
          else if (message.name === 'setPixelFormat') fromServerFramer.setPixelFormat(pixelFormatAt(bytes));
          taps.toServer?.(bytes, message.name);
          count(counters.passed, message.name);
          writeToServer(bytes);
        }
      } catch (error) {
        end(error instanceof Error ? error.message : String(error));
      }
    };
    const fromServer = (chunk: Buffer) => {
      if (ended) return;
      try {
        for (const part of fromServerFramer.push(chunk)) {
          taps.toViewer?.(part);
          writeToViewer(part);
        }
      } catch (error) {
        end(error instanceof Error ? error.message : String(error));
      }
    };
    viewer.on('data', fromViewer);
    server.on('data', fromServer);
    viewer.on('close', () => end('the viewer closed'));
    server.on('close', () => end('the server closed'));
    viewer.on('error', (error) => end(`the viewer failed: ${error.message}`));
    server.on('error', (error) => end(`the server failed: ${error.message}`));
    if (firstFromServer.length > 0) fromServer(firstFromServer);
    if (firstFromViewer.length > 0) fromViewer(firstFromViewer);
  });
  return { done, counters };
}
