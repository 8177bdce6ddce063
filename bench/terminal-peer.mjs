#!/usr/bin/env node
// Terminal peer benchmark: Switchboard's window against WeTTY 3 (xterm.js's DOM renderer forced) and against
// direct xterm.js writes in the same page — same sshd (tests/helpers/sshd.ts), same Chromium, runs alternating.
//   1. pipeline: `head -c N /dev/zero | base64 | cat`, Enter → the prompt visible again, MB/s of terminal output;
//   2. flood: `yes` for 2 s, Ctrl-C → the prompt visible again.
// Each round also runs the same command through OpenSSH's own client with a pty into /dev/null (the source: the
// remote side and the least a client can do) and reports the ceiling the machine's CPUs set for any SSH terminal
// in a browser page: CPUs ÷ (the source's + the direct write's machine CPU per MB), as a share of the direct rate.
// Targets: throughput ≥ 1.2× WeTTY-with-DOM and ≥ 0.85 of direct xterm; Ctrl-C → prompt ≤ 100 ms and never worse
// than WeTTY's. WeTTY is installed ON DEMAND with npm into bench/.peers/wetty (git-ignored; never a dependency of
// the app) and its client bundle there is patched to skip its WebGL addon. Needs root (sshd) and a keyring:
//
//   scripts/with-keyring.sh node bench/terminal-peer.mjs [--mb 50] [--runs 3] [--flood-runs 3] [--json]
//
// With --json the last line is one JSON object: {"vs_wetty":…, "vs_direct":…, "ctrl_c_ms":…, "wetty_ctrl_c_ms":…, …}.
// See docs/performance.md ("Terminal against WeTTY").
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { machineCpu, machineCpuSince, withMachineCpu } from './lib/machine-cpu.mjs';
import { ROOT, machineLine, median, sleep, startTerminal } from './lib/terminal-harness.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const WETTY_VERSION = '3.2.0';
const PEERS = path.join(ROOT, 'bench', '.peers', 'wetty');
const WETTY_MAIN = path.join(PEERS, 'node_modules', 'wetty', 'build', 'main.js');
const WETTY_CLIENT = path.join(PEERS, 'node_modules', 'wetty', 'build', 'client', 'wetty.js');
/** The core's output frames (main/core/sessions/output-batcher.ts MAX_FRAME_BYTES): the direct run writes in these. */
const CORE_FRAME_BYTES = 64 * 1024;
const DOM_PATCH_MARK = '/*switchboard-bench: WebGL addon skipped, DOM renderer*/';

