import type { z } from 'zod';
import { ApiError } from '../../../contract/errors';
import type { hostFields } from '../../../contract/inputs';
import type { VncClipboard } from '../../../contract/domain/vocabulary';
import type { Host } from '../../../contract/models';
import { nowIso, type Db } from '../store/database';
import { dropNulls } from './customers';
import { pinChangeRefused, pinnedHostKey, pinOnFirstUse, rememberedPin } from './host-key-pin-store';
import { notFound, rethrowConflict } from './sql-errors';

export type HostInput = z.output<typeof hostFields>;

interface HostRow {
  id: number; site_id: number; name: string; address: string | null; role: string | null; anydesk_id: string | null; teamviewer_id: string | null;
}
interface SshRow { port: number; user: string | null; credential: string | null; agent: number; jump_host: string | null }
interface HttpsRow { port: number; path: string | null; cert_sha256: string | null }
interface VncRow { port: number; credential: string | null; view_only: number | null; jump_host: string | null; clipboard: VncClipboard | null; tls_cert_sha256: string | null }

function toHost(db: Db, row: HostRow): Host {
  const host: Host = { id: row.id, siteId: row.site_id, name: row.name, allow: [] };
  if (row.address) host.address = row.address;
  host.allow = (db.prepare('SELECT cidr FROM host_allow WHERE host_id = ? ORDER BY position').all(row.id) as { cidr: string }[]).map((r) => r.cidr);
  if (row.role) host.role = row.role;
  const ssh = db.prepare('SELECT port, user, credential, agent, jump_host FROM host_ssh WHERE host_id = ?').get(row.id) as SshRow | undefined;
  if (ssh) {
    host.ssh = dropNulls({ port: ssh.port, user: ssh.user, hostKey: pinnedHostKey(db, row.id), credential: ssh.credential, agent: ssh.agent ? true : null, jump: ssh.jump_host }) as Host['ssh'];
  }
  const https = db.prepare('SELECT port, path, cert_sha256 FROM host_https WHERE host_id = ?').get(row.id) as HttpsRow | undefined;
  if (https) host.https = dropNulls({ port: https.port, path: https.path, certSha256: https.cert_sha256 }) as Host['https'];
  const vnc = db.prepare('SELECT port, credential, view_only, jump_host, clipboard, tls_cert_sha256 FROM host_vnc WHERE host_id = ?').get(row.id) as VncRow | undefined;
  if (vnc) {
    host.vnc = dropNulls({
      port: vnc.port, credential: vnc.credential, viewOnly: vnc.view_only === null ? null : vnc.view_only === 1, jump: vnc.jump_host, clipboard: vnc.clipboard, tlsCertSha256: vnc.tls_cert_sha256,
    }) as Host['vnc'];
  }
  if (row.anydesk_id) host.anydesk = row.anydesk_id;
  if (row.teamviewer_id) host.teamviewer = row.teamviewer_id;
  return host;
}

export function listHosts(db: Db, siteId: number): Host[] {
  const rows = db.prepare('SELECT * FROM hosts WHERE site_id = ? AND deleted_at IS NULL ORDER BY position, id').all(siteId) as HostRow[];
  return rows.map((r) => toHost(db, r));
}

export function getHost(db: Db, id: number): Host {
  const row = db.prepare('SELECT * FROM hosts WHERE id = ? AND deleted_at IS NULL').get(id) as HostRow | undefined;
  if (!row) throw notFound('Host', id);
  return toHost(db, row);
}

function liveHostNames(db: Db, siteId: number, exceptId?: number): Set<string> {
  const rows = db.prepare('SELECT id, name FROM hosts WHERE site_id = ? AND deleted_at IS NULL').all(siteId) as { id: number; name: string }[];
  return new Set(rows.filter((r) => r.id !== exceptId).map((r) => r.name));
}

/** A VNC jump host is another host of the same site; the relay reaches the target through its SSH (and its SSH jumps). */
function checkVncJump(db: Db, siteId: number, input: HostInput, hostId?: number): void {
  const jump = input.vnc?.jump;
  if (!jump) return;
  if (jump === input.name) throw new ApiError('INVALID_INPUT', `${input.name} cannot be its own VNC jump host.`, [{ path: 'vnc.jump', message: 'a host cannot jump through itself' }]);
  if (!liveHostNames(db, siteId, hostId).has(jump)) {
    throw new ApiError('INVALID_INPUT', `The VNC jump host "${jump}" is not a host of this site.`, [{ path: 'vnc.jump', message: `"${jump}" is not a host of this site` }]);
  }
}

