// Shared set-up for the browser-mode terminal benchmarks (bench/terminal-pipeline.mjs, bench/terminal-flood.mjs).
// Not part of the test suite. Needs root (the sshd helper does) and a keyring session:
//   scripts/with-keyring.sh node bench/terminal-pipeline.mjs
//
// What it starts, all torn down by cleanup():
// - the real OpenSSH sshd from tests/helpers/sshd.ts (bundled with esbuild's JS API into os.tmpdir());
// - the browser-mode web host, bundled from main/web/main.ts the same way scripts/build.mjs does it, plus a
//   benchmark-only probe that wraps FlowController.prototype.sent so the largest unacknowledged backlog
//   (FlowController.maxUnacknowledged; the host has no API for it) can be read over an IPC channel.
//   The renderer is out/renderer (copied next to the bundle, since the host serves `<bundle dir>/../renderer`);
// - a temp data dir with a one-host profile (imported with the CLI) whose password is set in the keychain;
// - Chromium (/usr/bin/chromium through playwright-core, like tests/helpers/browser.ts) with an init script
//   that wraps WebSocket before the app loads, to count terminal bytes received and acknowledged.
import { benchWorkspace } from './workspace.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));

export function cpuModel() {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown CPU';
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function bundle(contents, outfile) {
  const esbuild = require('esbuild');
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  await esbuild.build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'bench-entry.ts' },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning',
    plugins: [{
      name: 'absolute-externals',
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) => {
          if (builtins.has(args.path)) return { path: args.path, external: true };
          return { path: require.resolve(args.path, { paths: [args.resolveDir || ROOT] }), external: true };
        });
      },
    }],
  });
}

const HOST_ENTRY = `
import { FlowController } from './main/core/ssh/flow-control';
import { DEFAULT_RECEIVE_WINDOW, ReceiveWindow } from './main/core/ssh/receive-window';
// Benchmark probe: the largest backlog any FlowController saw since the last 'reset'.
const probe = { max: 0, flows: new Set<FlowController>() };
const sent = FlowController.prototype.sent;
// Diagnostics only (not used for the reported numbers): SWITCHBOARD_BENCH_WINDOW_MAX=<bytes> overrides how far
// the adaptive window may grow (BULK_HIGH_WATER_MARK); 102400 turns growth off (the fixed 100 KiB window).
const maxHigh = Number(process.env.SWITCHBOARD_BENCH_WINDOW_MAX ?? 0);
// Diagnostics only: SWITCHBOARD_BENCH_TARGET_DELAY=<ms> overrides the delay the adaptive window grows by (TARGET_DELAY_MS).
const targetDelayMs = Number(process.env.SWITCHBOARD_BENCH_TARGET_DELAY ?? 0);

FlowController.prototype.sent = function (this: FlowController, bytes: number) {
  if (!probe.flows.has(this)) {
    if (maxHigh > 0) Object.assign(this, { maxHigh });
    if (targetDelayMs > 0) Object.assign(this, { targetDelayMs });
  }
  sent.call(this, bytes);
  probe.flows.add(this);
  if (this.unacknowledged > probe.max) probe.max = this.unacknowledged;
};
// Diagnostics only: the SSH channels' receive windows, so a config's receiveLimit can change their credit.
const windows = new Set<ReceiveWindow>();
const delivered = ReceiveWindow.prototype.delivered;
ReceiveWindow.prototype.delivered = function (this: ReceiveWindow, bytes: number) {
  windows.add(this);
  delivered.call(this, bytes);
};
// Diagnostics only: {config: {maxHigh, targetDelayMs, receiveLimit?}} switches the flow settings of live terminals between runs, so
// one session can alternate them (bench/terminal-peer.mjs --compare-flow).
process.on('message', (message: string | { config: { maxHigh: number; targetDelayMs: number; receiveLimit?: number } }) => {
  if (typeof message === 'object' && message.config) {
    const { receiveLimit, ...flow } = message.config;
    for (const f of probe.flows) {
      Object.assign(f, flow);
      f.reset();
    }
    for (const w of windows) Object.assign(w, { limit: receiveLimit ?? DEFAULT_RECEIVE_WINDOW });
  }
  if (message === 'reset') probe.max = 0;
  const flows = [...probe.flows].map((f) => ({ unacknowledged: f.unacknowledged, max: f.maxUnacknowledged, paused: f.paused, pauses: f.pauses, resumes: f.resumes, ignored: f.ignored, clamped: f.clamped, window: f.window, grown: f.grown, shrunk: f.shrunk }));
  process.send!({ max: probe.max, flows });
});
import './main/web/main';
`;

