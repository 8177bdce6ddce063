#!/usr/bin/env node
// Terminal pipeline benchmark (browser mode): N MB of printable shell output through
// sshd → ssh2 → channel → FlowController → binary WebSocket → xterm.js write callbacks in Chromium,
// ÷ the same bytes written straight into an xterm.js instance in the same page. Target ≥ 0.85.
// Not part of the test suite. Needs root (sshd helper) and a keyring session:
//
//   scripts/with-keyring.sh node bench/terminal-pipeline.mjs [--mb 100]
//
// See docs/performance.md ("Terminal pipeline") for what exactly is timed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, machineLine, startTerminal, typeCommand, waitForPrompt } from './lib/terminal-harness.mjs';

function usage(message) {
  if (message) console.error(`terminal-pipeline: ${message}`);
  console.error('usage: scripts/with-keyring.sh node bench/terminal-pipeline.mjs [--mb 100]');
  process.exit(2);
}

/** OpenSSH's client with a pty, output to /dev/null: how fast sshd delivers the command's output at all. */
function openSshPty(sshd, command) {
  const started = process.hrtime.bigint();
  const run = spawnSync('ssh', ['-tt', '-F', '/dev/null', '-p', String(sshd.port), '-i', sshd.privateKeyPath, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'LogLevel=ERROR', `${sshd.user}@127.0.0.1`, command], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 4e9 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) { console.log(`source ceiling: ssh -tt failed (${run.status}): ${run.stderr.toString().trim().slice(0, 200)}`); return null; }
  return { ms, bytes: run.stdout.length };
}

