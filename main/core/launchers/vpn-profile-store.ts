/**
 * Switchboard's own copies of VPN profiles. A profile is read and checked once, when it is set (on
 * import or in the site form), and kept in the data dir under its SHA-256; sessions start from that
 * copy — never from the engineer's original file, which may change or be swapped after the check —
 * and only after its hash is checked again. Each session gets a derived copy with the gateway forced
 * to the approved IP, removed when the session ends.
 *
 *   <dataDir>/vpn-profiles/<sha256>.<ovpn|conf>     0700 dir, 0600 files, never rewritten
 *   <dataDir>/vpn-sessions/<sessionId>/<name>       the derived profile of one session
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { VpnClient } from '../../../contract/domain/vocabulary';
import { ApiError } from '../../../contract/errors';
import { forceVpnGateway } from './vpn-profile-gateway';
import { readVpnProfile, type ProfileProblem } from './vpn-profile-rules';
import { checkProfilePath } from './vpn';
import { ensurePrivateDir } from '../private-files';

/** A profile is a few KB of options and certificates; this bounds what is read and hashed. */
const MAX_PROFILE_BYTES = 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;

export interface CheckedProfile {
  client: VpnClient;
  sha256: string;
  bytes: Buffer;
}

export interface SessionProfile {
  /** The derived file to hand to the client. */
  path: string;
  /** Where the client connects, as a person reads it. */
  gateway: string;
  /** The gateway(s) the stored profile itself named. */
  named: string[];
  /** Deletes the derived file and its folder; safe to call twice. */
  remove(): void;
}

/** "line 12: `up` runs a command…" — where in the file, and what is wrong with it. */
export function describeProblem(problem: ProfileProblem): string {
  return problem.line > 0 ? `line ${problem.line}: ${problem.message}` : `the file ${problem.message}`;
}

function refuse(file: string, problems: ProfileProblem[]): never {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).map((p) => (p.line > 0 ? `line ${p.line}` : p.directive)).join(', ')})` : '';
  throw new ApiError('INVALID_INPUT', `VPN profile ${file}, ${describeProblem(problems[0]!)}${more}.`, problems.map((p) => ({ path: p.line > 0 ? `line ${p.line}` : '', message: p.message })));
}

const EXTENSION: Readonly<Record<VpnClient, string>> = { openvpn: '.ovpn', wireguard: '.conf', openconnect: '.conf', forticlient: '.conf' };

function writePrivate(file: string, bytes: string | Buffer): void {
  // O_EXCL: never write through a file (or link) someone else put there first.
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    fs.writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export class VpnProfileStore {
  private readonly profilesDir: string;
  private readonly sessionsDir: string;

  constructor(dataDir: string) {
    this.profilesDir = path.join(dataDir, 'vpn-profiles');
    this.sessionsDir = path.join(dataDir, 'vpn-sessions');
  }

  /** Reads the engineer's file and checks it; writes nothing. Throws INVALID_INPUT naming the line. */
  check(client: VpnClient, sourcePath: string): CheckedProfile {
    checkProfilePath(sourcePath);
    const shown = JSON.stringify(sourcePath);
    let bytes: Buffer;
    try {
      const fd = fs.openSync(sourcePath, 'r');
      try {
        if (fs.fstatSync(fd).size > MAX_PROFILE_BYTES) throw new ApiError('INVALID_INPUT', `VPN profile ${shown} is larger than 1 MiB; that is not a VPN profile.`);
        bytes = fs.readFileSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('INVALID_INPUT', `VPN profile ${shown} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    return this.checkBytes(client, bytes, shown);
  }

  private checkBytes(client: VpnClient, bytes: Buffer, shown: string): CheckedProfile {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ApiError('INVALID_INPUT', `VPN profile ${shown} is not UTF-8 text.`);
    }
    const problems = readVpnProfile(client, text).problems;
    if (problems.length > 0) refuse(shown, problems);
    return { client, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
  }

  /** Where the copy with this hash is kept. */
  pathOf(client: VpnClient, sha256: string): string {
    if (!SHA256.test(sha256)) throw new ApiError('INTERNAL', `${JSON.stringify(sha256)} is not a SHA-256.`);
    return path.join(this.profilesDir, `${sha256}${EXTENSION[client]}`);
  }

  /** Whether the copy with this hash is still there (its content is checked when it is loaded). */
  has(client: VpnClient, sha256: string): boolean {
    return fs.existsSync(this.pathOf(client, sha256));
  }

  /** Keeps the checked copy (once per content); returns its path. */
  keep(profile: CheckedProfile): string {
    ensurePrivateDir(this.profilesDir);
    const file = this.pathOf(profile.client, profile.sha256);
    try {
      writePrivate(file, profile.bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Already kept: use it only if it is what we would have written.
      this.load(profile.client, profile.sha256);
    }
    return file;
  }

  /** The kept copy's text after checking its hash and its content again. */
  load(client: VpnClient, sha256: string): string {
    const file = this.pathOf(client, sha256);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      throw new ApiError('NOT_FOUND', `Switchboard's copy of this site's VPN profile (${file}) is missing (${(error as NodeJS.ErrnoException).code}); set the profile again in the site form or with sites import.`);
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) {
      throw new ApiError('INVALID_INPUT', `Switchboard's copy of this site's VPN profile changed since it was checked (SHA-256 now ${actual}, recorded ${sha256}) — refusing to connect. Set the profile again to check it.`);
    }
    this.checkBytes(client, bytes, JSON.stringify(file));
    return bytes.toString('utf8');
  }

  /** The derived profile for one session, gateway forced to `ip`. */
  forSession(sessionId: string, client: VpnClient, sha256: string, ip: string): SessionProfile {
    if (!/^[0-9a-f-]{36}$/.test(sessionId)) throw new ApiError('INTERNAL', `${JSON.stringify(sessionId)} is not a session id.`);
    const forced = forceVpnGateway(client, this.load(client, sha256), ip);
    ensurePrivateDir(this.sessionsDir);
    const dir = path.join(this.sessionsDir, sessionId);
    fs.mkdirSync(dir, { mode: 0o700 });
    // wg-quick names the interface after the file (at most 15 characters).
    const file = path.join(dir, client === 'wireguard' ? `sb${sha256.slice(0, 8)}.conf` : `profile${EXTENSION[client]}`);
    writePrivate(file, forced.text);
    return { path: file, gateway: forced.gateway, named: forced.named, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
}
