#!/usr/bin/env node
// VNC relay benchmark (browser mode): the same noVNC 1.7 page in the same Chromium, connected to the same Xvnc
// (1920×1080, a full-screen picture that keeps changing) either through Switchboard's relay (the core signs in,
// relays and records; the window's VncChannel over the /<token>/vnc/<id> WebSocket) or through Debian's websockify
// (noVNC gives the password itself). Same SetEncodings on both paths (what the relay leaves of noVNC's list), same
// quality and compression levels. Alternating rounds; reports bytes/s delivered to noVNC and completed
// FramebufferUpdates/s, medians and the Switchboard ÷ websockify ratios (targets ≥ 0.95), then input-to-pixel
// latency (a key into an xterm on the display → the canvas pixels over it change), p50/p99 on both paths.
// Not part of the test suite. Needs a keyring session:
//
//   scripts/with-keyring.sh node bench/vnc-relay.mjs [--rounds 6] [--seconds 10] [--presses 120] [--cell 1]
//
// Diagnostics: --paths switchboard,websockify,node-ws adds a bare Node + ws relay (bench/lib/vnc-bare-relay.mjs) to
// the rounds, to tell what Node and ws cost by themselves from what Switchboard's relay adds; SWITCHBOARD_BENCH_PROFILE=<dir>
// runs the host under --cpu-prof.
//
// See docs/performance.md ("VNC relay") for what exactly is measured.
import { spawn } from 'node:child_process';
import { percentile } from './lib/bundle.mjs';
import { HEIGHT, machineLine, median, sleep, startVncBench, treeCpuMs, WIDTH } from './lib/vnc-harness.mjs';

function usage(message) {
  if (message) console.error(`vnc-relay: ${message}`);
  console.error('usage: scripts/with-keyring.sh node bench/vnc-relay.mjs [--rounds 6] [--seconds 10] [--warmup 2] [--presses 120] [--cell 1] [--quality 6] [--compression 2] [--no-latency] [--no-throughput] [--paths switchboard,websockify,node-ws]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { paths: PATHS, rounds: 6, seconds: 10, warmup: 2, presses: 120, cell: 1, quality: 6, compression: 2, latency: true, throughput: true };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const number = () => { const v = Number(inline ?? argv[++i]); if (!Number.isFinite(v) || v < 0) usage(`${flag} needs a number`); return v; };
    if (flag === '--paths') {
      options.paths = (inline ?? argv[++i] ?? '').split(',');
      if (!PATHS.every((p) => options.paths.includes(p)) || !options.paths.every((p) => [...PATHS, 'node-ws'].includes(p))) usage('--paths lists switchboard,websockify and optionally node-ws');
    } else if (flag === '--rounds') options.rounds = number();
    else if (flag === '--seconds') options.seconds = number();
    else if (flag === '--warmup') options.warmup = number();
    else if (flag === '--presses') options.presses = number();
    else if (flag === '--cell') options.cell = number();
    else if (flag === '--quality') options.quality = number();
    else if (flag === '--compression') options.compression = number();
    else if (flag === '--no-latency') options.latency = false;
    else if (flag === '--no-throughput') options.throughput = false;
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${argv[i]}`);
  }
  return options;
}

const fmt = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));
const PATHS = ['switchboard', 'websockify'];

async function connect(h, kind, options) {
  const common = { quality: options.quality, compression: options.compression };
  if (kind !== 'switchboard') {
    const port = kind === 'websockify' ? h.wsPort : h.barePort;
    return h.page.evaluate((args) => window.benchConnect(args), { kind, url: `ws://127.0.0.1:${port}/`, password: h.password, ...common });
  }
  const opened = await h.api.call('vnc.open', { siteId: h.siteId, ticket: h.ticket, target: 'desk01' });
  if (!opened.decision.allowed) throw new Error(`vnc.open was denied: ${opened.decision.reasons.join('; ')}`);
  const result = await h.page.evaluate((args) => window.benchConnect(args), { kind, sessionId: opened.sessionId, ...common });
  return { ...result, sessionId: opened.sessionId };
}

async function disconnect(h, connection) {
  await h.page.evaluate(() => window.benchDisconnect());
  if (!connection.sessionId) return;
  // The session ends when its viewer goes; wait for its end (the recording closed) before the next round.
  for (let i = 0; i < 200; i++) {
    const live = await h.api.call('vnc.list', {});
    if (!live.some((v) => v.sessionId === connection.sessionId && v.state !== 'ended')) return;
    await sleep(50);
  }
  throw new Error(`VNC session ${connection.sessionId} did not end after its viewer left`);
}