/** A jump host must be another host of the same site, and following jumps must never loop. */
function checkJump(db: Db, siteId: number, input: HostInput, hostId?: number): void {
  checkVncJump(db, siteId, input, hostId);
  const jump = input.ssh?.jump;
  if (!jump) return;
  if (jump === input.name) throw new ApiError('INVALID_INPUT', `${input.name} cannot be its own jump host.`, [{ path: 'ssh.jump', message: 'a host cannot jump through itself' }]);
  if (!liveHostNames(db, siteId, hostId).has(jump)) {
    throw new ApiError('INVALID_INPUT', `The jump host "${jump}" is not a host of this site.`, [{ path: 'ssh.jump', message: `"${jump}" is not a host of this site` }]);
  }
  const jumpOf = db.prepare(
    `SELECT s.jump_host FROM hosts h JOIN host_ssh s ON s.host_id = h.id WHERE h.site_id = ? AND h.name = ? AND h.deleted_at IS NULL`,
  );
  const seen = new Set([input.name]);
  for (let next: string | null | undefined = jump; next; ) {
    if (seen.has(next)) {
      throw new ApiError('INVALID_INPUT', `Jump hosts would loop: ${[...seen, next].join(' → ')}.`, [{ path: 'ssh.jump', message: 'the jump chain loops back' }]);
    }
    seen.add(next);
    next = (jumpOf.get(siteId, next) as { jump_host: string | null } | undefined)?.jump_host;
  }
}

