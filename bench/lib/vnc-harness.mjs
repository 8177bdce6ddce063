// Set-up for the VNC benchmark (bench/vnc-relay.mjs). Not part of the test suite. Needs a keyring session
// (scripts/with-keyring.sh: the VNC password goes into the keychain) and Xvnc, xsetroot, xterm, websockify, Chromium.
//
// What it starts, all torn down by cleanup():
// - a TigerVNC Xvnc (VncAuth, like tests/helpers/xvnc.ts) at 1920×1080, depth 24, and, on demand, a picture
//   that keeps changing: xsetroot tiling the root with one of a few random full-screen XBMs, in new colours, back to back;
// - the browser-mode web host bundled from main/web/main.ts (as bench/lib/terminal-harness.mjs does), serving the
//   benchmark's page from its renderer dir, so the page's WebSocket to /<token>/vnc/<id> has the host's origin;
//   with SWITCHBOARD_BENCH_PROFILE=<dir> it runs under --cpu-prof (written to that dir when it exits);
// - a data dir with a one-host site (vnc endpoint on the Xvnc port, the password in the keychain) and a ticket,
//   set through the host's own API WebSocket;
// - Debian's websockify from a loopback port to the same Xvnc;
// - Chromium (/usr/bin/chromium through playwright-core) on the page, 1920×1080, CSP bypassed (the host's CSP
//   allows connections to itself only, and the reference path goes to websockify's port).
import { benchWorkspace } from './workspace.mjs';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { bundleEntry, requireHere, ROOT } from './bundle.mjs';

export { ROOT };
export const WIDTH = 1920;
export const HEIGHT = 1080;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function machineLine() {
  let model = os.cpus()[0]?.model ?? 'unknown CPU';
  try { model = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model; } catch { /* keep os.cpus() */ }
  return `${os.availableParallelism()} CPUs (nproc), ${model}; ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; node ${process.version}`;
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function freeDisplay() {
  for (let tries = 0; tries < 200; tries++) {
    const display = 440 + Math.floor(Math.random() * 400);
    if (!fs.existsSync(`/tmp/.X11-unix/X${display}`) && !fs.existsSync(`/tmp/.X${display}-lock`)) return display;
  }
  throw new Error('no free X display number');
}

function waitForOutput(child, pattern, what, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${text}`)), timeoutMs);
    const look = (d) => {
      text += d;
      const m = pattern.exec(text);
      if (m) { clearTimeout(timer); resolve(m); }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}):\n${text}`)); });
  });
}

/** Stops a child we started, by its own pid; resolves when it has exited. */
function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); }, 5000).unref();
  });
}

/** utime + stime (ms) of a process and all its descendants, from /proc. */
export function treeCpuMs(rootPid) {
  const ticks = 100; // USER_HZ on Linux
  const stats = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), cpu: Number(fields[11]) + Number(fields[12]) });
    } catch { /* gone */ }
  }
  let total = 0;
  const todo = [rootPid];
  while (todo.length) {
    const pid = todo.pop();
    total += stats.get(pid)?.cpu ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) todo.push(child);
  }
  return (total * 1000) / ticks;
}

/** A random full-screen XBM: `cell`×`cell` blocks of random bits. */
function randomXbm(width, height, cell) {
  const rowBytes = width / 8;
  const row = new Uint8Array(rowBytes);
  const hex = [];
  for (let y = 0; y < height; y++) {
    if (y % cell === 0) {
      row.fill(0);
      for (let x = 0; x < width; x += cell) {
        if (Math.random() < 0.5) continue;
        for (let k = 0; k < cell && x + k < width; k++) row[(x + k) >> 3] |= 1 << ((x + k) & 7);
      }
    }
    for (let i = 0; i < rowBytes; i++) hex.push(`0x${row[i].toString(16).padStart(2, '0')}`);
  }
  return `#define b_width ${width}\n#define b_height ${height}\nstatic unsigned char b_bits[] = {\n${hex.join(',')}};\n`;
}

const randomColour = () => `#${Math.floor(Math.random() * 0x1000000).toString(16).padStart(6, '0')}`;

