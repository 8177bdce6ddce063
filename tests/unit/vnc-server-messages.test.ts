import { describe, expect, it } from 'vitest';
import { RfbStreamError } from '../../main/core/vnc/client-messages';
import { ENCODING, rewriteSetEncodings, walkableEncodings } from '../../main/core/vnc/encodings';
import { ServerMessageFramer, type PixelFormat, type ServerMessageName } from '../../main/core/vnc/server-messages';

const u8 = (...n: number[]) => Buffer.from(n);
const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };
const i32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
/** Payload bytes: no message type, and a short Tight length, so a framer that lost its place fails loudly. */
const junk = (n: number) => Buffer.alloc(n, 7);

const rect = (width: number, height: number, encoding: number, ...payload: Buffer[]) =>
  Buffer.concat([u16(1), u16(2), u16(width), u16(height), i32(encoding), ...payload]);
const update = (...rects: Buffer[]) => Buffer.concat([u8(0, 0), u16(rects.length), ...rects]);
/** Tight's compact length: 7 bits a byte, low first, at most three bytes. */
const compact = (n: number) => {
  const bytes = [n & 0x7f];
  if (n > 0x7f) { bytes[0]! |= 0x80; bytes.push((n >> 7) & 0x7f); }
  if (n > 0x3fff) { bytes[1]! |= 0x80; bytes.push(n >> 14); }
  return Buffer.from(bytes);
};

const cutText = (text: string) => Buffer.concat([u8(3, 0, 0, 0), u32(Buffer.byteLength(text)), Buffer.from(text)]);
const extendedCutText = (payload: Buffer) => Buffer.concat([u8(3, 0, 0, 0), i32(-payload.length), payload]);

