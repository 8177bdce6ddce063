// Diagnostics for bench/vnc-relay.mjs (--paths …,node-ws): the least a Node relay does, to split the
// Switchboard path's cost into what Node + ws cost by themselves and what the relay adds. Each WebSocket gets
// a TCP connection to the VNC server; binary messages one way, socket chunks the other, ws.send's callback
// pausing the socket (the same backpressure shape as the core's ViewerStream). No framing, no recording.
//   node bench/lib/vnc-bare-relay.mjs <listen port> <vnc port>
import net from 'node:net';
import { requireHere } from './bundle.mjs';

const [listenPort, vncPort] = process.argv.slice(2).map(Number);
const { WebSocketServer } = requireHere('ws');
const wss = new WebSocketServer({ host: '127.0.0.1', port: listenPort });
wss.on('connection', (ws) => {
  const server = net.connect(vncPort, '127.0.0.1');
  let unsent = 0;
  server.on('data', (chunk) => {
    unsent += chunk.length;
    if (unsent > 1024 * 1024) server.pause();
    ws.send(chunk, { binary: true }, () => { unsent -= chunk.length; if (unsent <= 1024 * 1024) server.resume(); });
  });
  ws.on('message', (data) => server.write(data));
  ws.on('close', () => server.destroy());
  server.on('close', () => ws.close());
  server.on('error', () => ws.close());
});
wss.on('listening', () => console.log(`bare relay listening on ${listenPort}`));
