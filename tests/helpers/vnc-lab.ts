import { stringify } from 'yaml';
import { afterAll, beforeAll, expect } from 'vitest';
import type { CoreOptions } from '../../main/core';
import { openTicket } from '../../main/core/tickets/tickets';
import { call, useCores, type TestCore } from './core';
import { startXvnc, type TestXvnc, type XvncOptions } from './xvnc';

export interface VncLab { xvnc: TestXvnc; core: TestCore; siteId: number; ticket: string; credential: string }

export interface VncLabOptions {
  xvnc?: XvncOptions;
  /** The vnc endpoint's keys beyond port and credential (view_only, clipboard, tls_cert_sha256…), as the profile writes them. */
  endpoint?: Record<string, unknown>;
  /** Whether the site records the engineer's input too. */
  recordInput?: boolean;
  core?: Partial<CoreOptions>;
  /** The password the keychain holds (default: the server's own). */
  keychainPassword?: string;
}

/**
 * A real Xvnc and a core whose site "<name> Labs/lab" has one host desk01 with a VNC endpoint on it
 * (password in the keychain), VNC approved, and an open ticket; torn down after the file. Needs
 * scripts/with-keyring.sh.
 */
export function useVncLab(name: string, ticket: string, options: VncLabOptions = {}): () => VncLab {
  const cores = useCores();
  const credential = `vnc-${name.toLowerCase()}-${process.pid}`;
  let lab: VncLab | null = null;
  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    const xvnc = await startXvnc(options.xvnc);
    const engineer = `${name.toLowerCase()}-tester`;
    const core = cores({ engineer, ...options.core });
    const vnc = { port: xvnc.port, ...(xvnc.password !== null ? { credential } : {}), ...options.endpoint };
    const text = stringify({
      version: 1,
      customers: [{
        name: `${name} Labs`, package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['vnc', 'ssh'], hosts: [{ name: 'desk01', address: '127.0.0.1', vnc }] }],
      }],
    });
    await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
    if (xvnc.password !== null) await call(core, 'credentials.set', { name: credential, kind: 'password', secret: options.keychainPassword ?? xvnc.password });
    const siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab') as { id: number }).id;
    if (options.recordInput) core.db.prepare('UPDATE sites SET record_input = 1 WHERE id = ?').run(siteId);
    openTicket(core.db, { ref: ticket, siteId, type: 'incident', component: 'other', impact: {} }, engineer);
    lab = { xvnc, core, siteId, ticket, credential };
  });
  afterAll(async () => {
    await lab?.core.dispatch('credentials.delete', { name: credential });
    await lab?.xvnc.stop();
  });
  return () => {
    if (!lab) throw new Error('the VNC lab is not set up (beforeAll failed?)');
    return lab;
  };
}
