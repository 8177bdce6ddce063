type Handler<E> = ((event: E) => void) | null;

/**
 * The WebSocket-shaped object noVNC accepts instead of a WebSocket (its "raw channel"): binary
 * messages as ArrayBuffers, no subprotocol, the four on* handlers, and send/close/readyState. The live
 * session's channel (vnc-channel.ts) and the replay's (features/log/vnc-replay-channel.ts) say what
 * goes through it.
 */
export abstract class NoVncChannel {
  binaryType = 'arraybuffer';
  readonly protocol = '';
  onopen: Handler<Event> = null;
  onmessage: Handler<{ data: ArrayBuffer }> = null;
  onerror: Handler<Event> = null;
  onclose: Handler<{ code: number; reason: string; wasClean: boolean }> = null;

  /** noVNC reads 'open' as a data channel's state. */
  abstract get readyState(): string;
  abstract send(data: ArrayBuffer | ArrayBufferView): void;
  abstract close(): void;
}

/** What noVNC passed to send(), as bytes; it reuses its send buffer, so copy them before keeping them. */
export function sentBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
