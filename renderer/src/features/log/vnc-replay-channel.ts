/**
 * The server side of a VNC replay, in the WebSocket shape noVNC accepts as a channel (as
 * renderer/src/api/vnc-channel.ts is for live sessions). It greets noVNC as an RFB 3.8 server offering
 * only security type None, answers with the recording's ServerInit, and from then on passes it the
 * recorded server bytes it is fed. What noVNC sends after ClientInit (its pixel format, encodings and
 * update requests) is read and dropped: the recording already holds the server's answers to the
 * recorded viewer's requests, which asked for the same pixel format noVNC does.
 */
import { NoVncChannel, sentBytes } from '../../api/novnc-channel';

const VERSION = 'RFB 003.008\n';
const SECURITY_NONE = 1;

type Stage = 'greeting' | 'version' | 'security' | 'clientInit' | 'serverInit' | 'streaming' | 'closed';

export class ReplayChannel extends NoVncChannel {
  private stage: Stage = 'greeting';
  /** What noVNC has sent in the handshake and this side has not read yet. */
  private fromViewer = new Uint8Array(0);
  /** Recorded bytes fed before the handshake finished; handed over right after ServerInit. */
  private waiting: Uint8Array[] = [];
  private handshakeDone!: () => void;
  /** Resolves when noVNC has had the ServerInit: from then on fed bytes reach it at once. */
  readonly streaming = new Promise<void>((resolve) => (this.handshakeDone = resolve));

  /** `onFailure` hears a viewer that did not answer as an RFB 3.8 client choosing None would. */
  constructor(private readonly serverInit: Uint8Array, private readonly onFailure: (why: string) => void = () => undefined) {
    super();
  }

  /** noVNC reads 'open' as a data channel's state: it starts its handshake as soon as it is attached. */
  get readyState(): string { return this.stage === 'closed' ? 'closed' : 'open'; }

  /** Call once noVNC has attached (right after `new RFB(…, channel)`): sends the server's greeting. */
  start(): void {
    if (this.stage !== 'greeting') return;
    this.stage = 'version';
    this.deliver(new TextEncoder().encode(VERSION));
  }

  /** Recorded server → viewer bytes, in order. */
  feed(data: Uint8Array): void {
    if (this.stage === 'closed' || data.length === 0) return;
    if (this.stage !== 'streaming') this.waiting.push(data);
    else this.deliver(data);
  }

  send(data: ArrayBuffer | ArrayBufferView): void {
    if (this.stage === 'streaming' || this.stage === 'closed') return;
    const view = sentBytes(data);
    const joined = new Uint8Array(this.fromViewer.length + view.length);
    joined.set(this.fromViewer);
    joined.set(view, this.fromViewer.length);
    this.fromViewer = joined;
    this.answer();
  }

  close(): void {
    if (this.stage === 'closed') return;
    this.stage = 'closed';
    this.waiting = [];
    // A real socket reports its close later, not inside close(); noVNC's disconnect expects that.
    setTimeout(() => this.onclose?.({ code: 1000, reason: 'replay closed', wasClean: true }), 0);
  }

  /** Answers each complete client handshake message; noVNC sends them one at a time, each after our last. */
  private answer(): void {
    if (this.stage === 'version' && this.fromViewer.length >= VERSION.length) {
      const version = new TextDecoder().decode(this.take(VERSION.length));
      if (version !== VERSION) return this.fail(`the viewer answered the greeting with ${JSON.stringify(version)}, not RFB 3.8`);
      this.stage = 'security';
      this.deliver(Uint8Array.of(1, SECURITY_NONE));
    }
    if (this.stage === 'security' && this.fromViewer.length >= 1) {
      const choice = this.take(1)[0];
      if (choice !== SECURITY_NONE) return this.fail(`the viewer chose security type ${choice}, not None`);
      this.stage = 'clientInit';
      this.deliver(new Uint8Array(4));
    }
    if (this.stage === 'clientInit' && this.fromViewer.length >= 1) {
      this.take(1);
      this.stage = 'serverInit';
      this.fromViewer = new Uint8Array(0);
      queueMicrotask(() => {
        if (this.stage !== 'serverInit') return;
        this.stage = 'streaming';
        this.deliver(this.serverInit);
        for (const data of this.waiting.splice(0)) this.deliver(data);
        this.handshakeDone();
      });
    }
  }

  private take(bytes: number): Uint8Array {
    const taken = this.fromViewer.slice(0, bytes);
    this.fromViewer = this.fromViewer.slice(bytes);
    return taken;
  }

  /**
   * noVNC copies what it receives into its own queue; a fresh buffer each time keeps the recording's
   * bytes out of its hands. Handshake answers go out from a microtask: noVNC calls send() from inside
   * its message handler, which must return before the next message comes.
   */
  private deliver(data: Uint8Array): void {
    const copy = data.slice().buffer;
    if (this.stage === 'streaming') this.onmessage?.({ data: copy });
    else queueMicrotask(() => { if (this.stage !== 'closed') this.onmessage?.({ data: copy }); });
  }

  private fail(why: string): void {
    this.close();
    this.onFailure(why);
  }
}
