import { ApiError, type FieldIssue } from '../../../contract/errors';
import { nowIso, type Db } from '../store/database';

/**
 * Where a host's pinned SSH key lives: a table keyed by the host, apart from its SSH endpoint, so
 * removing and re-adding the endpoint (form, hosts.update, profile import) cannot clear or swap it.
 * A pin is set on first use (no pin yet) or typed in where there was none; changing one is only
 * hosts.replaceHostKey (sessions/host-key-pins.ts), which logs it.
 */
export function pinnedHostKey(db: Db, hostId: number): string | null {
  const row = db.prepare('SELECT fingerprint FROM host_key_pins WHERE host_id = ?').get(hostId) as { fingerprint: string } | undefined;
  return row?.fingerprint ?? null;
}

/** First use: pins only when the host has no pin, so a race can never overwrite one. */
export function pinOnFirstUse(db: Db, hostId: number, fingerprint: string): boolean {
  return db.prepare('INSERT INTO host_key_pins (host_id, fingerprint, pinned_at) VALUES (?, ?, ?) ON CONFLICT (host_id) DO NOTHING')
    .run(hostId, fingerprint, nowIso()).changes === 1;
}

/** Only for the logged replacement, which has checked the ticket, the reason and the pin it replaces. */
export function replacePinnedHostKey(db: Db, hostId: number, fingerprint: string): void {
  db.prepare('INSERT INTO host_key_pins (host_id, fingerprint, pinned_at) VALUES (?, ?, ?) ON CONFLICT (host_id) DO UPDATE SET fingerprint = excluded.fingerprint, pinned_at = excluded.pinned_at')
    .run(hostId, fingerprint, nowIso());
}

export interface RememberedPin { fingerprint: string; label: string; pinnedAt: string }

/**
 * The pin of a host in the trash with the same customer, site and host name. Deleting a host (or its
 * site or customer) and creating it again, by hand or by importing the same profile, is the same
 * machine to the engineer, so it keeps its pin rather than asking again on first use.
 */
export function rememberedPin(db: Db, customer: string, site: string, host: string): RememberedPin | null {
  const row = db.prepare(
    `SELECT p.fingerprint, p.pinned_at AS pinnedAt, c.name || '/' || s.name || '/' || h.name AS label
       FROM host_key_pins p
       JOIN hosts h ON h.id = p.host_id JOIN sites s ON s.id = h.site_id JOIN customers c ON c.id = s.customer_id
      WHERE c.name = ? COLLATE NOCASE AND s.name = ? COLLATE NOCASE AND h.name = ? COLLATE NOCASE
      ORDER BY p.pinned_at DESC LIMIT 1`,
  ).get(customer, site, host) as RememberedPin | undefined;
  return row ?? null;
}

/** The one sentence for "this would change a pin": both fingerprints and the way that is recorded. */
export function pinChangeRefused(host: string, pinned: string, offered: string, path: string): ApiError {
  const message = `The SSH host key of ${host} is pinned to ${pinned}; ${offered} was given instead. A pin is not changed by editing or importing a host: `
    + `replace it with "Replace the pin" in the window or \`switchboard hosts repin\` (it needs a ticket and a reason, and is recorded in the session log).`;
  const issues: FieldIssue[] = [{ path, message }];
  return new ApiError('CONFLICT', message, issues);
}