function usage(message) {
  if (message) console.error(`terminal-peer: ${message}`);
  console.error('usage: scripts/with-keyring.sh node bench/terminal-peer.mjs [--mb 50] [--runs 3] [--flood-runs 3] [--flood-ms 2000] [--json] [--compare-flow]');
  console.error('  --compare-flow: Switchboard only, alternating its flow settings in one session (SWITCHBOARD_BENCH_FLOWS=window,window1m15,window4m30,grow4m,…)');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { mb: 50, runs: 3, floodRuns: 3, floodMs: 2000, json: false, compareFlow: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    const count = (v, name) => { const n = Number(v); if (!Number.isInteger(n) || n < 1) usage(`${name} must be a positive integer`); return n; };
    if (flag === '--mb') { options.mb = Number(value()); if (!(options.mb > 0) || options.mb > 2000) usage('--mb must be in (0, 2000]'); }
    else if (flag === '--runs') options.runs = count(value(), '--runs');
    else if (flag === '--flood-runs') options.floodRuns = count(value(), '--flood-runs');
    else if (flag === '--flood-ms') { options.floodMs = Number(value()); if (!(options.floodMs > 0)) usage('--flood-ms must be positive'); }
    else if (flag === '--json') options.json = true;
    else if (flag === '--compare-flow') options.compareFlow = true;
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${argv[i]}`);
  }
  return options;
}

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** Installs WeTTY into the ignored peers folder (once) and patches its client to use xterm's DOM renderer. */
function ensureWetty(say) {
  if (!fs.existsSync(WETTY_MAIN)) {
    say(`installing WeTTY ${WETTY_VERSION} with npm into ${path.relative(ROOT, PEERS)} (git-ignored; not a dependency of the app)…`);
    fs.mkdirSync(PEERS, { recursive: true });
    // node-pty's build script must run: WeTTY spawns ssh in a pty.
    fs.writeFileSync(path.join(PEERS, 'package.json'), JSON.stringify({ name: 'switchboard-bench-peers', private: true, allowScripts: { 'node-pty': true } }, null, 2));
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `wetty@${WETTY_VERSION}`], { cwd: PEERS, encoding: 'utf8', timeout: 15 * 60_000 });
    if (r.status !== 0 || !fs.existsSync(WETTY_MAIN)) {
      throw new Error(`could not install WeTTY ${WETTY_VERSION} with npm (exit ${r.status ?? r.signal ?? r.error?.message}): ${(r.stderr || '').trim().split('\n').slice(-8).join(' | ')}`);
    }
  }
  const pty = spawnSync(process.execPath, ['-e', "require('node-pty')"], { cwd: PEERS, encoding: 'utf8' });
  if (pty.status !== 0) throw new Error(`WeTTY is installed but node-pty does not load (its native build failed?): ${pty.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  // WeTTY loads @xterm/addon-webgl on every non-mobile browser: `…,!isMobile)try{this.loadAddon(new WebglAddon)}catch{}`
  // (the only loadAddon wrapped in try/catch); the patch leaves the try empty.
  const client = fs.readFileSync(WETTY_CLIENT, 'utf8');
  if (!client.includes(DOM_PATCH_MARK)) {
    const pattern = /try\{this\.loadAddon\(new ([\w$]+)\)\}catch\{\}/g;
    const matches = [...client.matchAll(pattern)];
    const webgl = matches.filter(([, name]) => new RegExp(`var ${name.replace(/\$/g, '\\$')}=class extends[^]{0,400}preserveDrawingBuffer`).test(client));
    if (matches.length !== 1 || webgl.length !== 1) throw new Error(`cannot force WeTTY's DOM renderer: expected one guarded WebGL addon load in ${WETTY_CLIENT}, found ${matches.length} (${webgl.length} WebGL)`);
    fs.writeFileSync(WETTY_CLIENT, client.replace(pattern, `try{${DOM_PATCH_MARK}}catch{}`));
  }
  return JSON.parse(fs.readFileSync(path.join(PEERS, 'node_modules', 'wetty', 'package.json'), 'utf8')).version;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

async function startWetty(sshd, cleanups) {
  const port = await freePort();
  const child = spawn(process.execPath, [WETTY_MAIN, '--host', '127.0.0.1', '--port', String(port), '--base', '/wetty/',
    '--ssh-host', '127.0.0.1', '--ssh-port', String(sshd.port), '--ssh-user', sshd.user, '--ssh-auth', 'publickey',
    '--ssh-key', sshd.privateKeyPath, '--known-hosts', '/dev/null', '--force-ssh', '--log-level', 'warn'], { cwd: PEERS, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  cleanups.push(() => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 5000).unref();
  }));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WeTTY exited with ${child.exitCode}: ${log.slice(-1500)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/wetty/`).then((r) => r.ok, () => false);
    if (ok) return { url: `http://127.0.0.1:${port}/wetty/`, log: () => log };
    if (Date.now() > deadline) throw new Error(`WeTTY did not answer on port ${port}: ${log.slice(-1500)}`);
    await sleep(200);
  }
}

/** In every page before its scripts: timestamps of the last Enter / Ctrl-C keydown (capture phase). */
function keyProbe() {
  window.__keys = { enter: 0, ctrlC: 0 };
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') window.__keys.enter = performance.now();
    if (event.ctrlKey && (event.key === 'c' || event.key === 'C')) window.__keys.ctrlC = performance.now();
  }, true);
}

/**
 * Resolves in the page when the last non-empty row of the terminal under `root` ends with the `$` prompt,
 * with the time since the `key` keydown. Rows of xterm's DOM renderer, polled every 5 ms.
 */
