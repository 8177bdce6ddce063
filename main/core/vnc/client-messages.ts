/**
 * Viewer → server RFB messages (RFB 7.5 and the extensions noVNC sends), cut into whole messages so the
 * relay can decide on each one: drop input in a view-only session, drop clipboard the site does not
 * allow, rewrite SetEncodings. A stream that is not RFB, or a message type nobody here knows, is refused
 * rather than passed on blind.
 */
export const CLIENT_MESSAGE = {
  setPixelFormat: 0,
  setEncodings: 2,
  framebufferUpdateRequest: 3,
  keyEvent: 4,
  pointerEvent: 5,
  clientCutText: 6,
  enableContinuousUpdates: 150,
  fence: 248,
  xvp: 250,
  setDesktopSize: 251,
  qemu: 255,
} as const;

export type ClientMessageName = keyof typeof CLIENT_MESSAGE;

export interface ClientMessage {
  type: number;
  name: ClientMessageName;
  /** The whole message, header included, as the viewer sent it (a copy: noVNC reuses its buffers). */
  bytes: Buffer;
}

const NAMES = new Map<number, ClientMessageName>(Object.entries(CLIENT_MESSAGE).map(([name, type]) => [type, name as ClientMessageName]));

/** A ClientCutText longer than this is refused: a clipboard is text, not a file transfer. */
export const MAX_CUT_TEXT = 10 * 1024 * 1024;

/** The length of the message at the start of `data`, or null when more bytes are needed to know it. */
function messageLength(data: Buffer): number | null {
  const type = data[0]!;
  const need = (bytes: number, then: () => number) => (data.length < bytes ? null : then());
  switch (type) {
    case CLIENT_MESSAGE.setPixelFormat: return 20;
    case CLIENT_MESSAGE.setEncodings: return need(4, () => 4 + 4 * data.readUInt16BE(2));
    case CLIENT_MESSAGE.framebufferUpdateRequest: return 10;
    case CLIENT_MESSAGE.keyEvent: return 8;
    case CLIENT_MESSAGE.pointerEvent: return 6;
    case CLIENT_MESSAGE.clientCutText: return need(8, () => {
      // The extended clipboard (a negative length) carries its size as the length's absolute value.
      const length = Math.abs(data.readInt32BE(4));
      if (length > MAX_CUT_TEXT) throw new RfbStreamError(`the viewer sent ${length} bytes of clipboard text in one message; more than ${MAX_CUT_TEXT} is refused`);
      return 8 + length;
    });
    case CLIENT_MESSAGE.enableContinuousUpdates: return 10;
    case CLIENT_MESSAGE.fence: return need(9, () => 9 + data[8]!);
    case CLIENT_MESSAGE.xvp: return 4;
    case CLIENT_MESSAGE.setDesktopSize: return need(8, () => 8 + 16 * data[6]!);
    case CLIENT_MESSAGE.qemu: return need(2, () => {
      if (data[1] === 0) return 12; // extended key event
      throw new RfbStreamError(`the viewer sent QEMU client message ${data[1]}, which is not relayed`);
    });
    default:
      throw new RfbStreamError(`the viewer sent message type ${type}, which is not RFB as Switchboard relays it`);
  }
}

/** Cuts the viewer's byte stream into whole messages, however it was chunked on the way. */
export class ClientMessageFramer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): ClientMessage[] {
    // Copied: a viewer may reuse the buffer it sent (noVNC does) before the relay is done with it.
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const messages: ClientMessage[] = [];
    for (;;) {
      if (this.pending.length === 0) break;
      const length = messageLength(this.pending);
      if (length === null || this.pending.length < length) break;
      const type = this.pending[0]!;
      messages.push({ type, name: NAMES.get(type)!, bytes: this.pending.subarray(0, length) });
      this.pending = this.pending.subarray(length);
    }
    return messages;
  }

  /** Bytes of a message not yet complete. */
  get buffered(): number {
    return this.pending.length;
  }
}

export class RfbStreamError extends Error {}
