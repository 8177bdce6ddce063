/**
 * A session's byte channel once it is there — a WebSocket by URL, or a MessagePort already handed over —
 * as a Carrier. Nothing here touches the window, so the terminal's worker (terminal-worker.ts) uses these
 * as the window's carriers (carriers.ts) do.
 */

/** Moves frames; knows nothing of what they mean. */
export interface Carrier {
  send(frame: string | Uint8Array): void;
  close(): void;
}

/** Binary frames are bytes, strings are JSON messages; what they mean is the caller's. */
export interface CarrierEvents {
  bytes(data: Uint8Array): void;
  text(text: string): void;
  ended(reason: string, code: number | null): void;
}

/** A WebSocket; frames sent while it connects wait for it, frames sent once it is closing are dropped. */
export function socketCarrier(url: string, on: CarrierEvents): Carrier {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const pending: Array<string | Uint8Array> = [];
  ws.onopen = () => { for (const frame of pending.splice(0)) ws.send(frame); };
  ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
    if (typeof event.data === 'string') on.text(event.data);
    else on.bytes(new Uint8Array(event.data));
  };
  ws.onclose = (event) => on.ended(event.reason || 'The connection to the Switchboard host closed.', event.code);
  return {
    send: (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
      else if (ws.readyState === WebSocket.CONNECTING) pending.push(frame);
    },
    close: () => ws.close(),
  };
}

/** A MessagePort main handed over; main closes its end when the session's channel ends. */
export function portCarrier(port: MessagePort, on: Pick<CarrierEvents, 'bytes' | 'text'>): Carrier {
  port.onmessage = (message: MessageEvent<unknown>) => {
    if (typeof message.data === 'string') on.text(message.data);
    else if (message.data instanceof Uint8Array) on.bytes(message.data);
    else if (message.data instanceof ArrayBuffer) on.bytes(new Uint8Array(message.data));
  };
  port.start();
  return { send: (frame) => port.postMessage(frame), close: () => port.close() };
}
