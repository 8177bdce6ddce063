#!/usr/bin/env node
// SSH transport benchmark: ssh2 (through Switchboard's SshConnection) vs OpenSSH's `ssh` client,
// both pulling `head -c N /dev/zero` from the same real sshd (tests/helpers/sshd.ts) with the same cipher.
// Not part of the test suite. Needs root (the sshd helper does).
//
//   node bench/ssh-transport.mjs [--bytes 1G] [--runs 3]
//
// The TypeScript it needs is bundled with esbuild's JS API into a temp dir (os.tmpdir()), then loaded.
// npm packages stay external (resolved to absolute paths in this checkout), so ssh2 keeps its native addon.
import { spawn } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const MB = 1e6;

function usage(message) {
  if (message) console.error(`ssh-transport: ${message}`);
  console.error('usage: node bench/ssh-transport.mjs [--bytes 1G|256M|<n>] [--runs 3]');
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
  const options = { bytes: 1024 ** 3, bytesLabel: '1G', runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--bytes') { options.bytesLabel = value(); options.bytes = parseBytes(options.bytesLabel); }
    else if (flag === '--runs') { options.runs = Number(value()); if (!Number.isInteger(options.runs) || options.runs < 1) usage('--runs must be a positive integer'); }
    else if (flag === '-h' || flag === '--help') usage();
    else usage(`unknown argument ${argv[i]}`);
  }
  return options;
}

