/**
 * A terminal's byte channel, off the window's main thread: the WebSocket (browser mode) or the
 * MessagePort main handed over (the desktop window) is read here, and the output reaches the window
 * joined and paced (terminal-pump.ts).
 */
import { portCarrier, socketCarrier, type Carrier, type CarrierEvents } from './channel-carriers';
import { TerminalPump } from './terminal-pump';
import type { TerminalWorkerCommand, TerminalWorkerEvent } from './terminal-worker-protocol';

interface WorkerScope {
  postMessage(message: TerminalWorkerEvent, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<TerminalWorkerCommand>) => void) | null;
  close(): void;
}
const scope = self as unknown as WorkerScope;

function post(event: TerminalWorkerEvent): void {
  if (event.type !== 'bytes') return scope.postMessage(event, []);
  const { data } = event;
  // Handed over, not copied: a buffer the bytes fill whole is transferred (a view into a larger one is copied first).
  const owned = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  scope.postMessage({ type: 'bytes', data: owned }, [owned.buffer]);
}

/** The channel to the core, whichever carries it; frames sent before it is there wait. */
let channel: Carrier | null = null;
const waiting: Array<string | Uint8Array> = [];
let ended = false;

const pump = new TerminalPump({
  toCore: (frame) => { if (channel) channel.send(frame); else waiting.push(frame); },
  toWindowBytes: (data) => post({ type: 'bytes', data }),
  toWindowText: (text) => post({ type: 'text', text }),
});

function end(reason: string, code: number | null): void {
  if (ended) return;
  ended = true;
  pump.ended();
  pump.close();
  post({ type: 'ended', reason, code });
  scope.close();
}

const fromCore: CarrierEvents = { bytes: (data) => pump.output(data), text: (text) => pump.text(text), ended: end };

function attach(opened: Carrier): void {
  channel = opened;
  for (const frame of waiting.splice(0)) opened.send(frame);
}

scope.onmessage = (event) => {
  const command = event.data;
  switch (command.type) {
    case 'socket': return attach(socketCarrier(command.url, fromCore));
    case 'port': return attach(portCarrier(command.port, fromCore));
    case 'send': return pump.send(command.frame);
    case 'written': return pump.written();
    case 'close':
      pump.close();
      channel?.close();
      return scope.close();
  }
};
