import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openTestCore as openCore, type TestCore as Core } from '../helpers/core';
import { startWebHost, type WebHost } from '../../main/web/server';
import { buildNodeBundles, ROOT, WEB_BUNDLE } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs('switchboard-web-');
const SECRET_OUTSIDE = 'TOP-SECRET-OUTSIDE-THE-RENDERER';
const TERMINAL_ID = '3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c';

let core: Core;
let host: WebHost;
let base = '';

beforeAll(async () => {
  const root = tempDir();
  const rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Switchboard</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1);');
  fs.writeFileSync(path.join(root, 'secret.txt'), SECRET_OUTSIDE);
  core = openCore({ dataDir: path.join(root, 'data'), mode: 'web' });
  host = await startWebHost({ core, rendererDir, port: 0 });
  base = `127.0.0.1:${host.port}`;
});
afterAll(async () => {
  await host?.close();
  core?.close();
});

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }
/** A raw GET: the path is sent exactly as given (no normalisation), with any Host header. */
function get(requestPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: requestPath, headers: { host: base, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`no answer to GET ${requestPath} within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP', () => {
  it('the printed URL serves index.html with a CSP and no-store', async () => {
    expect(host.url).toBe(`http://${base}/${host.token}/`);
    const reply = await get(`/${host.token}/`);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<title>Switchboard</title>');
    expect(reply.headers['content-security-policy']).toMatch(/default-src 'none'.*script-src 'self'/);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect((await get(`/${host.token}/assets/app.js`)).headers['content-type']).toMatch(/^text\/javascript/);
  });

  it.each([
    ['no token', () => '/'],
    ['no token, a file', () => '/index.html'],
    ['a wrong token', () => `/${'x'.repeat(32)}/`],
    ['the token with one character changed', () => `/${host.token.slice(0, -1)}${host.token.endsWith('A') ? 'B' : 'A'}/`],
    ['a token prefix', () => `/${host.token.slice(0, 10)}/`],
  ])('%s → 403', async (_what, requestPath) => {
    const reply = await get(requestPath());
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('<title>');
  });

  it.each([['evil.example'], [`evil.example:${0}`], [`localhost:PORT`], ['127.0.0.1'], ['[::1]:PORT']])('the right token with Host: %s → 403 (DNS rebinding)', async (hostHeader) => {
    const reply = await get(`/${host.token}/`, { host: hostHeader.replace('PORT', String(host.port)) });
    expect(reply.status).toBe(403);
  });

  it.each([
    (t: string) => `/${t}/../../etc/passwd`,
    (t: string) => `/${t}/../../../../../../etc/passwd`,
    (t: string) => `/${t}/%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
    (t: string) => `/${t}/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
    (t: string) => `/${t}/..%2f..%2f..%2f..%2fetc%2fpasswd`,
    (t: string) => `/${t}/..%2fsecret.txt`,
    (t: string) => `/${t}/%2e%2e%2fsecret.txt`,
    (t: string) => `/${t}/assets/..%2f..%2fsecret.txt`,
    (t: string) => `/${t}/%2fetc%2fpasswd`,
    (t: string) => `/${t}/..%5csecret.txt`,
    (t: string) => `/${t}/..`,
  ])('path traversal %# never serves a file outside the renderer', async (makePath) => {
    const reply = await get(makePath(host.token));
    expect([400, 403, 404]).toContain(reply.status);
    expect(reply.body).not.toContain(SECRET_OUTSIDE);
    expect(reply.body).not.toMatch(/root:.*:0:0:/);
  });

  it('a malformed escape is a 400, and the host keeps serving', async () => {
    expect((await get(`/${host.token}/%E0%A4%A`)).status).toBe(400);
    expect((await get(`/${host.token}/`)).status).toBe(200);
  });

  it('only GET and HEAD', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: host.port, path: `/${host.token}/`, method: 'POST', headers: { host: base } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(status).toBe(405);
  });

  it('listens on 127.0.0.1 only', async () => {
    const others = ['::1', ...Object.values(os.networkInterfaces()).flat().filter((i) => i && !i.internal).map((i) => i!.address)];
    for (const address of others) {
      const connected = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: address, port: host.port });
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      expect(connected, `${address}:${host.port} accepted a connection`).toBe(false);
    }
  });
});