function writeEndpoints(db: Db, id: number, input: HostInput): void {
  db.prepare('DELETE FROM host_allow WHERE host_id = ?').run(id);
  const allow = db.prepare('INSERT INTO host_allow (host_id, position, cidr) VALUES (?, ?, ?)');
  input.allow.forEach((cidr, i) => allow.run(id, i, cidr));
  db.prepare('DELETE FROM host_ssh WHERE host_id = ?').run(id);
  db.prepare('DELETE FROM host_https WHERE host_id = ?').run(id);
  db.prepare('DELETE FROM host_vnc WHERE host_id = ?').run(id);
  const { ssh, https, vnc } = input;
  if (ssh) {
    db.prepare('INSERT INTO host_ssh (host_id, port, user, credential, agent, jump_host) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, ssh.port, ssh.user ?? null, ssh.credential ?? null, ssh.agent ? 1 : 0, ssh.jump ?? null);
  }
  if (https) db.prepare('INSERT INTO host_https (host_id, port, path, cert_sha256) VALUES (?, ?, ?, ?)').run(id, https.port, https.path ?? null, https.certSha256 ?? null);
  if (vnc) {
    db.prepare('INSERT INTO host_vnc (host_id, port, credential, view_only, jump_host, clipboard, tls_cert_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, vnc.port, vnc.credential ?? null, vnc.viewOnly === undefined ? null : vnc.viewOnly ? 1 : 0, vnc.jump ?? null, vnc.clipboard ?? null, vnc.tlsCertSha256 ?? null);
  }
}

const conflict = (name: string) => `This site already has a host named "${name}".`;

export function createHost(db: Db, siteId: number, input: HostInput, options: { skipJumpCheck?: boolean } = {}): number {
  return db.transaction(() => {
    if (!options.skipJumpCheck) checkJump(db, siteId, input);
    const now = nowIso();
    const position = (db.prepare('SELECT coalesce(max(position) + 1, 0) AS p FROM hosts WHERE site_id = ?').get(siteId) as { p: number }).p;
    let id: number;
    try {
      id = Number(
        db.prepare('INSERT INTO hosts (site_id, position, name, address, role, anydesk_id, teamviewer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(siteId, position, input.name, input.address ?? null, input.role ?? null, input.anydesk ?? null, input.teamviewer ?? null, now, now).lastInsertRowid,
      );
    } catch (error) {
      rethrowConflict(error, conflict(input.name));
    }
    writeEndpoints(db, id, input);
    keepRememberedPin(db, siteId, id, input);
    return id;
  })();
}

export function updateHost(db: Db, id: number, input: HostInput): void {
  db.transaction(() => {
    const before = db.prepare('SELECT site_id, name FROM hosts WHERE id = ? AND deleted_at IS NULL').get(id) as { site_id: number; name: string } | undefined;
    if (!before) throw notFound('Host', id);
    checkJump(db, before.site_id, input, id);
    const hadSsh = db.prepare('SELECT 1 FROM host_ssh WHERE host_id = ?').get(id) !== undefined;
    const pinTyped = checkPinEdit(db, id, before.name, input, hadSsh);
    try {
      db.prepare('UPDATE hosts SET name = ?, address = ?, role = ?, anydesk_id = ?, teamviewer_id = ?, updated_at = ? WHERE id = ?')
        .run(input.name, input.address ?? null, input.role ?? null, input.anydesk ?? null, input.teamviewer ?? null, nowIso(), id);
    } catch (error) {
      rethrowConflict(error, conflict(input.name));
    }
    if (before.name !== input.name) renameReferences(db, before.site_id, before.name, input.name);
    writeEndpoints(db, id, input);
    if (pinTyped) pinOnFirstUse(db, id, pinTyped);
  })();
}

/**
 * A pinned SSH host key is not changed or cleared by editing the host: that would be a way past
 * "REMOTE HOST IDENTIFICATION HAS CHANGED" with no trail. Replacing it is hosts.replaceHostKey (a ticket,
 * a reason, the session log). The pin lives apart from the SSH endpoint (host-key-pin-store.ts), so
 * removing the endpoint keeps it and adding the endpoint again brings it back; a re-added endpoint
 * with no key typed keeps the pin. A pin typed in where there was none is allowed (the first
 * connection would otherwise ask); that key is returned to be stored.
 */
function checkPinEdit(db: Db, id: number, name: string, input: HostInput, hadSsh: boolean): string | null {
  if (!input.ssh) return null;
  const pinned = pinnedHostKey(db, id);
  const next = input.ssh.hostKey ?? null;
  if (pinned === null) return next;
  if (next === pinned || (next === null && !hadSsh)) return null;
  if (next !== null) throw pinChangeRefused(name, pinned, next, 'ssh.hostKey');
  const message = `The pinned host key ${pinned} is not cleared by editing the host. Use "Replace the pin" (it needs a ticket and a reason, and is recorded in the session log).`;
  throw new ApiError('CONFLICT', message, [{ path: 'ssh.hostKey', message }]);
}

/**
 * A host created with the name of one in the trash (itself, its site or its customer deleted) takes
 * over that host's pin: deleting and re-creating a host is not a way to have a new key accepted.
 * A different key typed or imported for it is refused like an edit would be.
 */
function keepRememberedPin(db: Db, siteId: number, id: number, input: HostInput): void {
  const names = db.prepare('SELECT c.name AS customer, s.name AS site FROM sites s JOIN customers c ON c.id = s.customer_id WHERE s.id = ?').get(siteId) as { customer: string; site: string };
  const remembered = rememberedPin(db, names.customer, names.site, input.name);
  const typed = input.ssh?.hostKey ?? null;
  if (remembered && typed !== null && typed !== remembered.fingerprint) {
    throw pinChangeRefused(`${remembered.label} (kept from the copy in the trash)`, remembered.fingerprint, typed, 'ssh.hostKey');
  }
  const pin = remembered?.fingerprint ?? typed;
  if (pin) pinOnFirstUse(db, id, pin);
}

/** Jump hosts and VPN gateways refer to hosts by name; a rename carries them along. */
function renameReferences(db: Db, siteId: number, from: string, to: string): void {
  db.prepare('UPDATE host_ssh SET jump_host = ? WHERE jump_host = ? AND host_id IN (SELECT id FROM hosts WHERE site_id = ?)').run(to, from, siteId);
  db.prepare('UPDATE host_vnc SET jump_host = ? WHERE jump_host = ? AND host_id IN (SELECT id FROM hosts WHERE site_id = ?)').run(to, from, siteId);
  db.prepare('UPDATE vpn_profiles SET gateway_host = ? WHERE gateway_host = ? AND site_id = ?').run(to, from, siteId);
}

/** Names of the live hosts and VPN profile that depend on this host, so deleting it would break them. */
export function hostDependents(db: Db, id: number): string[] {
  const host = db.prepare('SELECT site_id, name FROM hosts WHERE id = ?').get(id) as { site_id: number; name: string } | undefined;
  if (!host) return [];
  const jumpers = db
    .prepare('SELECT h.name FROM hosts h JOIN host_ssh s ON s.host_id = h.id WHERE h.site_id = ? AND s.jump_host = ? AND h.deleted_at IS NULL AND h.id <> ?')
    .all(host.site_id, host.name, id) as { name: string }[];
  const vncJumpers = db
    .prepare('SELECT h.name FROM hosts h JOIN host_vnc v ON v.host_id = h.id WHERE h.site_id = ? AND v.jump_host = ? AND h.deleted_at IS NULL AND h.id <> ?')
    .all(host.site_id, host.name, id) as { name: string }[];
  const out = [...jumpers.map((j) => `${j.name} uses it as its SSH jump host`), ...vncJumpers.map((j) => `${j.name} uses it as its VNC jump host`)];
  if (db.prepare('SELECT 1 FROM vpn_profiles WHERE site_id = ? AND gateway_host = ?').get(host.site_id, host.name)) out.push("the site's VPN profile uses it as gateway");
  return out;
}
