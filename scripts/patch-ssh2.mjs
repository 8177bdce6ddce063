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
  fs.writeFileSync(file, source.replace(patch.original, patch.patched));
  console.log(`patch-ssh2: ${patch.done}`);
}
if (failed) process.exit(1);
