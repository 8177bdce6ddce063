/**
 * The window's side of the contract. In Electron the preload exposes `window.switchboard` (one
 * function per method, nothing generic). In browser mode the same calls travel over a WebSocket
 * to the loopback host, authenticated by the per-launch token in the page's path.
 */
import { ApiError, isApiErrorData, type CallResult } from '../../../contract/errors';
import { API_METHOD_NAMES } from '../../../contract/method-names';
import type { MethodName, SwitchboardApi, SwitchboardBridge } from '../../../contract/api';

declare global {
  interface Window { switchboard?: SwitchboardBridge }
}

const CALL_TIMEOUT_MS = 60_000;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> };

/** The token is the first path segment of the page URL: http://127.0.0.1:PORT/<token>/ */
export function tokenFromLocation(pathname: string): string {
  return pathname.split('/').filter(Boolean)[0] ?? '';
}

function createWebSocketApi(): SwitchboardApi {
  const token = tokenFromLocation(window.location.pathname);
  const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/${token}/api`;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  const failAll = (message: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new ApiError('INTERNAL', message));
      pending.delete(id);
    }
  };

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => { socket = ws; resolve(ws); };
      ws.onerror = () => reject(new ApiError('INTERNAL', 'Cannot reach the Switchboard host. Is `npm run web` still running?'));
      ws.onclose = () => {
        socket = null;
        opened = null;
        failAll('The connection to the Switchboard host closed. Reload the page once it is running again.');
      };
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as { id: number } & CallResult<unknown>;
        const p = pending.get(message.id);
        if (!p) return;
        pending.delete(message.id);
        clearTimeout(p.timer);
        if (message.ok) p.resolve(message.value);
        else p.reject(isApiErrorData(message.error) ? ApiError.fromData(message.error) : new ApiError('INTERNAL', 'Malformed reply'));
      };
    });
    opened.catch(() => { opened = null; });
    return opened;
  };

  const invoke = async (method: MethodName, input: unknown): Promise<unknown> => {
    const ws = socket ?? (await connect());
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new ApiError('INTERNAL', `"${method}" did not answer within ${CALL_TIMEOUT_MS / 1000} s`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, method, input }));
    });
  };

  return Object.fromEntries(API_METHOD_NAMES.map((name) => [name, (input: unknown) => invoke(name, input)])) as SwitchboardApi;
}

/** Errors thrown through ipcRenderer.invoke lose their code, so the bridge returns results as data; rebuild the error here. */
function wrapElectronApi(bridge: SwitchboardBridge): SwitchboardApi {
  return Object.fromEntries(
    API_METHOD_NAMES.map((name) => [
      name,
      async (input: unknown) => {
        const result = await (bridge[name] as (i: unknown) => Promise<CallResult<unknown>>)(input);
        if (result.ok) return result.value;
        throw ApiError.fromData(result.error);
      },
    ]),
  ) as SwitchboardApi;
}

export const api: SwitchboardApi = window.switchboard ? wrapElectronApi(window.switchboard) : createWebSocketApi();
export const runningInElectron = Boolean(window.switchboard);
