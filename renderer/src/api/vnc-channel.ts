/**
 * A VNC session's channel in the shape noVNC accepts instead of a WebSocket (its "raw channel": send,
 * close, binaryType, protocol, readyState, onopen/onmessage/onerror/onclose). Underneath is the
 * session's carrier (contract/vnc-protocol.ts): RFB bytes go to noVNC, the core's JSON messages to
 * `events`. noVNC reuses its send buffer, so what it sends is copied at once; sends within one task are
 * joined into one frame (pointer moves come in bursts, and Blink yields after ~200 queued port messages).
 */
import type { VncConnectedMessage, VncExitMessage, VncServerMessage } from '../../../contract/vnc-protocol';
import { openCarrier, type Carrier } from './carriers';
import { NoVncChannel, sentBytes } from './novnc-channel';

export interface VncChannelEvents {
  message(message: VncConnectedMessage | VncExitMessage): void;
  /** The channel ended without an exit message (the Switchboard host went away, the session was unknown). */
  lost(reason: string, code: number | null): void;
}

function parse(text: string): VncServerMessage | null {
  try {
    const value = JSON.parse(text) as { type?: unknown };
    return value && ['connected', 'exit', 'closed'].includes(value.type as string) ? (value as VncServerMessage) : null;
  } catch {
    return null;
  }
}

export class VncChannel extends NoVncChannel {
  private state: 'open' | 'closed' = 'open';
  private readonly carrier: Carrier;
  private outgoing: Uint8Array[] = [];
  private exited = false;

  constructor(sessionId: string, private readonly events: VncChannelEvents) {
    super();
    this.carrier = openCarrier('vnc', sessionId, {
      bytes: (data) => this.onmessage?.({ data: data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer as ArrayBuffer : data.slice().buffer }),
      text: (text) => {
        const message = parse(text);
        if (!message) return;
        if (message.type === 'closed') return this.ended(message.reason, message.code);
        if (message.type === 'exit') this.exited = true;
        this.events.message(message);
      },
      ended: (reason, code) => this.ended(reason, code),
    });
  }

  /** noVNC reads 'open' as a data channel's state; the carrier queues what is sent before it is connected. */
  get readyState(): string { return this.state; }

  send(data: ArrayBuffer | ArrayBufferView): void {
    if (this.state !== 'open') return;
    const view = sentBytes(data);
    if (this.outgoing.length === 0) queueMicrotask(() => this.flush());
    this.outgoing.push(view.slice());
  }

  close(): void {
    if (this.state === 'closed') return;
    this.flush();
    this.carrier.close();
    this.ended('closed by the viewer', 1000);
  }

  private flush(): void {
    const parts = this.outgoing;
    this.outgoing = [];
    if (parts.length === 0 || this.state !== 'open') return;
    if (parts.length === 1) return this.carrier.send(parts[0]!);
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const part of parts) { joined.set(part, at); at += part.byteLength; }
    this.carrier.send(joined);
  }

  private ended(reason: string, code: number | null): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (!this.exited && code !== 1000) this.events.lost(reason, code);
    this.onclose?.({ code: code ?? 1006, reason, wasClean: code === 1000 });
  }
}