/** Every message and rectangle kind the framer walks, as the server sends it at 32 bpp, depth 24. */
const MESSAGES: [string, ServerMessageName, Buffer][] = [
  ['an empty update', 'framebufferUpdate', update()],
  ['Raw', 'framebufferUpdate', update(rect(3, 2, ENCODING.raw, junk(3 * 2 * 4)))],
  ['CopyRect', 'framebufferUpdate', update(rect(10, 10, ENCODING.copyRect, u16(5), u16(6)))],
  ['Zlib', 'framebufferUpdate', update(rect(8, 8, ENCODING.zlib, u32(5), junk(5)))],
  ['an empty Zlib rectangle (no length, as noVNC reads it)', 'framebufferUpdate', update(rect(0, 8, ENCODING.zlib))],
  ['ZRLE', 'framebufferUpdate', update(rect(64, 64, ENCODING.zrle, u32(7), junk(7)))],
  ['Tight fill', 'framebufferUpdate', update(rect(100, 100, ENCODING.tight, u8(0x80), junk(3)))],
  ['Tight fill resetting zlib streams', 'framebufferUpdate', update(rect(100, 100, ENCODING.tight, u8(0x8f), junk(3)))],
  ['Tight JPEG, 1-byte length', 'framebufferUpdate', update(rect(16, 16, ENCODING.tight, u8(0x90), compact(100), junk(100)))],
  ['Tight JPEG, 2-byte length', 'framebufferUpdate', update(rect(16, 16, ENCODING.tight, u8(0x90), compact(300), junk(300)))],
  ['Tight JPEG, 3-byte length', 'framebufferUpdate', update(rect(16, 16, ENCODING.tight, u8(0x90), compact(20_000), junk(20_000)))],
  ['Tight basic copy, small (sent as is)', 'framebufferUpdate', update(rect(3, 1, ENCODING.tight, u8(0x00), junk(9)))],
  ['Tight basic copy, zlib', 'framebufferUpdate', update(rect(4, 4, ENCODING.tight, u8(0x10), compact(20), junk(20)))],
  ['Tight explicit copy filter', 'framebufferUpdate', update(rect(4, 4, ENCODING.tight, u8(0x40), u8(0), compact(20), junk(20)))],
  ['Tight two-colour palette, small', 'framebufferUpdate', update(rect(9, 2, ENCODING.tight, u8(0x40), u8(1), u8(1), junk(6), junk(4)))],
  ['Tight two-colour palette, 11 bytes (sent as is)', 'framebufferUpdate', update(rect(88, 1, ENCODING.tight, u8(0x40), u8(1), u8(1), junk(6), junk(11)))],
  ['Tight two-colour palette, 12 bytes (zlib)', 'framebufferUpdate', update(rect(96, 1, ENCODING.tight, u8(0x40), u8(1), u8(1), junk(6), compact(9), junk(9)))],
  ['Tight basic copy, 12 bytes (zlib)', 'framebufferUpdate', update(rect(4, 1, ENCODING.tight, u8(0x00), compact(10), junk(10)))],
  ['Tight two-colour palette, zlib', 'framebufferUpdate', update(rect(64, 4, ENCODING.tight, u8(0x60), u8(1), u8(1), junk(6), compact(15), junk(15)))],
  ['Tight 16-colour palette', 'framebufferUpdate', update(rect(10, 10, ENCODING.tight, u8(0x70), u8(1), u8(15), junk(48), compact(40), junk(40)))],
  ['Tight gradient', 'framebufferUpdate', update(rect(10, 10, ENCODING.tight, u8(0x40), u8(2), compact(33), junk(33)))],
  ['Tight empty rectangle', 'framebufferUpdate', update(rect(0, 0, ENCODING.tight, u8(0x00)))],
  ['DesktopSize', 'framebufferUpdate', update(rect(1024, 768, ENCODING.desktopSize))],
  ['ExtendedDesktopSize', 'framebufferUpdate', update(rect(1024, 768, ENCODING.extendedDesktopSize, u8(2, 0, 0, 0), junk(32)))],
  ['Cursor', 'framebufferUpdate', update(rect(10, 3, ENCODING.cursor, junk(10 * 3 * 4), junk(2 * 3)))],
  ['XCursor', 'framebufferUpdate', update(rect(10, 3, ENCODING.xCursor, junk(6), junk(2 * 2 * 3)))],
  ['an empty XCursor', 'framebufferUpdate', update(rect(0, 0, ENCODING.xCursor))],
  ['VMware classic cursor', 'framebufferUpdate', update(rect(2, 2, ENCODING.vmwareCursor, u8(0, 0), junk(2 * 2 * 4 * 2)))],
  ['VMware alpha cursor', 'framebufferUpdate', update(rect(2, 2, ENCODING.vmwareCursor, u8(1, 0), junk(2 * 2 * 4)))],
  ['QEMU extended key event', 'framebufferUpdate', update(rect(0, 0, ENCODING.qemuExtendedKeyEvent))],
  ['QEMU LED state', 'framebufferUpdate', update(rect(0, 0, ENCODING.qemuLedEvent, u8(4)))],
  ['DesktopName', 'framebufferUpdate', update(rect(0, 0, ENCODING.desktopName, u32(4), Buffer.from('lab1')))],
  ['LastRect ends an update of unknown length', 'framebufferUpdate', Buffer.concat([u8(0, 0), u16(0xffff), rect(1, 1, ENCODING.copyRect, u32(0)), rect(0, 0, ENCODING.lastRect)])],
  ['several rectangles', 'framebufferUpdate', update(rect(1, 1, ENCODING.raw, junk(4)), rect(2, 2, ENCODING.zrle, u32(1), junk(1)), rect(4, 4, ENCODING.tight, u8(0x80), junk(3)))],
  ['SetColourMapEntries', 'setColourMapEntries', Buffer.concat([u8(1, 0), u16(0), u16(2), junk(12)])],
  ['Bell', 'bell', u8(2)],
  ['ServerCutText', 'serverCutText', cutText('remote text')],
  ['an empty ServerCutText', 'serverCutText', cutText('')],
  ['extended ServerCutText (negative length)', 'serverCutText', extendedCutText(Buffer.concat([u32(0x10000001), junk(8)]))],
  ['EndOfContinuousUpdates', 'endOfContinuousUpdates', u8(150)],
  ['ServerFence', 'serverFence', Buffer.concat([u8(248, 0, 0, 0), u32(0x80000003), u8(3), junk(3)])],
  ['xvp', 'xvp', u8(250, 0, 1, 1)],
];

/** Feeds the stream in the given chunks; returns what was passed on and the messages seen. */
function walk(chunks: Buffer[], options: { drop?: (name: ServerMessageName) => boolean; pixelFormat?: PixelFormat } = {}) {
  const seen: string[] = [];
  const framer = new ServerMessageFramer({ ...options, onMessage: (name, dropped) => seen.push(dropped ? `-${name}` : name) });
  const passed = Buffer.concat(chunks.flatMap((chunk) => framer.push(chunk)));
  return { passed, seen, boundary: framer.atMessageBoundary };
}
const dropClipboard = (name: ServerMessageName) => name === 'serverCutText';

