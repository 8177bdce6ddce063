#!/usr/bin/env node
// Raises ssh2's largest accepted SSH packet from 35 000 bytes to OpenSSH's own limit (256 KiB).
//
// Why: when a remote terminal has echo off in canonical mode (a password prompt, `stty -echo`), sshd
// answers every write to the pty with an SSH_MSG_IGNORE of the same size, to hide the missing echo
// from traffic analysis (OpenSSH channels.c, "Simulate echo"). A paste of more than ~35 KB into such a
// terminal makes sshd send an IGNORE packet larger than ssh2 accepts, and ssh2 drops the connection
// with "Bad packet length". OpenSSH's client accepts packets up to 256 KiB (PACKET_MAX_SIZE).
// tests/integration/ssh-paste.test.ts pastes 1.2 MB into `stty -echo` against a real sshd.
//
// Run by `npm install` / `npm ci` (the `prepare` script). Idempotent; fails loudly if ssh2 changed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILE = path.join(ROOT, 'node_modules', 'ssh2', 'lib', 'protocol', 'crypto.js');
const ORIGINAL = 'const MAX_PACKET_SIZE = 35000;';
const PATCHED = 'const MAX_PACKET_SIZE = 256 * 1024; // raised by switchboard scripts/patch-ssh2.mjs';

if (!fs.existsSync(FILE)) {
  console.error(`patch-ssh2: ${path.relative(ROOT, FILE)} is missing; run npm install first.`);
  process.exit(1);
}
const source = fs.readFileSync(FILE, 'utf8');
if (source.includes(PATCHED)) process.exit(0);
if (!source.includes(ORIGINAL)) {
  console.error(`patch-ssh2: ${path.relative(ROOT, FILE)} no longer contains "${ORIGINAL}". The ssh2 version changed; check whether the patch is still needed (see the comment in scripts/patch-ssh2.mjs).`);
  process.exit(1);
}
fs.writeFileSync(FILE, source.replace(ORIGINAL, PATCHED));
console.log('patch-ssh2: ssh2 accepts SSH packets up to 256 KiB (sshd answers pastes into echo-off terminals with packets that large).');
