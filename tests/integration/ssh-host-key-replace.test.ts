import { describe, expect, it } from 'vitest';
import { call } from '../helpers/core';
import { sshdUnavailable } from '../helpers/sshd';
import { connectPort, useTerminalLab, type WindowPort } from '../helpers/terminal-lab';

/**
 * Replacing a pinned host key on purpose, against a real sshd: a wrong pin is refused loudly, the pin is
 * replaced only through hosts.replaceHostKey (a ticket the policy accepts, the pin the engineer saw, a
 * reason), every try is in the session log, and editing the host cannot change the pin silently.
 */
const unavailable = sshdUnavailable();

describe.skipIf(unavailable).sequential(`replacing a pinned host key${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const lab = useTerminalLab('Repin', 'PORT-1');
  const core = () => lab().core;
  const siteId = () => lab().siteId;
  const sshd = () => lab().sshd;

  const WRONG = `SHA256:${'A'.repeat(43)}`;
  const hostId = () => (core().db.prepare("SELECT h.id FROM hosts h WHERE h.name = 'lab01' AND h.site_id = ?").get(siteId()) as { id: number }).id;
  const pinned = () => (core().db.prepare('SELECT fingerprint FROM host_key_pins WHERE host_id = ?').get(hostId()) as { fingerprint: string } | undefined)?.fingerprint ?? null;
  async function connectOnce(): Promise<WindowPort> {
    const { sessionId } = await call<{ sessionId: string }>(core(), 'terminals.open', { siteId: siteId(), ticket: 'PORT-1', target: 'lab01', cols: 80, rows: 24 });
    const window = connectPort(core(), sessionId);
    await window.until(() => window.has('connected') || window.has('exit'), 'connected or refused');
    if (window.has('connected')) await call(core(), 'terminals.close', { sessionId });
    return window;
  }
  const repinEntries = () => core().sessionLog.list({}).filter((r) => r.ticket === 'PORT-1').map((r) => core().sessionLog.get(r.sessionId).events).filter((events) => events[0]?.detail.action === 'replace-host-key');

  it('a wrong pin is refused loudly, before any credential', async () => {
    core().db.prepare("INSERT INTO host_key_pins (host_id, fingerprint, pinned_at) VALUES (?, ?, 'x') ON CONFLICT (host_id) DO UPDATE SET fingerprint = excluded.fingerprint").run(hostId(), WRONG);
    const window = await connectOnce();
    expect(window.messages.find((m) => m.type === 'exit')).toMatchObject({ failure: 'host-key-mismatch', error: expect.stringContaining('has CHANGED') });
    // Both fingerprints travel as data too, for the window's "Replace the pin" (no parsing of the sentence).
    expect(window.messages.find((m) => m.type === 'exit')).toMatchObject({ hostKey: { host: 'lab01', offered: sshd().hostKeyFingerprint, pinned: WRONG } });
  });

  it('editing the host cannot change or clear the pin', async () => {
    const site = await call<{ hosts: Array<{ id: number; name: string; address: string; ssh: { port: number; user?: string; credential?: string; hostKey?: string } }> }>(core(), 'sites.get', { id: siteId() });
    const lab = site.hosts.find((h) => h.name === 'lab01')!;
    const fields = (hostKey: string | undefined) => ({ name: lab.name, address: lab.address, allow: [], ssh: { port: lab.ssh.port, user: lab.ssh.user, credential: lab.ssh.credential, ...(hostKey ? { hostKey } : {}) } });
    const changed = await core().dispatch('hosts.update', { id: lab.id, fields: fields(sshd().hostKeyFingerprint) });
    expect(changed).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Replace the pin') } });
    const cleared = await core().dispatch('hosts.update', { id: lab.id, fields: fields(undefined) });
    expect(cleared).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(pinned()).toBe(WRONG);
  });

  it('refuses a stale pin and a ticket the policy does not accept, and logs both', async () => {
    const stale = await core().dispatch('hosts.replaceHostKey', { siteId: siteId(), ticket: 'PORT-1', host: 'lab01', previous: `SHA256:${'B'.repeat(43)}`, fingerprint: sshd().hostKeyFingerprint, reason: 'confirmed with the customer by phone' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(WRONG) } });
    const badTicket = await core().dispatch('hosts.replaceHostKey', { siteId: siteId(), ticket: 'NOPE-9', host: 'lab01', previous: WRONG, fingerprint: sshd().hostKeyFingerprint, reason: 'confirmed with the customer by phone' });
    expect(badTicket).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const short = await core().dispatch('hosts.replaceHostKey', { siteId: siteId(), ticket: 'PORT-1', host: 'lab01', previous: WRONG, fingerprint: sshd().hostKeyFingerprint, reason: 'ok' });
    expect(short).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(pinned()).toBe(WRONG);
    const refused = repinEntries().map((events) => events.at(-1)!.outcome);
    expect(refused).toEqual(['refused']);
    const denied = core().sessionLog.list({}).filter((r) => r.ticket === 'NOPE-9');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ decision: 'deny' });
  });

  it('replaces the pin with a ticket and a reason, logs it, and the next connection goes through', async () => {
    const done = await call<{ sessionId: string; previous: string; fingerprint: string }>(core(), 'hosts.replaceHostKey', { siteId: siteId(), ticket: 'PORT-1', host: 'lab01', previous: WRONG, fingerprint: sshd().hostKeyFingerprint, reason: 'host reinstalled; customer read the fingerprint on the phone' });
    expect(pinned()).toBe(sshd().hostKeyFingerprint);
    const { record, events } = core().sessionLog.get(done.sessionId);
    expect(record).toMatchObject({ ticket: 'PORT-1', host: 'lab01', engineer: 'repin-tester' });
    expect(events.at(-1)).toMatchObject({ kind: 'ended', outcome: 'host-key-replaced', detail: { previous: WRONG, fingerprint: sshd().hostKeyFingerprint, reason: expect.stringContaining('reinstalled') } });
    expect(core().sessionLog.verify().ok).toBe(true);
    const window = await connectOnce();
    expect(window.has('connected')).toBe(true);
  });
});