function sample(h, carrierPid) {
  return h.page.evaluate(() => ({ bytes: window.__vnc.bytes, messages: window.__vnc.messages, frames: window.__vnc.frames, at: performance.now() })).then((page) => ({
    ...page, carrierCpu: treeCpuMs(carrierPid), xvncCpu: treeCpuMs(h.pids.xvnc), changes: h.picture.changes,
  }));
}

async function throughputRound(h, kind, options) {
  const connection = await connect(h, kind, options);
  try {
    await sleep(options.warmup * 1000);
    const carrierPid = h.pids[kind === 'switchboard' ? 'host' : kind];
    const a = await sample(h, carrierPid);
    await sleep(options.seconds * 1000);
    const b = await sample(h, carrierPid);
    const seconds = (b.at - a.at) / 1000;
    const bytes = b.bytes - a.bytes;
    return {
      kind, seconds, bytes, frames: b.frames - a.frames, wsMessageBytes: bytes / (b.messages - a.messages), mbps: bytes / 1e6 / seconds, fps: (b.frames - a.frames) / seconds,
      carrierCpuPerMB: (b.carrierCpu - a.carrierCpu) / (bytes / 1e6), carrierCpuShare: (b.carrierCpu - a.carrierCpu) / 1000 / seconds,
      xvncCpuShare: (b.xvncCpu - a.xvncCpu) / 1000 / seconds, changesPerSecond: (b.changes - a.changes) / seconds, encodings: connection.encodings,
    };
  } finally {
    await disconnect(h, connection);
  }
}

async function measurePicture(h) {
  const before = h.picture.changes;
  const t0 = performance.now();
  await sleep(3000);
  return (h.picture.changes - before) / ((performance.now() - t0) / 1000);
}

