/**
 * A terminal's byte channel, off the window's main thread: the WebSocket (browser mode) or the
 * MessagePort main handed over (the desktop window) is read here, and the output reaches the window
 * joined and paced (terminal-pump.ts).
 */
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

/** The channel to the core, whichever carries it; frames sent before it is open wait. */
let sendToCore: (frame: string | Uint8Array) => void = (frame) => waiting.push(frame);
let closeChannel: () => void = () => undefined;
const waiting: Array<string | Uint8Array> = [];
let ended = false;

const pump = new TerminalPump({
  toCore: (frame) => sendToCore(frame),
  toWindowBytes: (data) => post({ type: 'bytes', data }),
  toWindowText: (text) => post({ type: 'text', text }),
});

function fromCore(data: unknown): void {
  if (typeof data === 'string') pump.text(data);
  else if (data instanceof ArrayBuffer) pump.output(new Uint8Array(data));
  else if (data instanceof Uint8Array) pump.output(data);
}

function end(reason: string, code: number | null): void {
  if (ended) return;
  ended = true;
  pump.ended();
  pump.close();
  post({ type: 'ended', reason, code });
  scope.close();
}

function openSocket(url: string): void {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => {
    sendToCore = (frame) => { if (socket.readyState === WebSocket.OPEN) socket.send(frame); };
    for (const frame of waiting.splice(0)) socket.send(frame);
  };
  socket.onmessage = (event: MessageEvent<unknown>) => fromCore(event.data);
  socket.onclose = (event) => end(event.reason || 'The connection to the Switchboard host closed.', event.code);
  closeChannel = () => socket.close();
}

function openPort(port: MessagePort): void {
  port.onmessage = (event: MessageEvent<unknown>) => fromCore(event.data);
  port.start();
  sendToCore = (frame) => port.postMessage(frame);
  for (const frame of waiting.splice(0)) port.postMessage(frame);
  closeChannel = () => port.close();
}

scope.onmessage = (event) => {
  const command = event.data;
  switch (command.type) {
    case 'socket': return openSocket(command.url);
    case 'port': return openPort(command.port);
    case 'send': return pump.send(command.frame);
    case 'written': return pump.written();
    case 'close':
      pump.close();
      closeChannel();
      return scope.close();
  }
};
