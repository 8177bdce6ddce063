#!/usr/bin/env node
// SFTP benchmark: download and upload of one file (1 GiB of /dev/urandom) through Switchboard's transfer
// engine — the core's own path: the SSH session opened through the policy, core.files.download/upload with
// the site's file-transfer decision, the running SHA-256, the .part file, the session event;
// uploads read the local file as the CLI does (localFileChunks) — vs OpenSSH's `sftp -b` (batch mode)
// against the same real sshd (tests/helpers/sshd.ts, internal-sftp) in the same run, with the same cipher.
// A download to a folder is not fsynced, by Switchboard or by plain `get`; with --evidence Switchboard keeps
// the file in the ticket's evidence, which is fsynced before it counts as kept, so the bench then also runs
// `get -f` (sftp fsyncs the file before it reports it done), the like-for-like reference for that.
// The core runs with the GC setting every shell gives it (openCore →
// main/core/gc-tuning.ts; SFTP_BENCH_DEFAULT_GC=1 keeps V8's default, to see the difference). Runs
// alternate (Switchboard, OpenSSH, Switchboard, …); each run is
// connect + auth + transfer for both clients, timed from outside. The core's resident memory is sampled
// every 20 ms during each of its transfers (peak minus the RSS just before, after a GC).
// Not part of the test suite. Needs root (the sshd helper does); no keychain (the password is kept in an
// in-memory SecretStore — the transfer path is the same).
//
//   node bench/sftp.mjs [--bytes 1G] [--runs 3] [--evidence] [--json]
//
// --evidence: Switchboard's downloads go to the ticket's evidence (content-addressed in the data dir)
// instead of a folder (fsynced before they count as kept; `get -f` is run too).
// --json: the human lines go to stderr and the last line on stdout is one JSON object.
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { constants as perf, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { bundleModules, requireHere as require } from './lib/bundle.mjs';
import { cpuModel, median } from './lib/terminal-harness.mjs';
import { withMachineCpu } from './lib/machine-cpu.mjs';
import { benchWorkspace } from './lib/workspace.mjs';

const MB = 1e6;
const GIB = 1024 ** 3;
const TARGET_RATIO = 0.8;
const TARGET_RSS_MB = 64;

function usage(message) {
  if (message) console.error(`sftp: ${message}`);
  console.error('usage: node bench/sftp.mjs [--bytes 1G|256M|<n>] [--runs 3] [--evidence] [--json]');
  process.exit(2);
}

/** `1G`, `256M`, `64K`, `1000`: binary units, like `head -c`. */
function parseBytes(text) {
  const match = /^(\d+)([KMG]i?B?)?$/i.exec(String(text).trim());
  if (!match) usage(`cannot read a size from ${JSON.stringify(text)}`);
  const unit = (match[2] ?? '').charAt(0).toUpperCase();
  const value = Number(match[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 })[unit];
  if (!Number.isSafeInteger(value) || value <= 0) usage(`size out of range: ${text}`);
  return value;
}

function parseArgs(argv) {
  const options = { bytes: 1024 ** 3, runs: 3, json: false, evidence: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--bytes') options.bytes = parseBytes(value());
    else if (flag === '--runs') { options.runs = Number(value()); if (!Number.isInteger(options.runs) || options.runs < 1) usage('--runs must be a positive integer'); }
    else if (flag === '--json') options.json = true;
    else if (flag === '--evidence') options.evidence = true;
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${argv[i]}`);
  }
  return options;
}

/** The credential's secret, kept in memory for this process only. */
class MemorySecretStore {
  #secrets = new Map();
  async get(account) { return this.#secrets.get(account) ?? null; }
  async set(account, secret) { this.#secrets.set(account, secret); }
  async delete(account) { return this.#secrets.delete(account); }
  async probe() {}
}

/** Records what each ssh2 Client negotiated (its 'handshake' event fires before SshConnection sees 'ready'). */
function watchSsh2Handshakes() {
  const { Client } = require('ssh2');
  const seen = [];
  const emit = Client.prototype.emit;
  Client.prototype.emit = function (event, ...args) {
    if (event === 'handshake') seen.push(args[0]);
    return emit.call(this, event, ...args);
  };
  return seen;
}

/**
 * Peak RSS while `work` runs, sampled every 20 ms, against the RSS just before it (after a full GC), and
 * the CPU time this process spent meanwhile (all its threads: the event loop, libuv's pool, GC).
 */
async function measured(gc, work) {
  gc();
  const before = process.memoryUsage.rss();
  const cpuBefore = process.cpuUsage();
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
  const pauses = { fullGcs: 0, longestMs: 0 };
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.longestMs = Math.max(pauses.longestMs, entry.duration);
      if (entry.detail?.kind === perf.NODE_PERFORMANCE_GC_MAJOR) pauses.fullGcs++;
    }
  });
  gcs.observe({ entryTypes: ['gc'] });
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    const cpu = process.cpuUsage(cpuBefore);
    return { value, growthMb: (peak - before) / MB, cpuSeconds: (cpu.user + cpu.system) / 1e6, ...pauses };
  } finally {
    clearInterval(sampler);
    gcs.disconnect();
  }
}

const fmt = (n, digits = 1) => n.toFixed(digits);


async function main() {
  const options = parseArgs(process.argv.slice(2));
  const say = options.json ? (...a) => console.error(...a) : (...a) => console.log(...a);
  const { work, cleanups, cleanup } = benchWorkspace('sftp');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  try {
    const mod = await bundleModules(work, 'sftp', [
      "export { assembleCore } from './main/core/wiring';",
      "export { localFileChunks } from './main/core/files/local-file-source';",
      "export { tuneGarbageCollector } from './main/core/gc-tuning';",
      "export { openTicket } from './main/core/tickets/tickets';",
      "export { startSshd, sshdUnavailable, TEST_USER } from './tests/helpers/sshd';",
    ]);
    // What every shell does before it opens its core (openCore): see main/core/gc-tuning.ts.
    if (!process.env.SFTP_BENCH_DEFAULT_GC) mod.tuneGarbageCollector();
    const unavailable = mod.sshdUnavailable();
    if (unavailable) throw new Error(unavailable);
    const handshakes = watchSsh2Handshakes();
    const { bindingAvailable } = require('ssh2/lib/protocol/crypto.js');
    const ssh2Version = require('ssh2/package.json').version;
    const { stringify } = require('yaml');

    const sshd = await mod.startSshd();
    cleanups.push(() => sshd.stop());
    const uid = Number(execFileSync('id', ['-u', mod.TEST_USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', mod.TEST_USER], { encoding: 'utf8' }).trim());

    // The sshd side: a folder the login owns, with the file (random bytes, written out: not sparse).
    const remote = path.join(work, 'remote');
    const local = path.join(work, 'local');
    fs.mkdirSync(remote, { mode: 0o755 });
    fs.mkdirSync(local, { mode: 0o700 });
    fs.chmodSync(work, 0o755);
    fs.chownSync(remote, uid, gid);
    const source = path.join(remote, 'capture.bin');
    say(`writing ${fmt(options.bytes / MB)} MB from /dev/urandom to ${source} …`);
    execFileSync('sh', ['-c', 'head -c "$1" /dev/urandom > "$2"', 'sh', String(options.bytes), source]);
    fs.chownSync(source, uid, gid);
    const expected = execFileSync('sha256sum', [source], { encoding: 'utf8' }).split(/\s+/)[0];
    // Read once more so every run finds it in the page cache, the first one included; then put it on disk,
    // or the kernel writes it back 30 s later, in the middle of whichever run is going then.
    execFileSync('sh', ['-c', 'cat "$1" > /dev/null', 'sh', source]);
    execFileSync('sync');

    // The core, as the shells get it, on a temp data dir; one site allowing both ways in the remote folder.
    const { core, internals } = mod.assembleCore({ dataDir: path.join(work, 'data'), mode: 'cli', engineer: 'bench', secretStore: new MemorySecretStore() });
    cleanups.push(() => core.close());
    const credential = 'bench-sftp';
    const profile = stringify({
      version: 1,
      customers: [{
        name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{
          name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], files: { transfer: 'both', folders: [remote] },
          hosts: [{ name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential, host_key: sshd.hostKeyFingerprint } }],
        }],
      }],
    });
    const call = async (method, input) => {
      const result = await core.dispatch(method, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
      return result.value;
    };
    await call('profiles.import', { text: profile, fileName: 'bench.yaml' });
    await call('credentials.set', { name: credential, kind: 'password', secret: sshd.password });
    const siteId = internals.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab').id;
    mod.openTicket(internals.db, { ref: 'BENCH-SFTP', siteId, type: 'incident', component: 'other', impact: {} }, 'bench');

    const openSession = async () => {
      const { decision, session } = await core.openSsh({ siteId, ticket: 'BENCH-SFTP', target: 'lab01' }, { confirmHostKey: async () => false });
      if (!decision.allowed || !session) throw new Error(`the policy refused the session: ${decision.reasons.join(' ')}`);
      return session;
    };
    // Which cipher ssh2 and sshd agree on; OpenSSH is told to use the same one.
    const probe = await openSession();
    const cipher = handshakes.at(-1)?.sc?.cipher;
    probe.close();
    await probe.finish();
    if (!cipher) throw new Error('ssh2 reported no handshake');

    const openssh = String((await runCapture('ssh', ['-V'])).stderr).trim(); // ssh -V prints on stderr
    say(`SFTP benchmark: ${fmt(options.bytes / MB)} MB (${options.bytes} bytes, random) each way, ${options.runs} runs per client, alternating`);
    say(`machine: ${os.availableParallelism()} CPUs, ${cpuModel()}; ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; node ${process.version}; load average ${os.loadavg().map((l) => fmt(l, 2)).join(' ')}`);
    say(`ssh2 ${ssh2Version} (native crypto addon: ${bindingAvailable ? 'loaded' : 'NOT available — node:crypto only'}); ${openssh}`);
    say(`sshd on 127.0.0.1:${sshd.port} as ${sshd.user} (internal-sftp); cipher ${cipher} for both clients`);
    say('Switchboard: connect + policy + auth + core.files.download/upload (SHA-256, .part, event; with --evidence the evidence store\'s fsync); OpenSSH: sftp -b (connect + auth + get/put)\n');

    const sshArgs = ['-P', String(sshd.port), '-i', sshd.privateKeyPath, '-F', '/dev/null', '-c', cipher,
      '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'];
    const batchFile = path.join(work, 'batch');
    const timeBinary = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

    const runs = {
      download: { switchboard: [], openssh: [], ...(options.evidence ? { 'openssh -f': [] } : {}) },
      upload: { switchboard: [], openssh: [] },
    };

    const switchboardDownload = async () => {
      const started = process.hrtime.bigint();
      const session = await openSession();
      try {
        const request = options.evidence ? { remotePath: source, toEvidence: true } : { remotePath: source, localDir: local };
        const { value: view, growthMb, cpuSeconds, fullGcs, longestMs } = await measured(gc, async () => (await core.files.download(session, request)).done);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (view.state !== 'complete') throw new Error(`Switchboard download ${view.state}: ${view.reason}`);
        if (view.sha256 !== expected) throw new Error(`Switchboard download hashed ${view.sha256}, the file is ${expected}`);
        const kept = options.evidence ? path.join(work, 'data', 'evidence', view.sha256) : view.localPath;
        if (fs.statSync(kept).size !== options.bytes) throw new Error('Switchboard download: wrong size on disk');
        fs.rmSync(kept);
        return { seconds, growthMb, cpuSeconds, fullGcs, longestMs, transferSeconds: (Date.parse(view.endedAt) - Date.parse(view.startedAt)) / 1000 };
      } finally {
        session.close();
        await session.finish();
      }
    };
    const switchboardUpload = async () => {
      const target = path.join(remote, 'up-switchboard.bin');
      const started = process.hrtime.bigint();
      const session = await openSession();
      try {
        const { value: view, growthMb, cpuSeconds, fullGcs, longestMs } = await measured(gc, async () => (await core.files.upload(session, {
          remoteDir: remote, name: path.basename(target), size: options.bytes, source: mod.localFileChunks(source),
        })).done);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (view.state !== 'complete') throw new Error(`Switchboard upload ${view.state}: ${view.reason}`);
        if (view.sha256 !== expected) throw new Error(`Switchboard upload hashed ${view.sha256}, the file is ${expected}`);
        if (fs.statSync(target).size !== options.bytes) throw new Error('Switchboard upload: wrong size on the server');
        return { seconds, growthMb, cpuSeconds, fullGcs, longestMs, transferSeconds: (Date.parse(view.endedAt) - Date.parse(view.startedAt)) / 1000 };
      } finally {
        session.close();
        await session.finish();
        fs.rmSync(target, { force: true });
      }
    };
    // `get -f`: sftp fsyncs the file before it reports the download done, as the evidence store does.
    const opensshRun = async (direction, fsync = false) => {
      const target = direction === 'download' ? path.join(local, 'openssh.bin') : path.join(remote, 'up-openssh.bin');
      fs.writeFileSync(batchFile, direction === 'download' ? `get ${fsync ? '-f ' : ''}${source} ${target}\n` : `put ${source} ${target}\n`);
      const started = process.hrtime.bigint();
      // /usr/bin/time reports the CPU of sftp and the ssh it runs (its waited-for children).
      const sftp = ['sftp', ...sshArgs, '-b', batchFile, `${sshd.user}@127.0.0.1`];
      const { code, signal, stderr } = await runCapture(timeBinary ?? sftp[0], timeBinary ? ['-f', 'bench-cpu %U %S', ...sftp] : sftp.slice(1));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      try {
        if (code !== 0) throw new Error(`sftp exited ${code ?? signal}:\n${stderr}`);
        if (fs.statSync(target).size !== options.bytes) throw new Error(`sftp ${direction}: wrong size`);
      } finally {
        fs.rmSync(target, { force: true });
      }
      const cpu = /bench-cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      return { seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined };
    };

    // One download by each client first, not timed. The first run in a process and on a fresh machine
    // pays for what later ones find ready (JIT-compiled code, page-cache pages the hypervisor has already
    // backed): seen here as a first Switchboard download 20–40 % slower than the next, every invocation.
    say('warm-up: one download by each client, not counted');
    await switchboardDownload();
    await opensshRun('download');
    execFileSync('sync');

    const loadBefore = os.loadavg();
    say(`V8 incremental marking: ${process.env.SFTP_BENCH_DEFAULT_GC ? 'on (V8\'s default; SFTP_BENCH_DEFAULT_GC is set)' : 'off, as every shell runs the core (main/core/gc-tuning.ts)'}`);
    say('run  direction  client        seconds    MB/s  client CPU s/GiB  machine CPU s/GiB, busy  RSS growth  transfer alone (the core\'s own start/end)');
    for (let i = 1; i <= options.runs; i++) {
      for (const direction of ['download', 'upload']) {
        for (const client of Object.keys(runs[direction])) {
          const r = await withMachineCpu(() => (client.startsWith('openssh') ? opensshRun(direction, client === 'openssh -f')
            : direction === 'download' ? switchboardDownload() : switchboardUpload()));
          // Each run starts with the disk idle: what the last one left (the journal's commit of a removed
          // 1 GiB file, its discards) would otherwise stall the next one's first fsync, which for
          // Switchboard is the session's record as it opens (seen: 1.9 s instead of 0.1).
          execFileSync('sync');
          r.mbps = options.bytes / MB / r.seconds;
          runs[direction][client].push(r);
          const cpu = r.cpuSeconds === undefined ? '     ?' : fmt(r.cpuSeconds * GIB / options.bytes, 2).padStart(6);
          const ours = r.growthMb === undefined ? '' : `  ${fmt(r.growthMb).padStart(6)} MB   ${fmt(r.transferSeconds, 2)} s  ${r.fullGcs} full GCs, longest GC pause ${fmt(r.longestMs)} ms`;
          const machine = `${fmt(r.machineCpuSeconds * GIB / options.bytes, 2).padStart(6)}  ${fmt(100 * r.machineBusy, 0).padStart(3)} %`;
          say(`${String(i).padStart(3)}  ${direction.padEnd(9)}  ${client.padEnd(11)}  ${fmt(r.seconds, 2).padStart(7)}  ${fmt(r.mbps).padStart(6)}  ${cpu}  ${machine}${ours}`);
        }
      }
    }

    const summary = {};
    say('');
    for (const direction of ['download', 'upload']) {
      const ours = median(runs[direction].switchboard.map((r) => r.mbps));
      const theirs = median(runs[direction].openssh.map((r) => r.mbps));
      const growth = Math.max(...runs[direction].switchboard.map((r) => r.growthMb));
      const cpu = (client) => {
        const values = runs[direction][client].map((r) => r.cpuSeconds).filter((c) => c !== undefined);
        return values.length ? median(values) * GIB / options.bytes : null;
      };
      const longestGcMs = Math.max(...runs[direction].switchboard.map((r) => r.longestMs));
      const durable = runs[direction]['openssh -f'] ? median(runs[direction]['openssh -f'].map((r) => r.mbps)) : null;
      const machine = (client) => ({
        cpu_s_per_gib: median(runs[direction][client].map((r) => r.machineCpuSeconds)) * GIB / options.bytes,
        busy: median(runs[direction][client].map((r) => r.machineBusy)),
      });
      summary[direction] = { switchboard: ours, openssh: theirs, ratio: ours / theirs, durable, growth, longestGcMs, cpu: { switchboard: cpu('switchboard'), openssh: cpu('openssh') },
        machine: { switchboard: machine('switchboard'), openssh: machine('openssh') } };
      say(`${direction.padEnd(8)}  median Switchboard ${fmt(ours)} MB/s  OpenSSH ${fmt(theirs)} MB/s  ratio ${fmt(ours / theirs, 2)} (target >= ${TARGET_RATIO}: ${ours / theirs >= TARGET_RATIO ? 'met' : 'NOT met'})  `
        + `RSS growth max ${fmt(growth)} MB (target < ${TARGET_RSS_MB}: ${growth < TARGET_RSS_MB ? 'met' : 'NOT met'})  `
        + `client CPU median ${summary[direction].cpu.switchboard?.toFixed(2) ?? '?'} vs ${summary[direction].cpu.openssh?.toFixed(2) ?? '?'} s/GiB  `
        + `machine CPU ${fmt(summary[direction].machine.switchboard.cpu_s_per_gib, 2)} vs ${fmt(summary[direction].machine.openssh.cpu_s_per_gib, 2)} s/GiB, `
        + `busy ${fmt(100 * summary[direction].machine.switchboard.busy, 0)} % vs ${fmt(100 * summary[direction].machine.openssh.busy, 0)} % of the ${os.availableParallelism()} CPUs`);
    }
    // What the hash alone costs this CPU (SHA-256 over a buffer in memory, in this process).
    const hashSPerGib = sha256SecondsPerGib();
    const machineOf = (client) => median(runs.download[client].map((r) => r.machineCpuSeconds)) * GIB / options.bytes;
    const plainMachine = machineOf('openssh');
    const ceiling = {
      hashing: plainMachine / (plainMachine + hashSPerGib),
      hashing_and_fsync: options.evidence ? plainMachine / (machineOf('openssh -f') + hashSPerGib) : null,
    };
    say(`SHA-256 on this CPU: ${fmt(hashSPerGib, 2)} s/GiB. While both clients keep the CPUs busy, throughput follows machine CPU per GiB: a client that did only what OpenSSH's plain \`get\` does `
      + `plus the hash would reach ${fmt(ceiling.hashing, 2)} of it${options.evidence ? `; plus the fsync (\`get -f\`'s machine CPU) ${fmt(ceiling.hashing_and_fsync, 2)}` : ''}`);
    const durable = summary.download.durable;
    if (options.evidence) {
      say(`download, each with the file fsynced before it is reported done: Switchboard (to the evidence) ${fmt(summary.download.switchboard)} MB/s, OpenSSH \`get -f\` ${fmt(durable)} MB/s, ratio ${fmt(summary.download.switchboard / durable, 2)}`);
    }
    const load = os.loadavg();
    say(`load average after the runs: ${load.map((l) => fmt(l, 2)).join(' ')} (MB = 10^6 bytes)`);
    if (options.json) {
      const r2 = (n) => Math.round(n * 100) / 100;
      console.log(JSON.stringify({
        download_vs_openssh: r2(summary.download.ratio),
        download_vs_openssh_fsync: durable ? r2(summary.download.switchboard / durable) : null,
        upload_vs_openssh: r2(summary.upload.ratio),
        rss_growth_mb: { download: r2(summary.download.growth), upload: r2(summary.upload.growth) },
        native_crypto: Boolean(bindingAvailable),
        download_ceiling_vs_openssh: { hashing: r2(ceiling.hashing), hashing_and_fsync: ceiling.hashing_and_fsync && r2(ceiling.hashing_and_fsync) },
        sha256_s_per_gib: r2(hashSPerGib),
        longest_gc_pause_ms: { download: r2(summary.download.longestGcMs), upload: r2(summary.upload.longestGcMs) },
        mb_per_s: {
          download: { switchboard: r2(summary.download.switchboard), openssh: r2(summary.download.openssh), openssh_fsync: durable && r2(durable) },
          upload: { switchboard: r2(summary.upload.switchboard), openssh: r2(summary.upload.openssh) },
        },
        client_cpu_s_per_gib: {
          download: { switchboard: summary.download.cpu.switchboard && r2(summary.download.cpu.switchboard), openssh: summary.download.cpu.openssh && r2(summary.download.cpu.openssh) },
          upload: { switchboard: summary.upload.cpu.switchboard && r2(summary.upload.cpu.switchboard), openssh: summary.upload.cpu.openssh && r2(summary.upload.cpu.openssh) },
        },
        machine_cpu: Object.fromEntries(['download', 'upload'].map((d) => [d, {
          switchboard: { s_per_gib: r2(summary[d].machine.switchboard.cpu_s_per_gib), busy: r2(summary[d].machine.switchboard.busy) },
          openssh: { s_per_gib: r2(summary[d].machine.openssh.cpu_s_per_gib), busy: r2(summary[d].machine.openssh.busy) },
        }])),
        bytes: options.bytes, runs: options.runs, cipher, load_average: { before: loadBefore.map(r2), after: load.map(r2) },
      }));
    }
  } finally {
    await cleanup();
  }
}


/** CPU seconds SHA-256 takes per GiB here (Node's OpenSSL; a 64 MiB buffer hashed 8 times). */
function sha256SecondsPerGib() {
  const buffer = crypto.randomBytes(64 * 1024 * 1024);
  const before = process.cpuUsage();
  const hash = crypto.createHash('sha256');
  for (let i = 0; i < 8; i++) hash.update(buffer);
  hash.digest();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6 * GIB / (8 * buffer.length);
}

let activeChild = null;
process.on('exit', () => { if (activeChild && activeChild.exitCode === null) activeChild.kill('SIGKILL'); });

/** Spawns without a shell; stdout goes to /dev/null, stderr is kept. */
function runCapture(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    activeChild = child;
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.once('error', reject);
    child.once('close', (code, signal) => { activeChild = null; resolve({ code, signal, stderr }); });
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`sftp: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