function promptAfter(page, root, key) {
  return page.evaluate(({ root, key }) => new Promise((resolve, reject) => {
    const lastRow = () => {
      const rows = document.querySelectorAll(`${root} .xterm-rows > div`);
      for (let i = rows.length - 1; i >= 0; i--) {
        const text = rows[i].textContent.replace(/\u00a0/g, ' ').trimEnd();
        if (text !== '') return text;
      }
      return '';
    };
    const deadline = performance.now() + 600_000;
    const tick = () => {
      const at = window.__keys[key];
      if (at && lastRow().endsWith('$')) resolve(performance.now() - at);
      else if (performance.now() > deadline) reject(new Error(`no prompt after ${key}; last row ${JSON.stringify(lastRow())}`));
      else setTimeout(tick, 5);
    };
    tick();
  }), { root, key });
}

async function resetKeys(page) { await page.evaluate(() => { window.__keys.enter = 0; window.__keys.ctrlC = 0; }); }

/** Waits until the terminal under `root` shows the prompt and has been still for `quietMs`. */
async function settle(page, root, quietMs = 400) {
  await page.waitForFunction(({ root, quietMs }) => {
    const rows = [...document.querySelectorAll(`${root} .xterm-rows > div`)].map((r) => r.textContent);
    const text = rows.join('\n');
    const S = (window.__settle ??= { text: '', since: performance.now() });
    if (text !== S.text) { S.text = text; S.since = performance.now(); }
    const last = rows.map((r) => r.replace(/\u00a0/g, ' ').trimEnd()).filter((r) => r !== '').at(-1) ?? '';
    return last.endsWith('$') && performance.now() - S.since > quietMs;
  }, { root, quietMs }, { polling: 50, timeout: 60_000 });
}