function parseArgs(argv) {
  const options = { mb: 100 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--mb') { options.mb = Number(value()); if (!(options.mb > 0) || options.mb > 2000) usage('--mb must be in (0, 2000]'); }
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${argv[i]}`);
  }
  return options;
}

const fmt = (n, digits = 1) => n.toFixed(digits);

async function main() {
  const { mb } = parseArgs(process.argv.slice(2));
  const input = Math.round(mb * 1e6); // bytes of /dev/zero; the terminal gets its base64
  const chars = 4 * Math.ceil(input / 3);
  const expected = chars + 2 * Math.ceil(chars / 76); // GNU base64 wraps at 76; the pty turns \n into \r\n
  // `| cat`: base64 writes one line per write(2) to a terminal (stdout is line-buffered on a tty), which
  // caps the pty at ~20 MB/s here; through a pipe, cat writes large blocks, as most bulk output does.
  const command = `head -c ${input} /dev/zero | base64 | cat`;
  const t = await startTerminal({ name: 'pipeline' });
  try {
    const { page } = t;
    console.log(`Terminal pipeline benchmark: ${command}  → ${fmt(expected / 1e6)} MB of terminal output (MB = 10^6 bytes)`);
    console.log(`machine: ${machineLine()}; Chromium ${t.chromiumVersion}`);
    console.log(`sshd on 127.0.0.1:${t.sshd.port}; terminal ${t.size.rows} rows; web host ${t.url.replace(/\/[^/]+\/$/, '/…/')}\n`);

    // 1. Through the app.
    await t.flow('reset');
    await typeCommand(page, command);
    const ackBase = await page.evaluate(() => { const S = window.__bench; S.frames = []; S.firstByte = 0; S.maxBacklog = 0; S.recording = true; return S.acked; });
    await page.keyboard.press('Enter');
    const timeout = Math.max(120_000, mb * 5_000);
    await page.waitForFunction((target) => window.__bench.acked - target >= 0, ackBase + expected, { timeout, polling: 100 });
    await waitForPrompt(page, 30_000);
    await page.waitForFunction(() => window.__bench.received === window.__bench.acked && performance.now() - window.__bench.lastAck > 300, null, { polling: 50, timeout: 30_000 });
    const app = await page.evaluate(() => {
      const S = window.__bench;
      S.recording = false;
      const bytes = S.frames.reduce((a, b) => a + b, 0);
      return { ms: S.lastAck - S.firstByte, bytes, frames: S.frames, maxBacklog: S.maxBacklog };
    });
    const server = await t.flow();
    const appMBps = app.bytes / 1e6 / (app.ms / 1000);
    const sizes = [...app.frames].sort((a, b) => a - b);
    console.log(`app pipeline:   ${fmt(app.bytes / 1e6)} MB in ${app.frames.length} hand-overs to xterm.js (median ${sizes[sizes.length >> 1]} B, max ${sizes.at(-1)} B)`);
    console.log(`                first byte → last write callback ${fmt(app.ms / 1000, 2)} s = ${fmt(appMBps)} MB/s`);
    console.log(`                largest unacknowledged backlog: FlowController ${fmt(server.max / 1024)} KiB (pauses ${server.flows[0]?.pauses}, resumes ${server.flows[0]?.resumes}); page-side ${fmt(app.maxBacklog / 1024)} KiB`);

    // 2. Baseline: the same byte pattern in the same chunk sizes, straight into an xterm.js in the same page,
    //    laid over the app's terminal box (same size, same options).
    //    xterm.js and its fit addon come from this checkout's node_modules (the version the app bundles), evaluated
    //    over CDP because the app's CSP (script-src 'self') blocks injected script tags.
    for (const file of ['@xterm/xterm/lib/xterm.js', '@xterm/addon-fit/lib/addon-fit.js']) {
      await page.evaluate(fs.readFileSync(path.join(ROOT, 'node_modules', file), 'utf8'));
    }
    const baseline = await page.evaluate(async (frames) => {
      const box = document.querySelector('[data-testid="terminal"]').getBoundingClientRect();
      const div = document.createElement('div');
      Object.assign(div.style, { position: 'fixed', left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px`, padding: '6px', boxSizing: 'border-box', background: '#101418', zIndex: 100000, overflow: 'hidden' });
      document.body.appendChild(div);
      const term = new window.Terminal({ fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 13, cursorBlink: true, scrollback: 5000, theme: { background: '#101418', foreground: '#e6e6e6', cursor: '#8ab4f8' } });
      const fit = new window.FitAddon.FitAddon();
      term.loadAddon(fit);
      term.open(div);
      fit.fit();
      const total = frames.reduce((a, b) => a + b, 0);
      const line = new Uint8Array(78).fill(65); line[76] = 13; line[77] = 10; // "A"×76 "\r\n", as base64 of zeros
      const data = new Uint8Array(total);
      for (let off = 0; off < total; off += 78) data.set(line.subarray(0, Math.min(78, total - off)), off);
      const chunks = [];
      for (let off = 0, i = 0; i < frames.length; off += frames[i++]) chunks.push(data.slice(off, off + frames[i]));
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      // xterm.js discards writes once ~50 MB are pending, so keep at most 8 MB in flight: far above the app's
      // 100 KiB high-water mark, so this never waits on anything but xterm itself.
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
      const size = { cols: term.cols, rows: term.rows };
      term.dispose();
      div.remove();
      return { ms, bytes: total, size };
    }, app.frames);
    const baseMBps = baseline.bytes / 1e6 / (baseline.ms / 1000);
    console.log(`direct xterm:   ${fmt(baseline.bytes / 1e6)} MB in ${app.frames.length} writes (${baseline.size.cols}×${baseline.size.rows}) in ${fmt(baseline.ms / 1000, 2)} s = ${fmt(baseMBps)} MB/s`);
    if (t.pageErrors.length) console.log(`page errors: ${t.pageErrors.join(' | ')}`);
    if (app.bytes < expected) console.log(`WARNING: received ${app.bytes} bytes, expected at least ${expected}`);
    // 3. For context, not in the ratio: how fast the same command's output leaves sshd through a pty at all,
    //    read by OpenSSH's own client with a pty (-tt) into /dev/null — the ceiling any terminal client has here.
    const source = openSshPty(t.sshd, command);
    if (source) console.log(`source ceiling: OpenSSH ssh -tt, same command, into /dev/null: ${fmt(source.bytes / 1e6)} MB in ${fmt(source.ms / 1000, 2)} s = ${fmt(source.bytes / 1e6 / (source.ms / 1000))} MB/s (connect included)`);
    const ratio = appMBps / baseMBps;
    console.log(`\ntarget app/direct >= 0.85: ${ratio >= 0.85 ? 'met' : 'NOT met'}`);
    console.log(`pipeline ratio: ${fmt(ratio, 2)} (app ${fmt(appMBps)} MB/s, direct xterm ${fmt(baseMBps)} MB/s, ${fmt(app.bytes / 1e6)} MB)`);
  } finally {
    await t.cleanup();
  }
}

main().then(() => process.exit(0), (error) => { console.error(`terminal-pipeline: ${error?.stack ?? error}`); process.exit(1); });
