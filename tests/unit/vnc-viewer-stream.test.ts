import { describe, expect, it } from 'vitest';
import { ViewerStream, type VncCarrier } from '../../main/core/vnc/vnc-link';

/** A carrier that says a frame has left only when the test lets it (a WebSocket's write callback, a port's next turn). */
function slowCarrier() {
  const frames: Buffer[] = [];
  const pending: Array<() => void> = [];
  const carrier: VncCarrier = { send: (frame, sent) => { frames.push(frame as Buffer); if (sent) pending.push(sent); }, close: () => {}, open: true };
  return { carrier, frames, release: () => { for (const sent of pending.splice(0)) sent(); } };
}

describe('the relay\'s view of the window (ViewerStream)', () => {
  it('joins what was written while a frame was on its way into one frame, in order', async () => {
    const { carrier, frames, release } = slowCarrier();
    const stream = new ViewerStream(carrier);
    for (let i = 0; i < 300; i++) stream.write(Buffer.from([i & 0xff]));
    expect(frames).toHaveLength(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(frames).toHaveLength(2);
    expect(Buffer.concat(frames)).toEqual(Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff)));
  });

  it('holds the writer back (write returns false) while the window lags', () => {
    const { carrier } = slowCarrier();
    const stream = new ViewerStream(carrier);
    expect(stream.write(Buffer.alloc(512 * 1024))).toBe(true);
    expect(stream.write(Buffer.alloc(1024 * 1024))).toBe(false);
  });
});