/** Bundles the TS modules the benchmark uses into one CJS file under os.tmpdir(). */
async function bundle(outDir) {
  const esbuild = require('esbuild');
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const outfile = path.join(outDir, 'ssh-transport.bundle.cjs');
  await esbuild.build({
    stdin: {
      contents: [
        "export { SshConnection } from './main/core/ssh/ssh-connection';",
        "export { startSshd, sshdHop, keyText } from './tests/helpers/sshd';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
      sourcefile: 'bench-entry.ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    plugins: [{
      // Packages stay out of the bundle; the bundle lives outside the checkout, so point them at absolute paths.
      name: 'absolute-externals',
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) => {
          if (builtins.has(args.path)) return { path: args.path, external: true };
          return { path: require.resolve(args.path, { paths: [args.resolveDir || ROOT] }), external: true };
        });
      },
    }],
  });
  return require(outfile);
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

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (n, digits = 1) => n.toFixed(digits);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const command = `head -c ${options.bytes} /dev/zero`;
  const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const cleanups = [() => fs.rmSync(buildDir, { recursive: true, force: true })];
  let cleaning = null;
  const cleanup = () => (cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try { await fn(); } catch (error) { console.error(`cleanup: ${error.message}`); }
    }
  })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping sshd`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    const mod = await bundle(buildDir);
    const handshakes = watchSsh2Handshakes();
    const { bindingAvailable } = require('ssh2/lib/protocol/crypto.js');
    const { DEFAULT_CIPHER } = require('ssh2/lib/protocol/constants.js');
    const ssh2Version = require('ssh2/package.json').version;
    const cipher = DEFAULT_CIPHER[0]; // what ssh2 offers first; sshd picks the client's first mutually supported one

    const sshd = await mod.startSshd();
    cleanups.push(() => sshd.stop());
    const key = mod.keyText(sshd.privateKeyPath);
    const openssh = String((await runCapture('ssh', ['-V'])).stderr).trim();

    console.log(`SSH transport benchmark: ${command}  (${fmt(options.bytes / MB)} MB per run, ${options.runs} runs each, alternating)`);
    console.log(`machine: ${os.availableParallelism()} CPUs, ${cpuModel()}; node ${process.version}`);
    console.log(`ssh2 ${ssh2Version} (native crypto addon: ${bindingAvailable ? 'loaded' : 'NOT available — pure JS/node:crypto'}); ${openssh}`);
    console.log(`sshd on 127.0.0.1:${sshd.port} as ${sshd.user}; cipher ${cipher}\n`);

    const ssh2Run = async () => {
      const started = process.hrtime.bigint();
      const connection = await mod.SshConnection.open({ hops: [mod.sshdHop(sshd, [{ kind: 'publickey', privateKey: key }])] });
      cleanups.push(() => connection.close());
      try {
        const negotiated = handshakes.at(-1);
        const channel = await connection.exec(command);
        let received = 0;
        channel.onData((data, source) => { if (source === 'stdout') received += data.length; });
        const exit = await withTimeout(channel.exit, 'ssh2 run');
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (exit.code !== 0) throw new Error(`ssh2: remote command exited ${exit.code ?? exit.signal}`);
        if (received !== options.bytes) throw new Error(`ssh2: received ${received} bytes, expected ${options.bytes}`);
        return { seconds, cipher: negotiated?.sc?.cipher ?? '?' };
      } finally {
        connection.close();
      }
    };

    const opensshRun = async () => {
      const args = [
        '-v', '-p', String(sshd.port), '-i', sshd.privateKeyPath,
        '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes',
        '-o', 'IdentitiesOnly=yes', '-F', '/dev/null', '-c', cipher,
        `${sshd.user}@127.0.0.1`, command,
      ];
      const started = process.hrtime.bigint();
      const { code, signal, stderr } = await withTimeout(runCapture('ssh', args, true), 'OpenSSH run');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) throw new Error(`ssh exited ${code ?? signal}:\n${stderr}`);
      // -v prints "debug1: kex: server->client cipher: aes128-gcm@openssh.com MAC: <implicit> compression: none"
      const used = /kex: server->client cipher: (\S+)/.exec(stderr)?.[1] ?? '?';
      return { seconds, cipher: used };
    };

    const results = { ssh2: [], openssh: [] };
    console.log('run  client   seconds    MB/s  cipher (server->client)');
    for (let i = 1; i <= options.runs; i++) {
      for (const [name, run] of [['ssh2', ssh2Run], ['openssh', opensshRun]]) {
        const r = await run();
        r.mbps = options.bytes / MB / r.seconds;
        results[name].push(r);
        console.log(`${String(i).padStart(3)}  ${name.padEnd(7)}  ${fmt(r.seconds, 2).padStart(7)}  ${fmt(r.mbps).padStart(6)}  ${r.cipher}`);
      }
    }
    const ssh2Median = median(results.ssh2.map((r) => r.mbps));
    const opensshMedian = median(results.openssh.map((r) => r.mbps));
    const ciphers = new Set([...results.ssh2, ...results.openssh].map((r) => r.cipher));
    const ratio = ssh2Median / opensshMedian;
    console.log(`\nmedian   ssh2 ${fmt(ssh2Median)} MB/s   OpenSSH ${fmt(opensshMedian)} MB/s   (MB = 10^6 bytes; connect + auth + transfer)`);
    if (ciphers.size !== 1) console.log(`WARNING: the clients did not use one cipher: ${[...ciphers].join(', ')}`);
    console.log(`target ssh2/openssh >= 0.6: ${ratio >= 0.6 ? 'met' : 'NOT met'}`);
    console.log(`transport ratio: ${fmt(ratio, 2)} (ssh2 ${fmt(ssh2Median)} MB/s, OpenSSH ${fmt(opensshMedian)} MB/s, cipher ${[...ciphers].join('/')})`);
  } finally {
    await cleanup();
  }
}

function cpuModel() {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown CPU';
  }
}

let activeChild = null;
process.on('exit', () => { if (activeChild && activeChild.exitCode === null) activeChild.kill('SIGKILL'); });

/** Spawns without a shell; stdout goes to /dev/null when `discardStdout`, stderr is kept. */
function runCapture(file, args, discardStdout = false) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', discardStdout ? 'ignore' : 'pipe', 'pipe'] });
    activeChild = child;
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.once('error', reject);
    child.once('close', (code, signal) => { activeChild = null; resolve({ code, signal, stderr }); });
  });
}

const RUN_TIMEOUT_MS = 10 * 60_000;
function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => { activeChild?.kill('SIGKILL'); reject(new Error(`${what} took over ${RUN_TIMEOUT_MS / 60_000} min`)); }, RUN_TIMEOUT_MS); }),
  ]);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`ssh-transport: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
