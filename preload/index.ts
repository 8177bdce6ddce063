/// <reference lib="dom" />
/**
 * Sandboxed preload: exposes exactly the contract's methods as `window.switchboard`, each one a
 * call on the single IPC channel, and `window.switchboardTerminals.requestPort(sessionId)` for a
 * terminal's byte channel (`requestVncPort` for a VNC viewer's). Nothing generic (no raw ipcRenderer, send or on) crosses over.
 * Imports only constants from the contract so zod and the rest of it stay out of this bundle.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API_METHOD_NAMES, IPC_CHANNEL } from '../contract/method-names';
import { TERMINAL_PORT_CHANNEL, TERMINAL_PORT_MESSAGE } from '../contract/terminal-protocol';
import { VNC_PORT_CHANNEL, VNC_PORT_MESSAGE } from '../contract/vnc-protocol';

const bridge = Object.fromEntries(
  API_METHOD_NAMES.map((method) => [method, (input?: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_CHANNEL, method, input)]),
);

contextBridge.exposeInMainWorld('switchboard', bridge);

// A MessagePort cannot cross the context bridge as a return value; the documented way is to post it
// to the page's own window, same origin only, where terminal-stream.ts picks it up by session id.
ipcRenderer.on(TERMINAL_PORT_CHANNEL, (event, info: { sessionId?: unknown }) => {
  if (typeof info?.sessionId !== 'string' || event.ports.length !== 1) return;
  window.postMessage({ type: TERMINAL_PORT_MESSAGE, sessionId: info.sessionId }, window.location.origin, event.ports);
});

ipcRenderer.on(VNC_PORT_CHANNEL, (event, info: { sessionId?: unknown }) => {
  if (typeof info?.sessionId !== 'string' || event.ports.length !== 1) return;
  window.postMessage({ type: VNC_PORT_MESSAGE, sessionId: info.sessionId }, window.location.origin, event.ports);
});

contextBridge.exposeInMainWorld('switchboardTerminals', {
  requestPort: (sessionId: string): void => ipcRenderer.send(TERMINAL_PORT_CHANNEL, String(sessionId)),
  requestVncPort: (sessionId: string): void => ipcRenderer.send(VNC_PORT_CHANNEL, String(sessionId)),
});
