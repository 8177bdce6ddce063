import { describe, expect, it } from 'vitest';
import { ClientMessageFramer, MAX_CUT_TEXT, RfbStreamError } from '../../main/core/vnc/client-messages';

const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };
const i32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };

/** One message of each kind noVNC sends, as bytes. */
const MESSAGES: [string, Buffer][] = [
  ['setPixelFormat', Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.alloc(16, 7)])],
  ['setEncodings', Buffer.concat([Buffer.from([2, 0]), u16(3), i32(7), i32(16), i32(-223)])],
  ['framebufferUpdateRequest', Buffer.concat([Buffer.from([3, 1]), u16(0), u16(0), u16(640), u16(480)])],
  ['keyEvent', Buffer.concat([Buffer.from([4, 1, 0, 0]), u32(0x61)])],
  ['pointerEvent', Buffer.concat([Buffer.from([5, 1]), u16(10), u16(20)])],
  ['clientCutText', Buffer.concat([Buffer.from([6, 0, 0, 0]), u32(5), Buffer.from('hello')])],
  ['clientCutText', Buffer.concat([Buffer.from([6, 0, 0, 0]), i32(-4), Buffer.from([0, 0, 0, 1])])],
  ['enableContinuousUpdates', Buffer.concat([Buffer.from([150, 1]), u16(0), u16(0), u16(640), u16(480)])],
  ['fence', Buffer.concat([Buffer.from([248, 0, 0, 0]), u32(0x80000003), Buffer.from([2]), Buffer.from([9, 9])])],
  ['xvp', Buffer.from([250, 0, 1, 2])],
  ['setDesktopSize', Buffer.concat([Buffer.from([251, 0]), u16(800), u16(600), Buffer.from([1, 0]), Buffer.alloc(16, 1)])],
  ['qemu', Buffer.concat([Buffer.from([255, 0]), u16(1), u32(0x61), u32(30)])],
];

describe('ClientMessageFramer', () => {
  it.each(MESSAGES)('cuts out a whole %s', (name, bytes) => {
    const framer = new ClientMessageFramer();
    expect(framer.push(bytes)).toEqual([{ type: bytes[0], name, bytes }]);
    expect(framer.buffered).toBe(0);
  });

  it('finds the same messages however the stream is chunked, one byte at a time included', () => {
    const stream = Buffer.concat(MESSAGES.map(([, b]) => b));
    for (const size of [1, 2, 3, 5, 7, 13, stream.length]) {
      const framer = new ClientMessageFramer();
      const seen = [];
      for (let i = 0; i < stream.length; i += size) seen.push(...framer.push(stream.subarray(i, i + size)));
      expect(seen.map((m) => m.name)).toEqual(MESSAGES.map(([name]) => name));
      expect(Buffer.concat(seen.map((m) => m.bytes))).toEqual(stream);
    }
  });

  it('keeps its own copy: the viewer may reuse its send buffer at once', () => {
    const framer = new ClientMessageFramer();
    const buffer = Buffer.concat([Buffer.from([4, 1, 0, 0]), u32(0x61)]);
    const [message] = framer.push(buffer);
    buffer.fill(0);
    expect(message!.bytes[0]).toBe(4);
  });

  it.each([
    ['an unknown message type', Buffer.from([77, 0, 0, 0]), /message type 77/],
    ['a QEMU audio message', Buffer.from([255, 1, 0, 0]), /QEMU client message 1/],
    ['a clipboard too large', Buffer.concat([Buffer.from([6, 0, 0, 0]), u32(MAX_CUT_TEXT + 1)]), /clipboard text/],
  ])('refuses %s', (_what, bytes, message) => {
    expect(() => new ClientMessageFramer().push(bytes)).toThrow(RfbStreamError);
    expect(() => new ClientMessageFramer().push(bytes)).toThrow(message);
  });
});