/**
 * Runs in the page before the app: counts the terminal's output where the window gets it. The terminal's
 * channel is read by a worker (renderer/src/api/terminal-worker.ts), which hands output over in joined
 * chunks (`bytes` messages, counted as received frames) and acks a chunk once the window reports it written
 * (`written`, counted as acked).
 */
function pageProbe() {
  // `timeline` (while recording): [ms, 'bytes', size] per hand-over and [ms, 'written'] per write done, for diagnostics.
  const S = (window.__bench = { recording: false, frames: [], timeline: [], firstByte: 0, lastAck: 0, lastFrame: 0, received: 0, acked: 0, maxBacklog: 0, ctrlC: 0 });
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey && (event.key === 'c' || event.key === 'C') && !S.ctrlC) S.ctrlC = performance.now();
  }, true);
  const Native = window.Worker;
  class BenchWorker extends Native {
    constructor(url, options) {
      super(url, options);
      if (!/terminal-worker/.test(String(url))) return;
      const handedOver = [];
      // Registered before the app sets onmessage, so it runs first for each hand-over.
      this.addEventListener('message', (event) => {
        if (event.data?.type !== 'bytes') return;
        const n = event.data.data.byteLength;
        const now = performance.now();
        if (S.recording) { if (!S.firstByte) S.firstByte = now; S.frames.push(n); S.timeline.push([now, 'bytes', n]); }
        handedOver.push(n);
        S.received += n;
        S.lastFrame = now;
        S.maxBacklog = Math.max(S.maxBacklog, S.received - S.acked);
      });
      const post = this.postMessage.bind(this);
      this.postMessage = (message, transfer) => {
        if (message?.type === 'written') {
          S.acked += handedOver.shift() ?? 0;
          S.lastAck = performance.now();
          if (S.recording) S.timeline.push([S.lastAck, 'written']);
        }
        return post(message, transfer);
      };
    }
  }
  window.Worker = BenchWorker;
}

/** Last non-empty row of the app terminal's DOM renderer, nbsp normalised. */
export function lastRowScript() {
  const rows = [...document.querySelectorAll('[data-testid="terminal"] .xterm-rows > div')].map((r) => r.textContent.replace(/\u00a0/g, ' '));
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i].trim() !== '') return rows[i];
  return '';
}

