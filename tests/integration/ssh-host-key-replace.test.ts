import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { openTicket } from '../../main/core/tickets/tickets';
import { linkPort } from '../../main/electron/terminal-port-link';
import { call, useCores } from '../helpers/core';
import { sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';

/**
 * Replacing a pinned host key on purpose, against a real sshd: a wrong pin is refused loudly, the pin is
 * replaced only through hosts.replaceHostKey (a ticket the policy accepts, the pin the engineer saw, a
 * reason), every try is in the session log, and editing the host cannot change the pin silently.
 */
const unavailable = sshdUnavailable();

/** The window's end: bytes as text, control messages parsed, in order. */
class WindowPort {
  text = '';
  bytes = 0;
  readonly messages: Array<{ type: string; [key: string]: unknown }> = [];
  private waiters: Array<() => void> = [];
  constructor(readonly port: MessagePort) {
    port.on('message', (data: unknown) => {
      if (typeof data === 'string') this.messages.push(JSON.parse(data) as { type: string });
      else if (data instanceof Uint8Array) {
        this.text += Buffer.from(data).toString('utf8');
        this.bytes += data.length;
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(this.messages)} ${JSON.stringify(this.text.slice(-300))}`)), timeoutMs);
      const test = () => { if (check()) { clearTimeout(timer); resolve(); } else this.waiters.push(test); };
      test();
    });
  }
  has(type: string): boolean { return this.messages.some((m) => m.type === type); }
}

function connectPort(core: Core, sessionId: string): WindowPort {
  const { port1, port2 } = new MessageChannel();
  linkPort({
    post: (data) => port1.postMessage(data),
    onMessage: (listener) => port1.on('message', listener),
    onClose: (listener) => port1.on('close', listener),
    start: () => port1.start(),
    close: () => port1.close(),
  }, core.terminals, sessionId);
  return new WindowPort(port2);
}

describe.skipIf(unavailable).sequential(`replacing a pinned host key${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  let sshd: TestSshd;
  let core: Core;
  let siteId: number;
  const credential = `terminal-repin-${process.pid}`;

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    core = cores({ engineer: 'port-tester' });
    const text = stringify({
      version: 1,
      customers: [{
        name: 'Repin Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [{ name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential } }] }],
      }],
    });
    await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
    await call(core, 'credentials.set', { name: credential, kind: 'password', secret: sshd.password });
    siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab') as { id: number }).id;
    openTicket(core.db, { ref: 'PORT-1', siteId, type: 'incident', component: 'other', impact: {} }, 'port-tester');
  });
  afterAll(async () => {
    await core?.dispatch('credentials.delete', { name: credential });
    await sshd?.stop();
  });

  const WRONG = `SHA256:${'A'.repeat(43)}`;
  const hostId = () => (core.db.prepare("SELECT h.id FROM hosts h WHERE h.name = 'lab01' AND h.site_id = ?").get(siteId) as { id: number }).id;
  const pinned = () => (core.db.prepare('SELECT host_key FROM host_ssh WHERE host_id = ?').get(hostId()) as { host_key: string | null }).host_key;
  async function connectOnce(): Promise<WindowPort> {
    const { sessionId } = await call<{ sessionId: string }>(core, 'terminals.open', { siteId, ticket: 'PORT-1', target: 'lab01', cols: 80, rows: 24 });
    const window = connectPort(core, sessionId);
    await window.until(() => window.has('connected') || window.has('exit'), 'connected or refused');
    if (window.has('connected')) await call(core, 'terminals.close', { sessionId });
    return window;
  }
  const repinEntries = () => core.sessionLog.list({}).filter((r) => r.ticket === 'PORT-1').map((r) => core.sessionLog.get(r.sessionId).events).filter((events) => events[0]?.detail.action === 'replace-host-key');

  it('a wrong pin is refused loudly, before any credential', async () => {
    core.db.prepare('UPDATE host_ssh SET host_key = ? WHERE host_id = ?').run(WRONG, hostId());
    const window = await connectOnce();
    expect(window.messages.find((m) => m.type === 'exit')).toMatchObject({ failure: 'host-key-mismatch', error: expect.stringContaining('has CHANGED') });
  });

  it('editing the host cannot change or clear the pin', async () => {
    const site = await call<{ hosts: Array<{ id: number; name: string; address: string; ssh: { port: number; user?: string; credential?: string; hostKey?: string } }> }>(core, 'sites.get', { id: siteId });
    const lab = site.hosts.find((h) => h.name === 'lab01')!;
    const fields = (hostKey: string | undefined) => ({ name: lab.name, address: lab.address, allow: [], ssh: { port: lab.ssh.port, user: lab.ssh.user, credential: lab.ssh.credential, ...(hostKey ? { hostKey } : {}) } });
    const changed = await core.dispatch('hosts.update', { id: lab.id, fields: fields(sshd.hostKeyFingerprint) });
    expect(changed).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Replace the pin') } });
    const cleared = await core.dispatch('hosts.update', { id: lab.id, fields: fields(undefined) });
    expect(cleared).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(pinned()).toBe(WRONG);
  });

  it('refuses a stale pin and a ticket the policy does not accept, and logs both', async () => {
    const stale = await core.dispatch('hosts.replaceHostKey', { siteId, ticket: 'PORT-1', host: 'lab01', previous: `SHA256:${'B'.repeat(43)}`, fingerprint: sshd.hostKeyFingerprint, reason: 'confirmed with the customer by phone' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(WRONG) } });
    const badTicket = await core.dispatch('hosts.replaceHostKey', { siteId, ticket: 'NOPE-9', host: 'lab01', previous: WRONG, fingerprint: sshd.hostKeyFingerprint, reason: 'confirmed with the customer by phone' });
    expect(badTicket).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const short = await core.dispatch('hosts.replaceHostKey', { siteId, ticket: 'PORT-1', host: 'lab01', previous: WRONG, fingerprint: sshd.hostKeyFingerprint, reason: 'ok' });
    expect(short).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(pinned()).toBe(WRONG);
    const refused = repinEntries().map((events) => events.at(-1)!.outcome);
    expect(refused).toEqual(['refused']);
    const denied = core.sessionLog.list({}).filter((r) => r.ticket === 'NOPE-9');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ decision: 'deny' });
  });

  it('replaces the pin with a ticket and a reason, logs it, and the next connection goes through', async () => {
    const done = await call<{ sessionId: string; previous: string; fingerprint: string }>(core, 'hosts.replaceHostKey', { siteId, ticket: 'PORT-1', host: 'lab01', previous: WRONG, fingerprint: sshd.hostKeyFingerprint, reason: 'host reinstalled; customer read the fingerprint on the phone' });
    expect(pinned()).toBe(sshd.hostKeyFingerprint);
    const { record, events } = core.sessionLog.get(done.sessionId);
    expect(record).toMatchObject({ ticket: 'PORT-1', host: 'lab01', engineer: 'port-tester' });
    expect(events.at(-1)).toMatchObject({ kind: 'ended', outcome: 'host-key-replaced', detail: { previous: WRONG, fingerprint: sshd.hostKeyFingerprint, reason: expect.stringContaining('reinstalled') } });
    expect(core.sessionLog.verify().ok).toBe(true);
    const window = await connectOnce();
    expect(window.has('connected')).toBe(true);
  });
});
