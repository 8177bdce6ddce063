#!/usr/bin/env node
// Flood responsiveness benchmark (browser mode): `yes` floods the terminal for ~2 s, Ctrl-C is pressed in the
// xterm, and we time how long until the shell prompt is visible again; also the largest unacknowledged backlog
// (FlowController.maxUnacknowledged, read from the host through a benchmark probe). Repeated, medians reported.
// Targets: Ctrl-C → prompt < 300 ms; backlog ≤ 500 KB. Not part of the test suite. Needs root and a keyring:
//
//   scripts/with-keyring.sh node bench/terminal-flood.mjs [--runs 3] [--flood-ms 2000]
import { lastRowScript, machineLine, median, sleep, startTerminal, typeCommand, waitForPrompt } from './lib/terminal-harness.mjs';

function usage(message) {
  if (message) console.error(`terminal-flood: ${message}`);
  console.error('usage: scripts/with-keyring.sh node bench/terminal-flood.mjs [--runs 3] [--flood-ms 2000]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { runs: 3, floodMs: 2000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--runs') { options.runs = Number(value()); if (!Number.isInteger(options.runs) || options.runs < 1) usage('--runs must be a positive integer'); }
    else if (flag === '--flood-ms') { options.floodMs = Number(value()); if (!(options.floodMs > 0)) usage('--flood-ms must be positive'); }
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${argv[i]}`);
  }
  return options;
}

const fmt = (n, digits = 1) => n.toFixed(digits);
const KB = 1000;

async function main() {
  const { runs, floodMs } = parseArgs(process.argv.slice(2));
  const t = await startTerminal({ name: 'flood' });
  try {
    const { page } = t;
    console.log(`Flood responsiveness benchmark: yes for ${floodMs} ms, then Ctrl-C in the xterm; ${runs} runs (KB = 10^3 bytes)`);
    console.log(`machine: ${machineLine()}; Chromium ${t.chromiumVersion}`);
    console.log(`sshd on 127.0.0.1:${t.sshd.port}; terminal ${t.size.rows} rows\n`);
    console.log('run  Ctrl-C→prompt ms  flood MB  flood MB/s  after Ctrl-C KB  max backlog KB (FlowController / page)  pauses');
    const results = [];
    for (let run = 1; run <= runs; run++) {
      await typeCommand(page, 'yes');
      await t.flow('reset');
      const before = await page.evaluate(() => { const S = window.__bench; S.maxBacklog = S.received - S.acked; S.ctrlC = 0; return { received: S.received, now: performance.now() }; });
      const pausesBefore = (await t.flow()).flows.reduce((a, f) => a + f.pauses, 0);
      await page.keyboard.press('Enter');
      await sleep(floodMs);
      // Watch the DOM rows from inside the page from the moment Ctrl-C's keydown is seen.
      const watch = page.evaluate((lastRowSource) => new Promise((resolve, reject) => {
        const lastRow = new Function(`return (${lastRowSource})();`);
        const S = window.__bench;
        const deadline = performance.now() + 30_000;
        const tick = () => {
          if (S.ctrlC && lastRow().trimEnd().endsWith('$')) {
            resolve({ prompt: performance.now(), ctrlC: S.ctrlC, received: S.received });
          } else if (performance.now() > deadline) reject(new Error(`no prompt 30 s after Ctrl-C; last row ${JSON.stringify(lastRow())}`));
          else setTimeout(tick, 2);
        };
        tick();
      }), lastRowScript.toString());
      const atCtrlC = await page.evaluate(() => ({ received: window.__bench.received, now: performance.now() }));
      await page.keyboard.press('Control+c');
      const seen = await watch;
      await waitForPrompt(page, 10_000);
      await page.waitForFunction(() => window.__bench.received === window.__bench.acked && performance.now() - window.__bench.lastAck > 300, null, { polling: 50, timeout: 30_000 });
      const probe = await t.flow();
      const pageMax = await page.evaluate(() => window.__bench.maxBacklog);
      const r = {
        ms: seen.prompt - seen.ctrlC,
        floodBytes: atCtrlC.received - before.received,
        floodSeconds: (atCtrlC.now - before.now) / 1000,
        afterBytes: seen.received - atCtrlC.received,
        serverMax: probe.max,
        pageMax,
        pauses: probe.flows.reduce((a, f) => a + f.pauses, 0) - pausesBefore,
      };
      results.push(r);
      console.log(`${String(run).padStart(3)}  ${fmt(r.ms).padStart(16)}  ${fmt(r.floodBytes / 1e6, 2).padStart(8)}  ${fmt(r.floodBytes / 1e6 / r.floodSeconds, 2).padStart(10)}  ${fmt(r.afterBytes / KB).padStart(15)}  ${fmt(r.serverMax / KB).padStart(14)} / ${fmt(r.pageMax / KB).padEnd(22)}  ${r.pauses}`);
      await page.keyboard.type('clear');
      await page.keyboard.press('Enter');
      await waitForPrompt(page, 10_000);
      await sleep(300);
    }
    if (t.pageErrors.length) console.log(`page errors: ${t.pageErrors.join(' | ')}`);
    const ms = median(results.map((r) => r.ms));
    const backlog = median(results.map((r) => r.serverMax));
    const worstBacklog = Math.max(...results.map((r) => r.serverMax));
    console.log(`\ntarget Ctrl-C→prompt < 300 ms: ${ms < 300 ? 'met' : 'NOT met'} (median ${fmt(ms)} ms)`);
    console.log(`target backlog <= 500 KB: ${backlog <= 500 * KB ? 'met' : 'NOT met'} (median ${fmt(backlog / KB)} KB, worst ${fmt(worstBacklog / KB)} KB)`);
    console.log(`flood: Ctrl-C→prompt median ${fmt(ms)} ms; max unacknowledged backlog median ${fmt(backlog / KB)} KB (FlowController.maxUnacknowledged)`);
  } finally {
    await t.cleanup();
  }
}

main().then(() => process.exit(0), (error) => { console.error(`terminal-flood: ${error?.stack ?? error}`); process.exit(1); });