describe('ServerMessageFramer', () => {
  // A dropped ServerCutText after each message shows where the framer thinks the message ended, byte-exact;
  // a Bell after it shows that the framer found the next message. Split at every byte boundary.
  it.each(MESSAGES)('walks %s, split at every byte', (_what, name, message) => {
    const clipboard = cutText('secret');
    const stream = Buffer.concat([message, clipboard, u8(2)]);
    const last = message.length + clipboard.length;
    // Every boundary in the headers; a long payload is skipped by length, so its middle splits all alike.
    const splits = [...Array(last + 1).keys()].filter((split) => split < 64 || last - split < 64 || split % 997 === 0);
    for (const split of splits) {
      const result = walk([stream.subarray(0, split), stream.subarray(split)], { drop: dropClipboard });
      expect(result.seen, `split at ${split}`).toEqual([name === 'serverCutText' ? '-serverCutText' : name, '-serverCutText', 'bell']);
      expect(result.passed.equals(name === 'serverCutText' ? u8(2) : Buffer.concat([message, u8(2)])), `split at ${split}`).toBe(true);
      expect(result.boundary).toBe(true);
    }
  });

  it('passes a whole stream through untouched, however it is chunked, one byte at a time included', () => {
    const stream = Buffer.concat(MESSAGES.map(([, , bytes]) => bytes));
    for (const size of [1, 2, 3, 7, 13, 100, stream.length]) {
      const chunks = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      const result = walk(chunks);
      expect(result.passed.equals(stream)).toBe(true);
      expect(result.seen).toEqual(MESSAGES.map(([, name]) => name));
    }
  });

  it('drops every ServerCutText, classic and extended, and nothing else', () => {
    const stream = [cutText('a'), u8(2), extendedCutText(junk(20)), extendedCutText(junk(5)), update(rect(1, 1, ENCODING.raw, junk(4))), cutText('b')];
    for (const size of [1, 5, 1000]) {
      const whole = Buffer.concat(stream);
      const chunks = [];
      for (let i = 0; i < whole.length; i += size) chunks.push(whole.subarray(i, i + size));
      const result = walk(chunks, { drop: dropClipboard });
      expect(result.passed).toEqual(Buffer.concat([u8(2), stream[4]!]));
      expect(result.seen).toEqual(['-serverCutText', 'bell', '-serverCutText', '-serverCutText', 'framebufferUpdate', '-serverCutText']);
    }
  });

  it('passes the chunk itself when nothing is dropped: no copies', () => {
    const chunk = update(rect(3, 2, ENCODING.raw, junk(24)));
    const framer = new ServerMessageFramer();
    const [part] = framer.push(chunk);
    expect(part).toBe(chunk);
  });

  it.each([
    ['8 bpp', { bitsPerPixel: 8, depth: 8 }, 1, 1],
    ['16 bpp', { bitsPerPixel: 16, depth: 16 }, 2, 2],
    ['32 bpp, depth 24', { bitsPerPixel: 32, depth: 24 }, 4, 3],
    ['32 bpp, depth 32', { bitsPerPixel: 32, depth: 32 }, 4, 4],
  ])('measures Raw and Tight pixels in the viewer\'s format: %s', (_what, format, rawBytes, tightBytes) => {
    const stream = Buffer.concat([
      update(rect(5, 3, ENCODING.raw, junk(5 * 3 * rawBytes)), rect(9, 9, ENCODING.tight, u8(0x80), junk(tightBytes)),
        rect(1, 2, ENCODING.tight, u8(0x40), u8(1), u8(1), junk(2 * tightBytes), junk(2))),
      cutText('x'), u8(2),
    ]);
    expect(walk([stream], { pixelFormat: format, drop: dropClipboard }).seen).toEqual(['framebufferUpdate', '-serverCutText', 'bell']);
    const framer = new ServerMessageFramer({ drop: dropClipboard });
    framer.setPixelFormat(format);
    expect(Buffer.concat(framer.push(stream))).toEqual(Buffer.concat([stream.subarray(0, stream.length - cutText('x').length - 1), u8(2)]));
  });

  it('changes pixel format between messages, not inside an update already on its way', () => {
    const framer = new ServerMessageFramer();
    const first = update(rect(2, 1, ENCODING.raw, junk(8)));
    framer.push(first.subarray(0, 10));
    framer.setPixelFormat(16);
    const second = update(rect(2, 1, ENCODING.raw, junk(4)));
    expect(Buffer.concat(framer.push(Buffer.concat([first.subarray(10), second, u8(2)])))).toEqual(Buffer.concat([first.subarray(10), second, u8(2)]));
    expect(framer.atMessageBoundary).toBe(true);
  });

  it.each([
    ['an unknown message type', u8(77), /message type 77/],
    ['an encoding the viewer was not allowed to ask for (Hextile)', update(rect(16, 16, ENCODING.hextile, u8(1))), /encoding 5\b/],
    ['TightPNG inside Tight', update(rect(16, 16, ENCODING.tight, u8(0xa0))), /PNG/],
    ['a Tight control that does not exist', update(rect(16, 16, ENCODING.tight, u8(0xb0))), /Tight compression control 11/],
    ['a Tight filter that does not exist', update(rect(16, 16, ENCODING.tight, u8(0x40), u8(3))), /Tight filter 3/],
    ['a VMware cursor of an unknown type', update(rect(2, 2, ENCODING.vmwareCursor, u8(7, 0))), /VMware cursor of type 7/],
  ])('refuses %s', (_what, bytes, message) => {
    expect(() => new ServerMessageFramer().push(bytes)).toThrow(RfbStreamError);
    expect(() => new ServerMessageFramer().push(bytes)).toThrow(message);
  });

  it('refuses a pixel format RFB does not have', () => {
    expect(() => new ServerMessageFramer().setPixelFormat(24)).toThrow(/24 bits per pixel/);
  });
});

