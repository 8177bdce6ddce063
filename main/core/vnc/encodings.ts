/**
 * RFB encoding numbers (RFB 7.7, 7.8 and the extensions noVNC asks for), and which of them the relay lets
 * a viewer ask for: only what ServerMessageFramer can walk by length. A server that sent an encoding the
 * relay cannot walk would make it lose track of the stream (and of the clipboard rule), so the viewer's
 * SetEncodings is rewritten before the server sees it.
 */
export const ENCODING = {
  raw: 0,
  copyRect: 1,
  rre: 2,
  hextile: 5,
  zlib: 6,
  tight: 7,
  zrle: 16,
  jpeg: 21,
  h264: 50,
  tightPng: -260,
  desktopSize: -223,
  lastRect: -224,
  cursor: -239,
  xCursor: -240,
  qemuExtendedKeyEvent: -258,
  qemuLedEvent: -261,
  desktopName: -307,
  extendedDesktopSize: -308,
  xvp: -309,
  fence: -312,
  continuousUpdates: -313,
  extendedMouseButtons: -316,
  vmwareCursor: 0x574d5664,
  extendedClipboard: 0xc0a1e5ce | 0,
} as const;

/** Rectangles whose payload the framer can measure. */
const WALKABLE_RECTS: ReadonlySet<number> = new Set([
  ENCODING.raw, ENCODING.copyRect, ENCODING.zlib, ENCODING.tight, ENCODING.zrle,
  ENCODING.desktopSize, ENCODING.lastRect, ENCODING.cursor, ENCODING.xCursor, ENCODING.qemuExtendedKeyEvent,
  ENCODING.qemuLedEvent, ENCODING.desktopName, ENCODING.extendedDesktopSize, ENCODING.vmwareCursor,
]);

/** Pseudo-encodings that only announce a capability: the server answers with whole messages, never rectangles. */
const ANNOUNCE_ONLY: ReadonlySet<number> = new Set([ENCODING.xvp, ENCODING.fence, ENCODING.continuousUpdates]);

/** Levels a viewer asks for: compression, quality, TigerVNC's fine JPEG quality and subsampling. */
const isLevel = (encoding: number) =>
  (encoding >= -256 && encoding <= -247) || (encoding >= -32 && encoding <= -23)
  || (encoding >= -512 && encoding <= -412) || (encoding >= -768 && encoding <= -763);

export function isWalkableRect(encoding: number): boolean {
  return WALKABLE_RECTS.has(encoding);
}

export interface EncodingChoice {
  /**
   * Keep the extended clipboard: only when the clipboard may flow both ways. Its messages go in both
   * directions for either direction's text (capabilities, notify → request → provide), so with one
   * direction closed the server is kept to the classic ServerCutText/ClientCutText, one message each way.
   */
  extendedClipboard: boolean;
}

/**
 * The encodings of a viewer's request that the relay can walk, in the viewer's order. Dropped: Hextile,
 * RRE, JPEG, H.264 and TightPNG (not walked); the QEMU extended key event, so the viewer sends keysyms and the
 * engineer's own keyboard layout decides the character typed (with scan codes the server's layout would,
 * noVNC#1886); ExtendedMouseButtons (it makes a PointerEvent 7 bytes long,
 * which the viewer-side framer does not cut), and anything unknown.
 */
export function walkableEncodings(requested: readonly number[], choice: EncodingChoice): number[] {
  return requested.filter((encoding) => encoding !== ENCODING.qemuExtendedKeyEvent && (WALKABLE_RECTS.has(encoding) || ANNOUNCE_ONLY.has(encoding) || isLevel(encoding)
    || (encoding === ENCODING.extendedClipboard && choice.extendedClipboard)));
}

/** A SetEncodings message (type 2) with only the walkable encodings left in it. */
export function rewriteSetEncodings(message: Buffer, choice: EncodingChoice): Buffer {
  const count = message.readUInt16BE(2);
  const requested: number[] = [];
  for (let i = 0; i < count; i++) requested.push(message.readInt32BE(4 + 4 * i));
  const kept = walkableEncodings(requested, choice);
  if (kept.length === requested.length) return message;
  const rewritten = Buffer.alloc(4 + 4 * kept.length);
  rewritten[0] = message[0]!;
  rewritten.writeUInt16BE(kept.length, 2);
  kept.forEach((encoding, i) => rewritten.writeInt32BE(encoding, 4 + 4 * i));
  return rewritten;
}