export async function startVncBench({ cell = 1, bitmaps = 8 } = {}) {
  const { work, cleanups, cleanup } = benchWorkspace('vnc');
  try {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('run through scripts/with-keyring.sh (the VNC password goes into the keychain)');

    // Xvnc, with a password (the relay signs in with it; websockify's noVNC is given it).
    const password = 'bench-vnc';
    const passwordFile = path.join(work, 'passwd');
    fs.writeFileSync(passwordFile, execFileSync('vncpasswd', ['-f'], { input: `${password}\n${password}\n` }), { mode: 0o600 });
    const vncPort = await freePort();
    const display = freeDisplay();
    const xvnc = spawn('Xvnc', [`:${display}`, '-rfbport', String(vncPort), '-localhost', '-geometry', `${WIDTH}x${HEIGHT}`, '-depth', '24',
      '-nolisten', 'tcp', '-AlwaysShared', '-SecurityTypes', 'VncAuth', '-PasswordFile', passwordFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => stopChild(xvnc));
    await waitForOutput(xvnc, new RegExp(`Listening for VNC connections on .*port ${vncPort}\\b`), 'Xvnc');
    const xEnv = { ...process.env, DISPLAY: `:${display}` };
    const x = (command, args) => execFileSync(command, args, { env: xEnv, stdio: 'ignore', timeout: 10_000 });

    // The changing picture.
    const xbms = [];
    for (let i = 0; i < bitmaps; i++) {
      const file = path.join(work, `noise-${i}.xbm`);
      fs.writeFileSync(file, randomXbm(WIDTH, HEIGHT, cell));
      xbms.push(file);
    }
    const picture = { running: false, changes: 0, loop: null };
    picture.start = () => {
      if (picture.running) return;
      picture.running = true;
      picture.loop = (async () => {
        for (let i = 0; picture.running; i++) {
          const child = spawn('xsetroot', ['-bitmap', xbms[i % xbms.length], '-fg', randomColour(), '-bg', randomColour()], { env: xEnv, stdio: 'ignore' });
          await new Promise((resolve) => child.once('exit', resolve));
          picture.changes++;
        }
      })();
    };
    picture.stop = async () => { picture.running = false; await picture.loop; };
    cleanups.push(() => picture.stop());

    // websockify, the reference carrier.
    const wsPort = await freePort();
    const websockify = spawn('websockify', [`127.0.0.1:${wsPort}`, `127.0.0.1:${vncPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => stopChild(websockify));
    await waitForOutput(websockify, /proxying from|Listen on|WebSocket server settings/i, 'websockify');
    for (let i = 0; i < 100 && !(await canConnect(wsPort)); i++) await sleep(50);

    // Diagnostics only: the bare Node + ws relay (bench/lib/vnc-bare-relay.mjs).
    const barePort = await freePort();
    const bare = spawn(process.execPath, [path.join(ROOT, 'bench', 'lib', 'vnc-bare-relay.mjs'), String(barePort), String(vncPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => stopChild(bare));
    await waitForOutput(bare, /listening/, 'the bare relay');

    // The page: bundled for the browser into the host's renderer dir.
    const rendererDir = path.join(work, 'renderer');
    fs.mkdirSync(rendererDir);
    const esbuild = requireHere('esbuild');
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'bench', 'lib', 'vnc-page.mjs')], bundle: true, platform: 'browser', format: 'esm', target: 'es2022',
      outfile: path.join(rendererDir, 'vnc-bench.js'), logLevel: 'warning', nodePaths: [path.join(ROOT, 'node_modules')],
    });
    fs.writeFileSync(path.join(rendererDir, 'vnc-bench.html'), '<!doctype html><html><head><meta charset="utf-8"><title>VNC bench</title>'
      + '<style>html,body{margin:0;background:#000;overflow:hidden}#screen{width:1920px;height:1080px}</style></head>'
      + '<body><div id="screen"></div><script type="module" src="vnc-bench.js"></script></body></html>\n');

    // The web host, bundled as scripts/build.mjs does it; the renderer dir is <bundle dir>/../renderer.
    const hostFile = path.join(work, 'main', 'web.cjs');
    await bundleEntry(path.join(work, 'main'), 'main/web/main.ts', 'web.cjs');
    const dataDir = path.join(work, 'data');
    fs.mkdirSync(dataDir);
    const env = { ...process.env, SWITCHBOARD_ENGINEER: 'bench' };
    delete env.SWITCHBOARD_DATA_DIR;
    delete env.SWITCHBOARD_PORT;
    env.NODE_PATH = [path.join(ROOT, 'node_modules'), env.NODE_PATH].filter(Boolean).join(path.delimiter);
    const profileDir = process.env.SWITCHBOARD_BENCH_PROFILE;
    const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir)] : [];
    const host = spawn(process.execPath, [...nodeArgs, hostFile, '--port', '0', '--data-dir', dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => stopChild(host));
    let hostErr = '';
    host.stderr.on('data', (d) => { hostErr += d; });
    const [url] = await waitForOutput(host, /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\//, 'the web host');

    // The site, its password and a ticket, through the host's API (the Origin the host requires).
    const api = await openApi(url);
    cleanups.push(() => api.close());
    const credential = `bench-vnc-${process.pid}`;
    const { stringify } = requireHere('yaml');
    await api.call('profiles.import', {
      fileName: 'bench.yaml',
      text: stringify({
        version: 1,
        customers: [{
          name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['vnc'], hosts: [{ name: 'desk01', address: '127.0.0.1', vnc: { port: vncPort, credential } }] }],
        }],
      }),
    });
    await api.call('credentials.set', { name: credential, kind: 'password', secret: password });
    cleanups.push(() => api.call('credentials.delete', { name: credential }));
    const customers = await api.call('customers.list', {});
    const customer = await api.call('customers.get', { id: customers.find((c) => c.name === 'Loopback Labs').id });
    const siteId = customer.sites.find((s) => s.name === 'lab').id;
    const ticket = 'BENCH-VNC-1';
    await api.call('tickets.open', { siteId, ref: ticket, type: 'incident', component: 'other', impact: {} });

    const { chromium } = requireHere('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, bypassCSP: true });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${url}vnc-bench.html`);
    await page.waitForFunction(() => typeof window.benchConnect === 'function');

    return {
      page, browser, chromiumVersion: browser.version(), url, api, siteId, ticket, vncPort, wsPort, barePort, display, password, picture,
      x, xEnv, pids: { host: host.pid, websockify: websockify.pid, 'node-ws': bare.pid, xvnc: xvnc.pid }, pageErrors, hostErr: () => hostErr, cleanup, work,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

/** The host's API WebSocket from Node: {id, method, input} → {id, ok, value | error}. */
async function openApi(url) {
  const WebSocket = requireHere('ws');
  const { origin, pathname } = new URL(url);
  const ws = new WebSocket(`${origin.replace('http', 'ws')}${pathname}api`, { origin });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const pending = new Map();
  let nextId = 1;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (message.ok) p.resolve(message.value);
    else p.reject(new Error(`${p.method}: ${JSON.stringify(message.error)}`));
  });
  return {
    call: (method, input) => new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      ws.send(JSON.stringify({ id, method, input }));
    }),
    close: () => ws.close(),
  };
}
