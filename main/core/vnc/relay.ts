import type { Duplex } from 'node:stream';
import { ClientMessageFramer, RfbStreamError, type ClientMessage } from './client-messages';

/** What the site and the session allow to flow from the viewer to the server. */
export interface RelayRules {
  /** Drop every key and pointer event (and desktop resizes): the server sees no input at all. */
  viewOnly: boolean;
  /** Whether the engineer's clipboard may reach the server. */
  clipboardToServer: boolean;
}

export interface RelayCounters {
  /** Viewer messages passed to the server, and dropped by the rules, by name. */
  passed: Record<string, number>;
  dropped: Record<string, number>;
}

const INPUT: ReadonlySet<ClientMessage['name']> = new Set(['keyEvent', 'pointerEvent', 'qemu', 'setDesktopSize', 'xvp']);

/** Whether a viewer message may reach the server under these rules. */
export function allowed(message: ClientMessage, rules: RelayRules): boolean {
  if (rules.viewOnly && INPUT.has(message.name)) return false;
  if (message.name === 'clientCutText' && (rules.viewOnly || !rules.clipboardToServer)) return false;
  return true;
}

/**
 * Relays an established RFB session between the viewer and the server after both handshakes: the
 * server's bytes go to the viewer as they come; the viewer's are cut into whole messages and each is
 * passed on or dropped by the rules — enforced here, in the core, not by a flag in the viewer. A viewer
 * stream that is not RFB ends the session. Resolves when either side ends.
 */
export function relayRfb(viewer: Duplex, server: Duplex, rules: RelayRules, firstFromViewer: Buffer, firstFromServer: Buffer): { done: Promise<string>; counters: RelayCounters } {
  const counters: RelayCounters = { passed: {}, dropped: {} };
  const framer = new ClientMessageFramer();
  const count = (bucket: Record<string, number>, name: string) => { bucket[name] = (bucket[name] ?? 0) + 1; };
  const done = new Promise<string>((resolve) => {
    let ended = false;
    const end = (why: string) => {
      if (ended) return;
      ended = true;
      viewer.destroy();
      server.destroy();
      resolve(why);
    };
    const fromViewer = (chunk: Buffer) => {
      let messages: ClientMessage[];
      try {
        messages = framer.push(chunk);
      } catch (error) {
        end(error instanceof RfbStreamError ? error.message : String(error));
        return;
      }
      for (const message of messages) {
        if (allowed(message, rules)) {
          count(counters.passed, message.name);
          server.write(message.bytes);
        } else count(counters.dropped, message.name);
      }
    };
    viewer.on('data', fromViewer);
    server.on('data', (chunk: Buffer) => viewer.write(chunk));
    viewer.on('close', () => end('the viewer closed'));
    server.on('close', () => end('the server closed'));
    viewer.on('error', (error) => end(`the viewer failed: ${error.message}`));
    server.on('error', (error) => end(`the server failed: ${error.message}`));
    if (firstFromServer.length > 0) viewer.write(firstFromServer);
    if (firstFromViewer.length > 0) fromViewer(firstFromViewer);
  });
  return { done, counters };
}