/** Key presses into the xterm at the display's top left; ms from keydown to the canvas changing over it. */
async function latencyRound(h, kind, presses, options, typed) {
  const connection = await connect(h, kind, options);
  const box = { x: 0, y: 0, width: 520, height: 340 };
  const times = [];
  let missed = 0;
  try {
    await h.page.mouse.move(200, 150); // the X pointer into the xterm: keys go to the window under it
    await h.page.evaluate(() => window.benchFocus());
    await sleep(500);
    for (let i = 0; i < presses; i++) {
      if (typed.count > 0 && typed.count % 60 === 0) { // a fresh line now and then (not measured)
        await h.page.keyboard.press('Enter');
        await sleep(300);
      }
      await h.page.evaluate((b) => window.benchArmChange(b, 2000), box);
      await h.page.keyboard.press(String.fromCharCode(97 + (typed.count++ % 26)));
      const ms = await h.page.evaluate(() => window.benchChange());
      if (ms === null) missed++;
      else times.push(ms);
      await sleep(80); // let the echo's follow-up updates (the cursor) pass before the next press
    }
  } finally {
    await disconnect(h, connection);
  }
  return { times, missed };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const h = await startVncBench({ cell: options.cell });
  try {
    console.log(`VNC relay benchmark: noVNC 1.7 in Chromium ${h.chromiumVersion}, Xvnc ${WIDTH}×${HEIGHT} depth 24 on 127.0.0.1:${h.vncPort}; websockify on :${h.wsPort}`);
    console.log(`machine: ${machineLine()}`);
    console.log(`noVNC quality ${options.quality}, compression ${options.compression}; MB = 10^6 bytes\n`);

    if (options.throughput) {
      h.picture.start();
      const changes = await measurePicture(h);
      console.log(`picture: xsetroot -bitmap <random ${WIDTH}×${HEIGHT} XBM, ${options.cell}-pixel cells> with new colours, back to back: ${fmt(changes)} full-screen changes/s with no viewer`);
      console.log(`throughput: ${options.rounds} rounds × 2 paths (alternating order), ${options.warmup} s warm-up + ${options.seconds} s measured each\n`);
      console.log(`${'round'.padEnd(6)}${'path'.padEnd(13)}${'MB/s'.padStart(8)}${'fps'.padStart(8)}${'KB/frame'.padStart(10)}${'carrier CPU'.padStart(13)}${'ms CPU/MB'.padStart(11)}${'Xvnc CPU'.padStart(10)}${'changes/s'.padStart(11)}${'KB/WS msg'.padStart(11)}`);
      const results = Object.fromEntries(options.paths.map((kind) => [kind, []]));
      const ratios = { mbps: [], fps: [] };
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 === 0 ? options.paths : [...options.paths].reverse();
        const pair = {};
        for (const kind of order) {
          const r = await throughputRound(h, kind, options);
          pair[kind] = r;
          results[kind].push(r);
          console.log(`${String(round + 1).padEnd(6)}${kind.padEnd(13)}${fmt(r.mbps, 2).padStart(8)}${fmt(r.fps).padStart(8)}${fmt(r.bytes / r.frames / 1e3).padStart(10)}${`${fmt(r.carrierCpuShare * 100, 0)} %`.padStart(13)}${fmt(r.carrierCpuPerMB).padStart(11)}${`${fmt(r.xvncCpuShare * 100, 0)} %`.padStart(10)}${fmt(r.changesPerSecond).padStart(11)}${fmt(r.wsMessageBytes / 1e3).padStart(11)}`);
          await sleep(500);
        }
        ratios.mbps.push(pair.switchboard.mbps / pair.websockify.mbps);
        ratios.fps.push(pair.switchboard.fps / pair.websockify.fps);
      }
      await h.picture.stop();
      const encodings = results.switchboard[0]?.encodings ?? [];
      console.log(`\nSetEncodings sent on both paths: ${encodings.join(', ')}`);
      const med = (kind, key) => median(results[kind].map((r) => r[key]));
      for (const kind of options.paths) {
        console.log(`median ${`${kind}:`.padEnd(13)} ${fmt(med(kind, 'mbps'), 2)} MB/s, ${fmt(med(kind, 'fps'))} fps; its process ${fmt(med(kind, 'carrierCpuPerMB'))} ms CPU per MB; ${fmt(med(kind, 'wsMessageBytes') / 1e3)} KB per WebSocket message`);
      }
      console.log(`ratios per round (switchboard ÷ websockify): bytes/s ${ratios.mbps.map((r) => fmt(r, 3)).join(' ')}; fps ${ratios.fps.map((r) => fmt(r, 3)).join(' ')}`);
      const mbpsRatio = median(ratios.mbps);
      const fpsRatio = median(ratios.fps);
      console.log(`throughput ratio (median of rounds): ${fmt(mbpsRatio, 3)}  target ≥ 0.95: ${mbpsRatio >= 0.95 ? 'met' : 'NOT met'}`);
      console.log(`frames ratio (median of rounds):     ${fmt(fpsRatio, 3)}  target ≥ 0.95: ${fpsRatio >= 0.95 ? 'met' : 'NOT met'}\n`);
    }

    if (options.latency) {
      h.x('xsetroot', ['-solid', '#303030']);
      const xterm = spawn('xterm', ['-geometry', '80x24+0+0', '-bg', 'white', '-fg', 'black', '-e', 'cat'], { env: h.xEnv, stdio: 'ignore' });
      try {
        await sleep(1500);
        const rounds = 4;
        const per = Math.ceil(options.presses / rounds);
        const all = { switchboard: [], websockify: [] };
        const missed = { switchboard: 0, websockify: 0 };
        const typed = { count: 0 };
        for (let round = 0; round < rounds; round++) {
          for (const kind of round % 2 === 0 ? PATHS : [...PATHS].reverse()) {
            const r = await latencyRound(h, kind, per, options, typed);
            all[kind].push(...r.times);
            missed[kind] += r.missed;
          }
        }
        console.log(`input to pixel: ${rounds} alternating rounds, ${per} key presses per path per round into an xterm (80×24 at +0+0, running cat) on the idle display;`);
        console.log('  ms from the keydown event to the first animation frame whose canvas pixels over the xterm differ (rAF-quantised, ~16.7 ms)');
        for (const kind of PATHS) {
          const t = all[kind];
          console.log(`  ${kind.padEnd(12)} n=${t.length}${missed[kind] ? ` (+${missed[kind]} not seen in 2 s)` : ''}  p50 ${fmt(percentile(t, 50))} ms  p99 ${fmt(percentile(t, 99))} ms  min ${fmt(Math.min(...t))}  max ${fmt(Math.max(...t))}`);
        }
      } finally {
        if (xterm.exitCode === null) xterm.kill('SIGTERM');
      }
    }
    if (h.pageErrors.length) console.log(`page errors: ${h.pageErrors.join(' | ')}`);
  } finally {
    await h.cleanup();
  }
}

main().then(() => process.exit(0), (error) => { console.error(`vnc-relay: ${error?.stack ?? error}`); process.exit(1); });
