import { ipcMain, MessageChannelMain, type WebContents } from 'electron';
import { TERMINAL_PORT_CHANNEL } from '../../contract/terminal-protocol';
import { VNC_PORT_CHANNEL } from '../../contract/vnc-protocol';
import { linkTerminal, linkVnc, type TerminalCarrier, type TerminalLink, type TerminalSessions, type VncSessions } from '../core';
import { senderRejection } from './policy';
import { linkPort, portSessionId } from './terminal-port-link';

/**
 * The desktop window's carrier for a terminal: a MessagePort per terminal, so bytes go straight between
 * the window and the core without the contract's invoke channel. The window asks on
 * TERMINAL_PORT_CHANNEL (sender checked like every IPC call); main keeps one end and posts the other
 * to the window, where the preload hands it to the page.
 */
export function registerTerminalPorts(terminals: TerminalSessions, vnc: VncSessions, isAppWindow: (contents: WebContents) => boolean): void {
  registerPorts(TERMINAL_PORT_CHANNEL, isAppWindow, (carrier, sessionId) => linkTerminal(carrier, terminals, sessionId));
  // A VNC viewer's RFB bytes travel the same way. Posted as Buffers (structured clones), never in a
  // transfer list: MessagePortMain has dropped messages that transferred an ArrayBuffer (electron#34905).
  registerPorts(VNC_PORT_CHANNEL, isAppWindow, (carrier, sessionId) => linkVnc(carrier, vnc, sessionId));
}

function registerPorts(channel: string, isAppWindow: (contents: WebContents) => boolean, attach: (carrier: TerminalCarrier, sessionId: string) => TerminalLink): void {
  ipcMain.on(channel, (event, requested: unknown) => {
    const frame = event.senderFrame;
    const rejection = senderRejection({ frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame.parent === null, fromAppWindow: isAppWindow(event.sender) });
    const sessionId = portSessionId(requested);
    if (rejection !== null || sessionId === null) return;

    const { port1, port2 } = new MessageChannelMain();
    // The window gets its end first: what the link sends at once (queued output, or why it closes) waits on the port.
    event.sender.postMessage(channel, { sessionId }, [port2]);
    linkPort({
      post: (data) => port1.postMessage(data),
      onMessage: (listener) => port1.on('message', ({ data }) => listener(data)),
      onClose: (listener) => port1.on('close', listener),
      start: () => port1.start(),
      close: () => port1.close(),
    }, (carrier) => attach(carrier, sessionId));
  });
}