describe('the viewer\'s SetEncodings, cut down to what the relay walks', () => {
  // noVNC 1.7's list (core/rfb.js _sendEncodings), in its order.
  const NOVNC = [ENCODING.copyRect, ENCODING.tight, ENCODING.tightPng, ENCODING.zrle, ENCODING.jpeg, ENCODING.hextile, ENCODING.rre,
    ENCODING.zlib, ENCODING.raw, -32 + 6, -256 + 2, ENCODING.desktopSize, ENCODING.lastRect, ENCODING.qemuExtendedKeyEvent,
    ENCODING.qemuLedEvent, ENCODING.extendedDesktopSize, ENCODING.xvp, ENCODING.fence, ENCODING.continuousUpdates,
    ENCODING.desktopName, ENCODING.extendedClipboard, ENCODING.extendedMouseButtons, ENCODING.vmwareCursor, ENCODING.cursor];
  // Not the QEMU extended key event: keysyms, so the engineer's keyboard layout decides what is typed (noVNC#1886).
  const WALKED = [ENCODING.copyRect, ENCODING.tight, ENCODING.zrle, ENCODING.zlib, ENCODING.raw, -26, -254, ENCODING.desktopSize,
    ENCODING.lastRect, ENCODING.qemuLedEvent, ENCODING.extendedDesktopSize, ENCODING.xvp, ENCODING.fence,
    ENCODING.continuousUpdates, ENCODING.desktopName];
  const CURSORS = [ENCODING.vmwareCursor, ENCODING.cursor];

  it.each([
    ['noVNC\'s list, clipboard both ways', NOVNC, true, [...WALKED, ENCODING.extendedClipboard, ...CURSORS]],
    ['noVNC\'s list, clipboard one way or none', NOVNC, false, [...WALKED, ...CURSORS]],
    ['H.264 and unknown numbers', [ENCODING.h264, 12345, ENCODING.raw, -1], true, [ENCODING.raw]],
    ['TigerVNC\'s fine quality and subsampling levels', [-512, -412, -768, -763, -411, -769], true, [-512, -412, -768, -763]],
  ])('%s', (_what, requested, extendedClipboard, kept) => {
    expect(walkableEncodings(requested, { extendedClipboard })).toEqual(kept);
  });

  it('rewrites the message, and leaves one that needs no change as it is', () => {
    const message = (encodings: number[]) => Buffer.concat([u8(2, 0), u16(encodings.length), ...encodings.map(i32)]);
    expect(rewriteSetEncodings(message(NOVNC), { extendedClipboard: true })).toEqual(message([...WALKED, ENCODING.extendedClipboard, ...CURSORS]));
    const plain = message([ENCODING.zrle, ENCODING.raw]);
    expect(rewriteSetEncodings(plain, { extendedClipboard: false })).toBe(plain);
  });
});