describe('WebSocket', () => {
  function connect(options: { token?: string; origin?: string; pathName?: string } = {}): Promise<WebSocket> {
    const url = `ws://${base}/${options.token ?? host.token}/${options.pathName ?? 'api'}`;
    const ws = new WebSocket(url, { headers: { origin: options.origin ?? `http://${base}` } });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`unexpected-response ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }
  function ask(ws: WebSocket, message: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${message} within 5 s`)), 5000);
      ws.once('message', (data) => {
        clearTimeout(timer);
        resolve(JSON.parse(data.toString()) as Record<string, unknown>);
      });
      ws.send(message);
    });
  }

  it('answers a contract call from this origin', async () => {
    const ws = await connect();
    expect(await ask(ws, JSON.stringify({ id: 1, method: 'customers.list', input: {} }))).toEqual({ id: 1, ok: true, value: [] });
    const created = await ask(ws, JSON.stringify({ id: 2, method: 'customers.create', input: { name: 'Acme', package: 'premium', timezone: 'UTC', workdays: ['mon'], holidays: [], contacts: [] } }));
    expect(created).toMatchObject({ id: 2, ok: true, value: { name: 'Acme' } });
    expect(await ask(ws, JSON.stringify({ id: 3, method: 'nope', input: {} }))).toMatchObject({ id: 3, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    ws.close();
  });

  it.each([
    ['another origin', { origin: 'http://evil.example' }],
    ['the same host on another port', { origin: 'http://127.0.0.1:1' }],
    ['localhost instead of 127.0.0.1', { origin: 'http://localhost:PORT' }],
    ['a wrong token', { token: 'x'.repeat(32) }],
    ['a path other than /api', { pathName: 'rpc' }],
    ['a terminal from another origin', { origin: 'http://evil.example', pathName: `terminal/${TERMINAL_ID}` }],
    ['a terminal with a wrong token', { token: 'x'.repeat(32), pathName: `terminal/${TERMINAL_ID}` }],
    ['a terminal id that is not a session id', { pathName: 'terminal/..%2Fapi' }],
    ['a terminal path with more segments', { pathName: `terminal/${TERMINAL_ID}/x` }],
  ])('is refused with 403 for %s', async (_what, options) => {
    const fixed = 'origin' in options ? { origin: options.origin!.replace('PORT', String(host.port)) } : options;
    await expect(connect(fixed)).rejects.toThrow('unexpected-response 403');
  });

  it('closes the byte stream of a terminal that does not exist with 4404', async () => {
    const ws = await connect({ pathName: `terminal/${TERMINAL_ID}` });
    const [code] = await new Promise<[number, string]>((resolve) => ws.once('close', (c, reason) => resolve([c, reason.toString()])));
    expect(code).toBe(4404);
  });

  it.each([['not json'], ['{"id": 1, '], ['null'], ['42'], ['"customers.list"'], ['[]']])('answers %j with an error and stays up', async (message) => {
    const ws = await connect();
    const reply = await ask(ws, message);
    expect(reply.ok).toBe(false);
    expect(await ask(ws, JSON.stringify({ id: 9, method: 'customers.list', input: {} }))).toMatchObject({ id: 9, ok: true });
    ws.close();
  });
});

describe('node out/main/web.cjs', () => {
  beforeAll(() => buildNodeBundles());

  const freePort = () =>
    new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });

  /** Starts the host, collects its output for a moment after the first line, then stops it. */
  async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string; code: number | null }> {
    const child = spawn(process.execPath, [WEB_BUNDLE, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 15_000;
    while (!stdout.includes('\n') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    if (child.exitCode === null) child.kill('SIGTERM');
    return { stdout, stderr, code: await exited };
  }

  it('--port prints exactly one line with the URL on that port', async () => {
    const port = await freePort();
    const result = await run(['--port', String(port), '--data-dir', tempDir()]);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([expect.stringMatching(new RegExp(`http://127\\.0\\.0\\.1:${port}/[A-Za-z0-9_-]{32}/$`))]);
    expect(result.code).toBe(0);
  });

  it('SWITCHBOARD_PORT is honoured', async () => {
    const port = await freePort();
    const result = await run(['--data-dir', tempDir()], { SWITCHBOARD_PORT: String(port) });
    expect(result.stdout).toContain(`http://127.0.0.1:${port}/`);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a port that is not a number → exit 2', async () => {
    const result = await run(['--port', '70000', '--data-dir', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"70000" is not a port number/);
  });

  it('a port already in use → exit 1 with a hint', async () => {
    const result = await run(['--port', String(host.port), '--data-dir', tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`port ${host.port} is already in use; pick another with --port`));
  });
});