export async function startTerminal({ name }) {
  const { work, cleanups, cleanup } = benchWorkspace(name);
  try {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('run through scripts/with-keyring.sh (the credential goes into the keychain)');
    if (!fs.existsSync(path.join(ROOT, 'out', 'renderer', 'index.html')) || !fs.existsSync(path.join(ROOT, 'out', 'main', 'cli.cjs'))) {
      throw new Error('Build the app first: node scripts/build.mjs');
    }
    // Bundles: sshd helper (loaded here) and the probed web host (run as a child).
    const helperFile = path.join(work, 'helpers.cjs');
    await bundle("export { startSshd } from './tests/helpers/sshd';", helperFile);
    const hostFile = path.join(work, 'main', 'web.cjs');
    await bundle(HOST_ENTRY, hostFile);
    // Diagnostics only: SWITCHBOARD_BENCH_RENDERER=<dir> serves a renderer built elsewhere (e.g. a variant built with
    // `npx vite build -c renderer/vite.config.ts --outDir <dir>`), so out/ — which others' e2e runs use — stays as it is.
    fs.cpSync(process.env.SWITCHBOARD_BENCH_RENDERER || path.join(ROOT, 'out', 'renderer'), path.join(work, 'renderer'), { recursive: true });
    const { startSshd } = require(helperFile);

    const sshd = await startSshd();
    cleanups.push(() => sshd.stop());

    const dataDir = path.join(work, 'data');
    fs.mkdirSync(dataDir);
    const credential = `bench-${name}-${process.pid}`;
    const env = { ...process.env, SWITCHBOARD_ENGINEER: 'bench' };
    delete env.SWITCHBOARD_DATA_DIR;
    delete env.SWITCHBOARD_PORT;
    const cli = (args, input = '') => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'switchboard.cjs'), '--data-dir', dataDir, ...args], { cwd: ROOT, env, input, encoding: 'utf8', timeout: 30_000 });
      if (r.status !== 0) throw new Error(`switchboard ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
      return r.stdout;
    };
    const profile = path.join(work, 'bench.yaml');
    const { stringify } = require('yaml');
    fs.writeFileSync(profile, stringify({
      version: 1,
      customers: [{
        name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [{ name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential } }] }],
      }],
    }));
    cli(['sites', 'import', profile]);
    cli(['credentials', 'set', credential], `${sshd.password}\n`);
    cleanups.push(() => cli(['credentials', 'delete', credential]));

    // Modules the host loads at run time (keytar) are not seen by the bundler: let them resolve from this checkout.
    const hostEnv = { ...env, NODE_PATH: [path.join(ROOT, 'node_modules'), env.NODE_PATH].filter(Boolean).join(path.delimiter) };
    const host = spawn(process.execPath, [hostFile, '--port', '0', '--data-dir', dataDir], { cwd: ROOT, env: hostEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    cleanups.push(() => new Promise((resolve) => {
      if (host.exitCode !== null || host.signalCode !== null) return resolve();
      host.once('exit', () => resolve());
      host.kill('SIGTERM');
      setTimeout(() => { if (host.exitCode === null) host.kill('SIGKILL'); }, 5000).unref();
    }));
    let hostErr = '';
    host.stderr.on('data', (d) => { hostErr += d; });
    const url = await new Promise((resolve, reject) => {
      let out = '';
      host.stdout.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\//.exec(out);
        if (m) resolve(m[0]);
      });
      host.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${hostErr}`)));
    });
    const flow = (message = 'read') => new Promise((resolve) => { host.once('message', resolve); host.send(message); });

    const { chromium } = require('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    cleanups.push(() => browser.close());
    const chromiumVersion = browser.version();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript(pageProbe);
    await page.goto(url);

    // The connect flow, as in tests/e2e/ssh-terminal.test.ts.
    await page.getByTestId('nav-site-Loopback Labs / lab').click();
    await page.getByTestId('connect-lab01-ssh').click();
    await page.getByTestId('connect-new-ticket').click();
    await page.getByTestId('ticket-form-ref').fill('BENCH-1');
    await page.getByTestId('ticket-form-component').selectOption('other');
    await page.getByTestId('save-ticket').click();
    await page.getByTestId('connect-next').click();
    await page.getByTestId('policy-decision').waitFor();
    await page.getByTestId('connect-go').click();
    await page.getByTestId('hostkey-accept').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="terminal-status"]')?.textContent === 'connected', null, { timeout: 30_000 }).catch(async (error) => {
      const state = await page.evaluate(() => ({ status: document.querySelector('[data-testid="terminal-status"]')?.textContent, errors: [...document.querySelectorAll('[data-testid="error-alert"],[data-testid="terminal-exit"]')].map((e) => e.textContent) }));
      throw new Error(`terminal did not connect: ${JSON.stringify(state)}; page errors ${pageErrors.join(' | ')}; host stderr ${hostErr.slice(-2000)}`, { cause: error });
    });
    await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
    await waitForPrompt(page, 15_000);
    const size = await page.evaluate(() => {
      const rows = document.querySelectorAll('[data-testid="terminal"] .xterm-rows > div').length;
      return { rows };
    });

    return { page, browser, chromiumVersion, sshd, url, dataDir, flow, cleanup, cleanups, pageErrors, size };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Waits (polling the DOM) until the terminal's last non-empty row ends with the shell prompt `$ `. */
export async function waitForPrompt(page, timeout = 30_000) {
  // A function, not a string: the app's CSP has no 'unsafe-eval', so a string predicate can fail to evaluate.
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="terminal"] .xterm-rows > div')].map((r) => r.textContent.replace(/\u00a0/g, ' '));
    for (let i = rows.length - 1; i >= 0; i--) if (rows[i].trim() !== '') return rows[i].trimEnd().endsWith('$');
    return false;
  }, null, { timeout, polling: 20 });
}

/** Types a command into the xterm (its helper textarea is focused) without pressing Enter. */
export async function typeCommand(page, command) {
  await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
  await page.keyboard.type(command);
  // Let the echo arrive and be acknowledged before anything is measured.
  await page.waitForFunction(() => window.__bench.received === window.__bench.acked && performance.now() - window.__bench.lastAck > 200, null, { polling: 50 });
}

/** Whether ssh2 loaded its native crypto addon (the web host resolves ssh2 from this checkout, as this does). */
export function ssh2NativeCrypto() {
  return Boolean(require('ssh2/lib/protocol/crypto.js').bindingAvailable);
}

export function machineLine() {
  return `${os.availableParallelism()} CPUs (nproc), ${cpuModel()}; ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; node ${process.version}; ssh2 native crypto addon ${ssh2NativeCrypto() ? 'loaded' : 'NOT loaded (node:crypto only)'}`;
}
