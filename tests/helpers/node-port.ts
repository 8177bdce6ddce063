import type { MessagePort } from 'node:worker_threads';
import type { PortEnd } from '../../main/electron/terminal-port-link';

/** The core's end of a Node MessageChannel, shaped as main/electron wraps Electron's MessagePortMain. */
export function nodePortEnd(port: MessagePort): PortEnd {
  return {
    post: (data) => port.postMessage(data),
    onMessage: (listener) => port.on('message', listener),
    onClose: (listener) => port.on('close', listener),
    start: () => port.start(),
    close: () => port.close(),
  };
}
