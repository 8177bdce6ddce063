/** The single IPC entry point: authenticate the sender, then hand the call to the core (which validates input). */
import { ipcMain, type WebContents } from 'electron';
import type { CallResult } from '../../contract/errors';
import { IPC_CHANNEL } from '../../contract/method-names';
import type { Core } from '../core';
import { senderRejection } from './policy';

export function registerIpc(core: Core, isAppWindow: (contents: WebContents) => boolean): void {
  ipcMain.handle(IPC_CHANNEL, async (event, method: unknown, input: unknown): Promise<CallResult<unknown>> => {
    const frame = event.senderFrame;
    const rejection = senderRejection({
      frameUrl: frame?.url ?? null,
      isMainFrame: frame !== null && frame.parent === null,
      fromAppWindow: isAppWindow(event.sender),
    });
    if (rejection !== null) return { ok: false, error: { code: 'UNAUTHORIZED', message: rejection } };
    if (typeof method !== 'string') return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'The method name must be a string.' } };
    try {
      return await core.dispatch(method, input);
    } catch (error) {
      // The core answers with data; a throw is a bug, and an Error crossing IPC would lose its code.
      console.error(`switchboard: ${method} threw`, error);
      return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside Switchboard. Details were written to the log.' } };
    }
  });
}
