import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Framebuffer } from '../../main/core/vnc/framebuffer';
import { encodePng } from '../../main/core/vnc/png';
import { decodePng } from '../helpers/png';

/** The snapshot's framebuffer and PNG writer (issue 10): pure, so their edge cases are data here. */

/** A framebuffer whose pixel (x, y) has red x and green y (blue 0): every pixel tells where it came from. */
function numbered(width: number, height: number): Framebuffer {
  const framebuffer = new Framebuffer(width, height);
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set([x, y, 0, 0], (y * width + x) * 4); // R, G, B, x
  framebuffer.putRaw(0, 0, width, height, pixels);
  return framebuffer;
}
const origin = (framebuffer: Framebuffer, x: number, y: number) => {
  const at = (y * framebuffer.width + x) * 4;
  return [framebuffer.rgba[at], framebuffer.rgba[at + 1]];
};

describe('Framebuffer', () => {
  it('stores Raw R,G,B,x pixels as opaque RGBA', () => {
    const framebuffer = new Framebuffer(3, 2);
    framebuffer.putRaw(1, 1, 2, 1, Buffer.from([0x3a, 0x6e, 0xa5, 0x00, 1, 2, 3, 0x7f]));
    expect([...framebuffer.rgba]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x3a, 0x6e, 0xa5, 255, 1, 2, 3, 255]);
  });

  // Overlapping copies must behave as if through a temporary copy (RFB 7.7.2), in every direction.
  it.each([
    ['down', { x: 0, y: 1, srcX: 0, srcY: 0 }],
    ['up', { x: 0, y: 0, srcX: 0, srcY: 1 }],
    ['right', { x: 1, y: 0, srcX: 0, srcY: 0 }],
    ['left', { x: 0, y: 0, srcX: 1, srcY: 0 }],
    ['down and right', { x: 2, y: 2, srcX: 1, srcY: 1 }],
  ])('copies an overlapping CopyRect %s as if through a temporary copy', (_direction, { x, y, srcX, srcY }) => {
    const framebuffer = numbered(8, 8);
    framebuffer.copyRect(x, y, 5, 5, srcX, srcY);
    for (let row = 0; row < 5; row++) for (let col = 0; col < 5; col++) {
      expect(origin(framebuffer, x + col, y + row), `pixel ${x + col},${y + row}`).toEqual([srcX + col, srcY + row]);
    }
  });

  it('is complete once every pixel was painted, and starts over after a resize', () => {
    const framebuffer = new Framebuffer(4, 2);
    framebuffer.putRaw(0, 0, 4, 1, Buffer.alloc(16));
    framebuffer.putRaw(0, 0, 4, 1, Buffer.alloc(16)); // painting twice counts once
    expect([framebuffer.complete, framebuffer.progress]).toEqual([false, 0.5]);
    framebuffer.copyRect(0, 1, 4, 1, 0, 0);
    expect(framebuffer.complete).toBe(true);
    framebuffer.resize(3, 3);
    expect([framebuffer.complete, framebuffer.progress, framebuffer.rgba.length]).toEqual([false, 0, 36]);
  });

  it.each([
    ['a Raw rectangle past the right edge', (f: Framebuffer) => f.putRaw(3, 0, 2, 1, Buffer.alloc(8)), 'a Raw rectangle of 2x1 at 3,0, beyond the 4x2 screen'],
    ['a Raw rectangle with too few pixels', (f: Framebuffer) => f.putRaw(0, 0, 2, 1, Buffer.alloc(4)), 'a 2x1 Raw rectangle needs 8 bytes, not 4'],
    ['a CopyRect from below the screen', (f: Framebuffer) => f.copyRect(0, 0, 1, 1, 0, 2), 'the source of a CopyRect rectangle of 1x1 at 0,2, beyond the 4x2 screen'],
  ])('refuses %s', (_name, paint, message) => {
    expect(() => paint(new Framebuffer(4, 2))).toThrow(new RangeError(message));
  });
});

describe('encodePng', () => {
  const [NONE, SUB] = [0, 1];
  it.each([
    ['a flat colour', 16, 9, () => [0x3a, 0x6e, 0xa5, 255], SUB],
    ['a gradient', 64, 3, (x: number, y: number) => [x * 4, y * 80, 255 - x, 255], SUB],
    ['dark stripes', 33, 7, (x: number) => (x % 2 ? [90, 100, 110, 255] : [0, 0, 0, 255]), NONE],
    ['noise', 29, 5, (x: number, y: number) => [(x * 7919 + y * 104729) % 251, (x * 31 + y * 17) % 256, (x ^ y) * 5, 255], SUB],
    ['one pixel', 1, 1, () => [1, 2, 3, 255], NONE],
  ])('round-trips %s through a PNG reader of its own, each row filtered the cheaper way', (_name, width, height, colour, filter) => {
    const rgba = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set(colour(x, y), (y * width + x) * 4);
    const png = encodePng(width, height, rgba);
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([width, height]);
    expect(image.rgba.equals(rgba)).toBe(true);
    const rows = inflateSync(png.subarray(8 + 25 + 8, png.length - 12 - 4)); // the one IDAT's data
    expect(Array.from({ length: height }, (_, y) => rows[y * (width * 4 + 1)])).toEqual(Array(height).fill(filter));
  });

  it('refuses pixels that do not fill the size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow('2x2 RGBA pixels are 16 bytes, not 15');
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow('a PNG must be at least 1x1 pixels, not 0x2');
  });
});
