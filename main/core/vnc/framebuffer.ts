/**
 * The client's copy of a VNC screen as RGBA, filled by FramebufferUpdate rectangles, and which pixels
 * the server has painted since the last resize — a snapshot is done once every pixel has been.
 * Pixels arrive in the format the snapshot asked for: 32 bits, little-endian, red/green/blue shifts
 * 0/8/16, so each is the bytes R, G, B, unused.
 */
export class Framebuffer {
  rgba: Buffer;
  private painted: Uint8Array;
  private unpainted: number;

  constructor(public width: number, public height: number) {
    this.rgba = Buffer.alloc(width * height * 4);
    this.painted = new Uint8Array(width * height);
    this.unpainted = width * height;
  }

  /** Every pixel has been painted at least once since the screen got its current size. */
  get complete(): boolean {
    return this.unpainted === 0;
  }

  /** The share of the screen painted so far, 0 to 1. */
  get progress(): number {
    return 1 - this.unpainted / (this.width * this.height);
  }

  /** DesktopSize: a new, unpainted screen. */
  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.rgba = Buffer.alloc(width * height * 4);
    this.painted = new Uint8Array(width * height);
    this.unpainted = width * height;
  }

  /** A Raw rectangle: `pixels` holds w*h 4-byte R,G,B,x pixels, row by row. */
  putRaw(x: number, y: number, w: number, h: number, pixels: Uint8Array): void {
    this.check(x, y, w, h, 'a Raw rectangle');
    if (pixels.length !== w * h * 4) throw new RangeError(`a ${w}x${h} Raw rectangle needs ${w * h * 4} bytes, not ${pixels.length}`);
    const { rgba } = this;
    for (let row = 0; row < h; row++) {
      const to = ((y + row) * this.width + x) * 4;
      rgba.set(pixels.subarray(row * w * 4, (row + 1) * w * 4), to);
      for (let alpha = to + 3; alpha < to + w * 4; alpha += 4) rgba[alpha] = 255;
    }
    this.paint(x, y, w, h);
  }

  /** A CopyRect rectangle: the w*h area at (srcX, srcY) copied to (x, y), as if through a temporary copy. */
  copyRect(x: number, y: number, w: number, h: number, srcX: number, srcY: number): void {
    this.check(x, y, w, h, 'a CopyRect rectangle');
    this.check(srcX, srcY, w, h, 'the source of a CopyRect rectangle');
    const stride = this.width * 4;
    const rowBytes = w * 4;
    // Rows are copied in the order that never overwrites a source row before it is read.
    const downwards = srcY >= y;
    for (let i = 0; i < h; i++) {
      const row = downwards ? i : h - 1 - i;
      const from = (srcY + row) * stride + srcX * 4;
      this.rgba.copyWithin((y + row) * stride + x * 4, from, from + rowBytes);
    }
    this.paint(x, y, w, h);
  }

  private paint(x: number, y: number, w: number, h: number): void {
    if (this.unpainted === 0) return;
    for (let row = y; row < y + h; row++) {
      const start = row * this.width + x;
      for (let i = start; i < start + w; i++) {
        if (this.painted[i] === 0) {
          this.painted[i] = 1;
          this.unpainted--;
        }
      }
    }
  }

  private check(x: number, y: number, w: number, h: number, what: string): void {
    if (x + w > this.width || y + h > this.height) {
      throw new RangeError(`${what} of ${w}x${h} at ${x},${y}, beyond the ${this.width}x${this.height} screen`);
    }
  }
}