async function typeInto(page, root, text) {
  await page.locator(`${root} .xterm-helper-textarea`).focus();
  await page.keyboard.type(text);
  await sleep(300); // the echo is back well within this on loopback
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const lines = [];
  const say = (line = '') => { lines.push(line); console.log(line); };
  const wettyVersion = ensureWetty(say);
  const { bindingAvailable } = require('ssh2/lib/protocol/crypto.js');
  const ssh2Version = require('ssh2/package.json').version;
  const input = Math.round(options.mb * 1e6);
  const chars = 4 * Math.ceil(input / 3);
  const expected = chars + 2 * Math.ceil(chars / 76); // base64 wraps at 76, the pty turns \n into \r\n
  const command = `head -c ${input} /dev/zero | base64 | cat`;

  const t = await startTerminal({ name: 'peer' });
  try {
    const sb = { page: t.page, root: '[data-testid="terminal"]' };
    await sb.page.evaluate(keyProbe);
    const wetty = await startWetty(t.sshd, t.cleanups);
    // WeTTY's terminal fills its window: give that window the size of Switchboard's terminal box, so both draw
    // about the same number of cells.
    const box = await sb.page.locator(sb.root).boundingBox();
    const context = await t.browser.newContext({ viewport: { width: Math.round(box.width), height: Math.round(box.height) } });
    await context.addInitScript(keyProbe);
    const wpage = await context.newPage();
    const wettyErrors = [];
    wpage.on('pageerror', (e) => wettyErrors.push(e.message));
    await wpage.goto(wetty.url);
    const wt = { page: wpage, root: '#terminal' };
    await wpage.locator('#terminal .xterm-helper-textarea').waitFor({ state: 'attached', timeout: 30_000 });
    await settle(wpage, wt.root).catch((e) => { throw new Error(`WeTTY shows no shell prompt: ${e.message}; WeTTY log: ${wetty.log().slice(-1500)}`); });
    const renderer = async (page, root) => page.evaluate((root) => ({
      dom: document.querySelectorAll(`${root} .xterm-rows`).length > 0,
      canvases: document.querySelectorAll(`${root} canvas`).length,
      size: (() => { const r = document.querySelector(`${root} .xterm-rows`); return r ? r.children.length : 0; })(),
    }), root);
    const wr = await renderer(wpage, wt.root);
    const sr = await renderer(sb.page, sb.root);
    if (!wr.dom) throw new Error('WeTTY did not use the DOM renderer (no .xterm-rows); the patch did not take');

    say(`Terminal peer benchmark: ${command} → ${fmt(expected / 1e6)} MB of terminal output (MB = 10^6 bytes); flood: yes ${options.floodMs} ms, then Ctrl-C`);
    say(`machine: ${machineLine()}; Chromium ${t.chromiumVersion} (--disable-gpu: both use xterm's DOM renderer)`);
    say(`ssh2 ${ssh2Version} (native crypto addon: ${bindingAvailable ? 'loaded' : 'NOT available — node:crypto only'}); sshd on 127.0.0.1:${t.sshd.port}`);
    say(`Switchboard: ${sr.size} rows, DOM renderer ${sr.dom}; WeTTY ${wettyVersion}: ${wr.size} rows, DOM renderer ${wr.dom} (WebGL addon patched out), viewport ${Math.round(box.width)}×${Math.round(box.height)}`);
    say('');

    // xterm.js for the direct run, evaluated over CDP (the app's CSP blocks injected script tags).
    for (const file of ['@xterm/xterm/lib/xterm.js', '@xterm/addon-fit/lib/addon-fit.js']) await sb.page.evaluate(fs.readFileSync(path.join(ROOT, 'node_modules', file), 'utf8'));

    // The source alone: the same command through OpenSSH's client (same cipher as ssh2 picks here) into /dev/null.
    const sshArgs = ['-tt', '-p', String(t.sshd.port), '-i', t.sshd.privateKeyPath, '-F', '/dev/null', '-c', 'aes128-gcm@openssh.com',
      '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', `${t.sshd.user}@127.0.0.1`, command];
    const source = async () => withMachineCpu(async () => {
      const started = performance.now();
      const code = await new Promise((resolve, reject) => {
        const child = spawn('ssh', sshArgs, { stdio: ['pipe', 'ignore', 'ignore'] });
        child.on('error', reject);
        child.on('close', resolve);
      });
      if (code !== 0) throw new Error(`ssh -tt … '${command}' exited ${code}`);
      return { mbps: expected / 1e6 / ((performance.now() - started) / 1000) };
    });
    // What the machine spends when nothing runs (the idle browser, the host): taken off the source's and the direct
    // run's CPU before they are added up, so it is not counted twice.
    const idle = await withMachineCpu(async () => { const started = performance.now(); await sleep(2000); return { seconds: (performance.now() - started) / 1000 }; });
    const idleCpuPerSecond = idle.machineCpuSeconds / idle.seconds;

    const pipeline = async (who) => {
      const { page, root } = who;
      await typeInto(page, root, command);
      await resetKeys(page);
      const done = promptAfter(page, root, 'enter');
      const cpuBefore = machineCpu();
      await page.keyboard.press('Enter');
      const ms = await done;
      const machine = machineCpuSince(cpuBefore);
      await settle(page, root);
      await typeInto(page, root, 'clear');
      await page.keyboard.press('Enter');
      await settle(page, root);
      return { ms, mbps: expected / 1e6 / (ms / 1000), ...machine };
    };

    // The machine's CPU is read around the whole evaluate, which also holds the direct terminal's setup (~0.3 s, mostly idle).
    const direct = async () => withMachineCpu(() => sb.page.evaluate(async ({ frames, expected }) => {
      const box = document.querySelector('[data-testid="terminal"]').getBoundingClientRect();
      const div = document.createElement('div');
      Object.assign(div.style, { position: 'fixed', left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px`, padding: '6px', boxSizing: 'border-box', background: '#101418', zIndex: 100000, overflow: 'hidden' });
      document.body.appendChild(div);
      const term = new window.Terminal({ fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 13, cursorBlink: true, scrollback: 5000, theme: { background: '#101418', foreground: '#e6e6e6', cursor: '#8ab4f8' } });
      const fit = new window.FitAddon.FitAddon();
      term.loadAddon(fit);
      term.open(div);
      fit.fit();
      const line = new Uint8Array(78).fill(65); line[76] = 13; line[77] = 10;
      const data = new Uint8Array(expected);
      for (let off = 0; off < expected; off += 78) data.set(line.subarray(0, Math.min(78, expected - off)), off);
      const chunks = [];
      for (let off = 0, i = 0; off < expected; off += frames[i % frames.length], i++) chunks.push(data.subarray(off, Math.min(expected, off + frames[i % frames.length])));
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      // At most 8 MB in flight (xterm.js discards data once ~50 MB are pending): it only ever waits on xterm.
      const ms = await new Promise((resolve) => {
        let done = 0, next = 0, pending = 0;
        const pump = () => {
          while (next < chunks.length && pending < 8e6) {
            const chunk = chunks[next++];
            pending += chunk.length;
            term.write(chunk, () => {
              pending -= chunk.length;
              if (++done === chunks.length) resolve(performance.now() - t0);
              else pump();
            });
          }
        };
        pump();
      });
      term.dispose();
      div.remove();
      return { ms, mbps: expected / 1e6 / (ms / 1000) };
    }, { frames: [CORE_FRAME_BYTES], expected }));

    if (options.compareFlow) {
      const KiB = 1024;
      // The fixed 100 KiB window of before, and adaptive windows (ceiling, target delay); the app's is 'window'
      // (main/core/ssh/flow-control.ts), the one before the terminal worker 'window1m15'; grow4m never shrinks;
      // creditNk gives the SSH channel N KiB of credit instead of DEFAULT_RECEIVE_WINDOW (256 KiB).
      const configs = {
        fixed: { maxHigh: 100 * KiB, targetDelayMs: 15 },
        window: { maxHigh: 4096 * KiB, targetDelayMs: 45 },
        credit64k: { maxHigh: 4096 * KiB, targetDelayMs: 45, receiveLimit: 64 * KiB },
        credit128k: { maxHigh: 4096 * KiB, targetDelayMs: 45, receiveLimit: 128 * KiB },
        window1m15: { maxHigh: 1024 * KiB, targetDelayMs: 15 },
        window1m30: { maxHigh: 1024 * KiB, targetDelayMs: 30 },
        window2m30: { maxHigh: 2048 * KiB, targetDelayMs: 30 },
        window2m45: { maxHigh: 2048 * KiB, targetDelayMs: 45 },
        window4m15: { maxHigh: 4096 * KiB, targetDelayMs: 15 },
        window4m30: { maxHigh: 4096 * KiB, targetDelayMs: 30 },
        window4m60: { maxHigh: 4096 * KiB, targetDelayMs: 60 },
        window4m90: { maxHigh: 4096 * KiB, targetDelayMs: 90 },
        window8m60: { maxHigh: 8192 * KiB, targetDelayMs: 60 },
        grow4m: { maxHigh: 4096 * KiB, targetDelayMs: 1e6 },
      };
      const names = (process.env.SWITCHBOARD_BENCH_FLOWS ?? 'fixed,window').split(',');
      for (const name of names) if (!configs[name]) usage(`unknown flow setting ${name} (SWITCHBOARD_BENCH_FLOWS: ${Object.keys(configs).join(', ')})`);
      const got = Object.fromEntries(names.map((n) => [n, { mbps: [], ctrlC: [] }]));
      const floodOnce = async () => {
        await typeInto(sb.page, sb.root, 'yes');
        await sb.page.keyboard.press('Enter');
        await sleep(options.floodMs);
        await resetKeys(sb.page);
        const done = promptAfter(sb.page, sb.root, 'ctrlC');
        await sb.page.keyboard.press('Control+c');
        const ms = await done;
        await settle(sb.page, sb.root);
        await typeInto(sb.page, sb.root, 'clear');
        await sb.page.keyboard.press('Enter');
        await settle(sb.page, sb.root);
        return ms;
      };
      say('compare flow settings (Switchboard only; MB/s Enter → prompt, Ctrl-C → prompt ms), order rotating each round');
      for (let round = 0; round < options.runs; round++) {
        const order = names.map((_, i) => names[(i + round) % names.length]);
        const cells = [];
        for (const name of order) {
          await t.flow({ config: configs[name] });
          const r = await pipeline(sb);
          const c = await floodOnce();
          got[name].mbps.push(r.mbps);
          got[name].ctrlC.push(c);
          cells.push(`${name} ${fmt(r.mbps)} MB/s ${fmt(c)} ms`);
        }
        say(`round ${round + 1}: ${cells.join(' | ')}`);
      }
      for (const name of names) say(`${name.padEnd(14)} median ${fmt(median(got[name].mbps))} MB/s, Ctrl-C → prompt median ${fmt(median(got[name].ctrlC))} ms  (runs ${got[name].mbps.map((v) => fmt(v)).join(', ')} / ${got[name].ctrlC.map((v) => fmt(v, 0)).join(', ')})`);
      if (options.json) console.log(JSON.stringify(Object.fromEntries(names.map((n) => [n, { mbps: median(got[n].mbps), ctrl_c_ms: median(got[n].ctrlC) }]))));
      return;
    }

    say(`pipeline (MB/s, Enter → prompt visible; direct: first write → last write callback, in the core's ${CORE_FRAME_BYTES / 1024} KiB frames)`);
    say('round  order                               Switchboard  WeTTY-DOM  direct xterm  source (ssh -tt > /dev/null)');
    const results = { sb: [], wetty: [], direct: [], source: [] };
    // The whole machine's CPU per MB of output (every process and the kernel: sshd, the host, the browser, the page).
    const machine = { sb: [], wetty: [], direct: [], source: [] };
    const orders = [['sb', 'wetty', 'direct', 'source'], ['wetty', 'direct', 'source', 'sb'], ['direct', 'source', 'sb', 'wetty'], ['source', 'sb', 'wetty', 'direct']];
    const runners = { sb: () => pipeline(sb), wetty: () => pipeline(wt), direct, source };
    for (let round = 0; round < options.runs; round++) {
      const order = orders[round % orders.length];
      const row = {};
      for (const who of order) {
        const r = await runners[who]();
        results[who].push(r.mbps);
        const idleShare = idleCpuPerSecond * (expected / 1e6 / r.mbps);
        machine[who].push({ msPerMb: 1000 * r.machineCpuSeconds / (expected / 1e6), busy: r.machineBusy, workMsPerMb: 1000 * (r.machineCpuSeconds - idleShare) / (expected / 1e6) });
        row[who] = r.mbps;
      }
      say(`${String(round + 1).padStart(5)}  ${order.join(' → ').padEnd(34)}  ${fmt(row.sb).padStart(11)}  ${fmt(row.wetty).padStart(9)}  ${fmt(row.direct).padStart(12)}  ${fmt(row.source).padStart(6)}`);
    }

    const flood = async (who) => {
      const { page, root } = who;
      await typeInto(page, root, 'yes');
      await page.keyboard.press('Enter');
      await sleep(options.floodMs);
      await resetKeys(page);
      const done = promptAfter(page, root, 'ctrlC');
      await page.keyboard.press('Control+c');
      const ms = await done;
      await settle(page, root);
      await typeInto(page, root, 'clear');
      await page.keyboard.press('Enter');
      await settle(page, root);
      return ms;
    };
    say('');
    say('flood (Ctrl-C → prompt visible, ms)');
    say('round  Switchboard  WeTTY-DOM');
    const floods = { sb: [], wetty: [] };
    for (let round = 0; round < options.floodRuns; round++) {
      const order = round % 2 === 0 ? ['sb', 'wetty'] : ['wetty', 'sb'];
      for (const who of order) floods[who].push(await flood(who === 'sb' ? sb : wt));
      say(`${String(round + 1).padStart(5)}  ${fmt(floods.sb.at(-1)).padStart(11)}  ${fmt(floods.wetty.at(-1)).padStart(9)}`);
    }
    const server = await t.flow();
    if (t.pageErrors.length) say(`Switchboard page errors: ${t.pageErrors.join(' | ')}`);
    if (wettyErrors.length) say(`WeTTY page errors: ${wettyErrors.join(' | ')}`);

    const m = { sb: median(results.sb), wetty: median(results.wetty), direct: median(results.direct) };
    const ctrlC = median(floods.sb);
    const wettyCtrlC = median(floods.wetty);
    const vsWetty = m.sb / m.wetty;
    const vsDirect = m.sb / m.direct;
    const f = server.flows.at(-1);
    say('');
    say(`Switchboard flow control: largest backlog ${fmt(server.max / 1024)} KiB since the last reset; window grew ${f?.grown ?? '?'}×, dropped back on input ${f?.shrunk ?? '?'}×`);
    say(`medians: Switchboard ${fmt(m.sb)} MB/s, WeTTY-DOM ${fmt(m.wetty)} MB/s, direct xterm ${fmt(m.direct)} MB/s; Ctrl-C → prompt Switchboard ${fmt(ctrlC)} ms, WeTTY ${fmt(wettyCtrlC)} ms`);
    const cpu = Object.fromEntries(Object.entries(machine).map(([who, runs]) => [who, { msPerMb: median(runs.map((r) => r.msPerMb)), busy: median(runs.map((r) => r.busy)) }]));
    say(`machine CPU per MB of output (medians; all processes and the kernel, ${os.availableParallelism()} CPUs): Switchboard ${fmt(cpu.sb.msPerMb)} ms (busy ${fmt(100 * cpu.sb.busy, 0)} %), `
      + `WeTTY-DOM ${fmt(cpu.wetty.msPerMb)} ms (${fmt(100 * cpu.wetty.busy, 0)} %), direct xterm ${fmt(cpu.direct.msPerMb)} ms (${fmt(100 * cpu.direct.busy, 0)} %, with its setup)`);
    // Any SSH terminal in this page does at least the source's work and the direct write's: with every CPU busy
    // and nothing else spent, it could not go faster than this.
    const work = (who) => median(machine[who].map((r) => r.workMsPerMb));
    const ceilingMbps = os.availableParallelism() * 1000 / (work('source') + work('direct'));
    const ceilingVsDirect = ceilingMbps / m.direct;
    say(`source (OpenSSH's client, pty, into /dev/null): ${fmt(median(results.source))} MB/s, ${fmt(cpu.source.msPerMb)} ms of machine CPU per MB`);
    say(`ceiling for any SSH terminal in this page here: ${os.availableParallelism()} CPUs ÷ (source ${fmt(work('source'))} + direct ${fmt(work('direct'))} ms/MB, each less the idle machine's ${fmt(1000 * idleCpuPerSecond, 0)} ms/s) `
      + `= ${fmt(ceilingMbps)} MB/s = ${fmt(ceilingVsDirect, 2)} of direct xterm`);
    say(`target throughput ≥ 1.2× WeTTY-DOM: ${vsWetty >= 1.2 ? 'met' : 'NOT met'} (${fmt(vsWetty, 2)}×)`);
    say(`target throughput ≥ 0.85 of direct xterm: ${vsDirect >= 0.85 ? 'met' : 'NOT met'} (${fmt(vsDirect, 2)})`);
    say(`target Ctrl-C → prompt ≤ 100 ms and ≤ WeTTY's: ${ctrlC <= 100 && ctrlC <= wettyCtrlC ? 'met' : 'NOT met'} (${fmt(ctrlC)} ms vs ${fmt(wettyCtrlC)} ms)`);
    if (options.json) {
      console.log(JSON.stringify({
        vs_wetty: Number(vsWetty.toFixed(2)), vs_direct: Number(vsDirect.toFixed(2)), ctrl_c_ms: Number(ctrlC.toFixed(1)), wetty_ctrl_c_ms: Number(wettyCtrlC.toFixed(1)),
        mbps: { switchboard: results.sb.map((v) => Number(v.toFixed(2))), wetty_dom: results.wetty.map((v) => Number(v.toFixed(2))), direct: results.direct.map((v) => Number(v.toFixed(2))) },
        ctrl_c_runs_ms: { switchboard: floods.sb.map((v) => Number(v.toFixed(1))), wetty_dom: floods.wetty.map((v) => Number(v.toFixed(1))) },
        machine_cpu_ms_per_mb: { switchboard: Number(cpu.sb.msPerMb.toFixed(1)), wetty_dom: Number(cpu.wetty.msPerMb.toFixed(1)), direct: Number(cpu.direct.msPerMb.toFixed(1)) },
        machine_busy: { switchboard: Number(cpu.sb.busy.toFixed(2)), wetty_dom: Number(cpu.wetty.busy.toFixed(2)), direct: Number(cpu.direct.busy.toFixed(2)) },
        source_mbps: Number(median(results.source).toFixed(2)), source_machine_cpu_ms_per_mb: Number(cpu.source.msPerMb.toFixed(1)),
        ceiling_vs_direct: Number(ceilingVsDirect.toFixed(2)),
        native_crypto: Boolean(bindingAvailable), wetty_version: wettyVersion, mb: options.mb,
      }));
    }
  } finally {
    await t.cleanup();
  }
}

main().then(() => process.exit(0), (error) => { console.error(`terminal-peer: ${error?.stack ?? error}`); process.exit(1); });
