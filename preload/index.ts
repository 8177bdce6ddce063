/**
 * Sandboxed preload: exposes exactly the contract's methods as `window.switchboard`, each one a
 * call on the single IPC channel. Nothing generic (no raw ipcRenderer, send or on) crosses over.
 * Imports only contract/method-names so zod and the rest of the contract stay out of this bundle.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API_METHOD_NAMES, IPC_CHANNEL } from '../contract/method-names';

const bridge = Object.fromEntries(
  API_METHOD_NAMES.map((method) => [method, (input?: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_CHANNEL, method, input)]),
);

contextBridge.exposeInMainWorld('switchboard', bridge);
