import RFB from '@novnc/novnc';
import { ReplayChannel } from './vnc-replay-channel';
import type { VncReplaySink } from './vnc-replay-controller';

/**
 * The replay's noVNC: view-only, scaled to fit `host`, fed by a ReplayChannel. Each reset replaces
 * viewer and channel with fresh ones (noVNC's decoders cannot be rewound).
 */
export class NoVncReplaySink implements VncReplaySink {
  private rfb: RFB | null = null;
  private channel: ReplayChannel | null = null;

  /** `onFailure` hears noVNC giving up on the stream (a recording it cannot decode). */
  constructor(private readonly host: HTMLElement, private readonly serverInit: Uint8Array, private readonly onFailure: (why: string) => void) {}

  reset(): void {
    this.dispose();
    const screen = document.createElement('div');
    screen.style.width = '100%';
    screen.style.height = '100%';
    this.host.replaceChildren(screen);
    const channel = new ReplayChannel(this.serverInit, (why) => this.onFailure(`The player could not start: ${why}.`));
    const rfb = new RFB(screen, channel, { shared: true });
    rfb.viewOnly = true;
    rfb.scaleViewport = true;
    rfb.focusOnClick = false;
    rfb.background = 'transparent';
    rfb.addEventListener('disconnect', (event) => {
      if (this.rfb === rfb && !event.detail.clean) this.onFailure('The player stopped: noVNC could not decode the recorded stream from here on.');
    });
    this.rfb = rfb;
    this.channel = channel;
    channel.start();
  }

  feed(data: Uint8Array): void {
    this.channel?.feed(data);
  }

  async settle(): Promise<void> {
    await this.channel?.streaming;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  dispose(): void {
    const rfb = this.rfb;
    this.rfb = null;
    this.channel = null;
    rfb?.disconnect();
  }
}
