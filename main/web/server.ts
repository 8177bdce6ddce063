import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core';
import { CONTENT_SECURITY_POLICY } from './csp';
import { serveTerminal, TERMINAL_PATH } from './terminal-socket';
import { serveVnc, VNC_PATH } from './vnc-socket';

/**
 * Browser mode: the same renderer and the same core, over one loopback WebSocket. Every request
 * must carry the per-launch token as the first path segment and name this very host (DNS
 * rebinding); the WebSocket must also come from this origin. Nothing listens beyond 127.0.0.1.
 */
export interface WebHost { url: string; port: number; token: string; close(): Promise<void> }

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json', '.ico': 'image/x-icon',
};

const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebHost(options: { core: Core; rendererDir: string; port: number }): Promise<WebHost> {
  const token = randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  let origin = '';
  let hostHeader = '';

  const authorised = (req: http.IncomingMessage): string | null => {
    if (req.headers.host !== hostHeader) return null;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      return null;
    }
    const [first, ...rest] = url.pathname.split('/').filter(Boolean);
    if (!first || !sameToken(first, token)) return null;
    return `/${rest.join('/')}`;
  };

  const server = http.createServer((req, res) => {
    const rest = authorised(req);
    if (rest === null) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden: open the exact URL that `npm run web` printed.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let relative: string;
    try {
      relative = rest === '/' ? 'index.html' : decodeURIComponent(rest.slice(1));
    } catch {
      // A malformed escape (%E0%A4%A) must not throw out of the handler and take the host down.
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request\n');
      return;
    }
    const file = path.resolve(rendererDir, relative);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const rest = authorised(req);
    const terminal = rest === null ? null : TERMINAL_PATH.exec(rest);
    const vnc = rest === null ? null : VNC_PATH.exec(rest);
    if ((rest !== '/api' && !terminal && !vnc) || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (terminal) serveTerminal(ws, options.core.terminals, terminal[1]!);
      else if (vnc) serveVnc(ws, options.core.vnc, vnc[1]!);
      else serve(ws, options.core);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hostHeader = `127.0.0.1:${port}`;
  origin = `http://${hostHeader}`;
  return {
    url: `${origin}/${token}/`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function serve(ws: WebSocket, core: Core): void {
  ws.on('message', async (data) => {
    let request: { id?: unknown; method?: unknown; input?: unknown };
    try {
      request = JSON.parse(data.toString()) as typeof request;
    } catch {
      ws.send(JSON.stringify({ id: null, ok: false, error: { code: 'INVALID_INPUT', message: 'The message was not JSON.' } }));
      return;
    }
    if (typeof request !== 'object' || request === null) {
      // JSON.parse('null') is valid JSON; reading .method from it would reject unhandled and end the process.
      ws.send(JSON.stringify({ id: null, ok: false, error: { code: 'INVALID_INPUT', message: 'The message was not a JSON object.' } }));
      return;
    }
    const result = await core.dispatch(String(request.method), request.input);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id, ...result }));
  });
}
