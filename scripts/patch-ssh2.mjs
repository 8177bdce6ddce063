#!/usr/bin/env node
// Two small changes to ssh2, each checked against the exact line it replaces.
//
// 1. lib/protocol/crypto.js: the largest accepted SSH packet, from 35 000 bytes to OpenSSH's own limit
//    (256 KiB). When a remote terminal has echo off in canonical mode (a password prompt, `stty -echo`),
//    sshd answers every write to the pty with an SSH_MSG_IGNORE of the same size, to hide the missing
//    echo from traffic analysis (OpenSSH channels.c, "Simulate echo"). A paste of more than ~35 KB into
//    such a terminal makes sshd send an IGNORE packet larger than ssh2 accepts, and ssh2 drops the
//    connection with "Bad packet length". tests/integration/ssh-paste.test.ts pastes 1.2 MB into
//    `stty -echo` against a real sshd.
//
// 2. lib/Channel.js: a channel may have its own receive window (`incoming.maxWindow`) instead of ssh2's
//    fixed 2 MiB. Only the SFTP channel sets one (main/core/ssh/ssh-connection.ts): its replies come only
//    for requests it sent, so a wider window cannot queue unread data, and with 2 MiB sshd stalled
//    waiting for window adjustments while 2 MiB of reads were in flight (bench/sftp.mjs: ~400 MB/s
//    downloads with 2 MiB, ~500 with 8). Terminals keep 2 MiB, which bounds what a flood leaves
//    queued behind Ctrl-C.
//
// 3. lib/protocol/SFTP.js (three places): a DATA reply that arrives over several channel packets — every
//    255 KiB read does, in 32 KiB packets — is copied straight into the buffer its READ request gave.
//    ssh2 first gathers such a reply in a fresh buffer of its own and then copies it into the read's:
//    a second copy of every byte downloaded and a 255 KiB allocation per reply, which V8 counts as
//    external memory (bench/sftp.mjs: client CPU 2.7 → 2.3 s per GiB downloaded). A reply whose header
//    is split, or that answers no waiting read of that size, takes ssh2's own path.
//
// Run by `npm install` / `npm ci` (the `prepare` script). Idempotent; fails loudly if ssh2 changed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PATCHES = [
  {
    file: path.join('node_modules', 'ssh2', 'lib', 'protocol', 'crypto.js'),
    original: 'const MAX_PACKET_SIZE = 35000;',
    patched: 'const MAX_PACKET_SIZE = 256 * 1024; // raised by switchboard scripts/patch-ssh2.mjs',
    done: 'ssh2 accepts SSH packets up to 256 KiB (sshd answers pastes into echo-off terminals with packets that large).',
  },
  {
    file: path.join('node_modules', 'ssh2', 'lib', 'Channel.js'),
    original: '  const amt = MAX_WINDOW - self.incoming.window;',
    patched: '  const amt = (self.incoming.maxWindow || MAX_WINDOW) - self.incoming.window; // switchboard scripts/patch-ssh2.mjs',
    done: 'ssh2 channels may have their own receive window (the SFTP channel uses a wider one).',
  },
  {
    file: path.join('node_modules', 'ssh2', 'lib', 'protocol', 'SFTP.js'),
    original: [
      "class SFTP extends EventEmitter {",
    ].join('\n'),
    patched: [
      "// switchboard (scripts/patch-ssh2.mjs): a DATA reply spread over several channel packets is copied",
      "// straight into the buffer its READ gave, instead of into a fresh buffer of its own that the handler",
      "// then copies from. Only when the first packet holds the reply's header and the read waits for at",
      "// least that much data; anything else takes ssh2's own path.",
      "const DATA_HEADER_LEN = 9; // type, request id, data length",
      "function readAwaitingData(sftp, data, p, nb) {",
      "  if (sftp.server || nb < DATA_HEADER_LEN || data[p] !== RESPONSE.DATA)",
      "    return undefined;",
      "  const id = data.readUInt32BE(p + 1);",
      "  const req = sftp._requests[id];",
      "  const len = data.readUInt32BE(p + 5);",
      "  if (!req || !req.buffer || typeof req.cb !== 'function'",
      "      || len !== sftp._pktLen - DATA_HEADER_LEN || len > req.buffer.length)",
      "    return undefined;",
      "  return { id, buffer: req.buffer, cb: req.cb };",
      "}",
      "",
      "class SFTP extends EventEmitter {",
    ].join('\n'),
    done: "ssh2 copies an SFTP DATA reply straight into its read's buffer (helper).",
  },
  {
    file: path.join('node_modules', 'ssh2', 'lib', 'protocol', 'SFTP.js'),
    original: [
      "      if (this._pktPos < this._pktLen) {",
      "        const nb = Math.min(this._pktLen - this._pktPos, data.length - p);",
      "        if (p !== 0 || nb !== data.length) {",
    ].join('\n'),
    patched: [
      "      if (this._pktPos < this._pktLen) {",
      "        const nb = Math.min(this._pktLen - this._pktPos, data.length - p);",
      "        if (this._pktPos === 0 && nb < this._pktLen) // switchboard: DATA straight into its read",
      "          this._readInto = readAwaitingData(this, data, p, nb);",
      "        if (this._readInto) {",
      "          const skip = (this._pktPos === 0 ? DATA_HEADER_LEN : 0);",
      "          this._readInto.buffer.set(",
      "            new Uint8Array(data.buffer, data.byteOffset + p + skip, nb - skip),",
      "            this._pktPos + skip - DATA_HEADER_LEN",
      "          );",
      "        } else if (p !== 0 || nb !== data.length) {",
    ].join('\n'),
    done: "ssh2 copies an SFTP DATA reply straight into its read's buffer (copy).",
  },
  {
    file: path.join('node_modules', 'ssh2', 'lib', 'protocol', 'SFTP.js'),
    original: [
      "      const type = this._pkt[0];",
      "      const payload = this._pkt;",
      "",
    ].join('\n'),
    patched: [
      "      const readInto = this._readInto; // switchboard: a DATA reply already in its read's buffer",
      "      if (readInto) {",
      "        const nb = this._pktLen - DATA_HEADER_LEN;",
      "        this._readInto = undefined;",
      "        this._pktLen = 0;",
      "        this._pktLenBytes = 0;",
      "        this._pktPos = 0;",
      "        delete this._requests[readInto.id];",
      "        this._debug && this._debug(",
      "          `SFTP: Inbound: Received DATA (id:${readInto.id}, ${nb})`",
      "        );",
      "        readInto.cb(undefined, readInto.buffer, nb);",
      "        continue;",
      "      }",
      "",
      "      const type = this._pkt[0];",
      "      const payload = this._pkt;",
      "",
    ].join('\n'),
    done: "ssh2 copies an SFTP DATA reply straight into its read's buffer (answer).",
  },
];

let failed = false;
for (const patch of PATCHES) {
  const file = path.join(ROOT, patch.file);
  if (!fs.existsSync(file)) {
    console.error(`patch-ssh2: ${patch.file} is missing; run npm install first.`);
    process.exit(1);
  }
  const source = fs.readFileSync(file, 'utf8');
  if (source.includes(patch.patched)) continue;
  if (!source.includes(patch.original)) {
    console.error(`patch-ssh2: ${patch.file} no longer contains "${patch.original}". The ssh2 version changed; check whether the patch is still needed (see the comment in scripts/patch-ssh2.mjs).`);
    failed = true;
    continue;
  }
  // A function, so that `$` in the patched text is not read as a replacement pattern.
  fs.writeFileSync(file, source.replace(patch.original, () => patch.patched));
  console.log(`patch-ssh2: ${patch.done}`);
}
if (failed) process.exit(1);
