import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { stringify } from 'yaml';
import { afterAll, beforeAll, expect } from 'vitest';
import { linkTerminal, type CoreOptions } from '../../main/core';
import type { TestCore as Core } from './core';
import { openTicket } from '../../main/core/tickets/tickets';
import { linkPort } from '../../main/electron/terminal-port-link';
import { nodePortEnd } from './node-port';
import { call, useCores } from './core';
import { startSshd, type TestSshd } from './sshd';

/** A window's end of a terminal's MessagePort: bytes as text, control messages parsed, in order. */
export class WindowPort {
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
  /** Resolves once `check` holds, checking again after every message. */
  until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(this.messages)} ${JSON.stringify(this.text.slice(-300))}`)), timeoutMs);
      const test = () => { if (check()) { clearTimeout(timer); resolve(); } else this.waiters.push(test); };
      test();
    });
  }
  has(type: string): boolean { return this.messages.some((m) => m.type === type); }
  private acknowledged = 0;
  /** Acknowledges every byte received since the last call, as the window's terminal does once it has written them. */
  ackReceived(): void {
    if (this.bytes > this.acknowledged) this.port.postMessage(JSON.stringify({ type: 'ack', bytes: this.bytes - this.acknowledged }));
    this.acknowledged = this.bytes;
  }
  type(text: string): void { this.port.postMessage(new TextEncoder().encode(text)); }
}

/**
 * Links a terminal to a Node MessageChannel exactly as main/electron/terminal-port.ts links an Electron
 * MessagePortMain (same postMessage / message / close shape), and returns the window's end.
 */
export function connectPort(core: Core, sessionId: string): WindowPort {
  const { port1, port2 } = new MessageChannel();
  linkPort(nodePortEnd(port1), (carrier) => linkTerminal(carrier, core.terminals, sessionId));
  return new WindowPort(port2);
}

export interface TerminalLab { sshd: TestSshd; core: Core; siteId: number; ticket: string }

/**
 * A real sshd, a core whose site "<name> Labs/lab" has one host lab01 on it (password in the keychain),
 * and an open ticket; torn down after the file. Needs root and scripts/with-keyring.sh.
 * `options` go to the core (e.g. a short terminal idle time).
 */
export function useTerminalLab(name: string, ticket: string, options: Partial<CoreOptions> = {}): () => TerminalLab {
  const cores = useCores();
  const credential = `terminal-${name.toLowerCase()}-${process.pid}`;
  let lab: TerminalLab | null = null;
  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    const sshd = await startSshd();
    const engineer = `${name.toLowerCase()}-tester`;
    const core = cores({ engineer, ...options });
    const text = stringify({
      version: 1,
      customers: [{
        name: `${name} Labs`, package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh'], hosts: [{ name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential } }] }],
      }],
    });
    await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
    await call(core, 'credentials.set', { name: credential, kind: 'password', secret: sshd.password });
    const siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab') as { id: number }).id;
    openTicket(core.db, { ref: ticket, siteId, type: 'incident', component: 'other', impact: {} }, engineer);
    lab = { sshd, core, siteId, ticket };
  });
  afterAll(async () => {
    await lab?.core.dispatch('credentials.delete', { name: credential });
    await lab?.sshd.stop();
  });
  return () => {
    if (!lab) throw new Error('the terminal lab is not set up (beforeAll failed?)');
    return lab;
  };
}
