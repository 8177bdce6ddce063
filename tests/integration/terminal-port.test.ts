import { randomUUID } from 'node:crypto';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core';
import { openTicket } from '../../main/core/tickets/tickets';
import { closedMessage, linkPort, portFrame, portSessionId } from '../../main/electron/terminal-port-link';
import { call, useCores } from '../helpers/core';
import { sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';

/**
 * The desktop window's terminal carrier, a MessagePort, with Node's own MessageChannel standing in for
 * Electron's (same postMessage / message / close shape): the core's end is linked exactly as
 * main/electron/terminal-port.ts links a MessagePortMain, the test plays the window on the other end,
 * and the terminal is a real shell on a real sshd.
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

describe('terminal port frames', () => {
  it.each([
    ['a string is a control frame', '{"type":"ack","bytes":1}', { binary: false, text: '{"type":"ack","bytes":1}' }],
    ['a Uint8Array is bytes', new Uint8Array([104, 105]), { binary: true, text: 'hi' }],
    ['a view into a larger buffer keeps only its bytes', new Uint8Array([0, 104, 105, 0]).subarray(1, 3), { binary: true, text: 'hi' }],
    ['an ArrayBuffer is bytes', new Uint8Array([111, 107]).buffer, { binary: true, text: 'ok' }],
  ])('%s', (_name, data, expected) => {
    const frame = portFrame(data)!;
    expect({ binary: frame.binary, text: frame.frame.toString('utf8') }).toEqual(expected);
  });

  it.each([[42], [null], [{ type: 'ack', bytes: 1 }], [[1, 2]]])('refuses %j', (data) => {
    expect(portFrame(data)).toBeNull();
  });

  it('accepts only a lower-case UUID as the session asked for', () => {
    const id = randomUUID();
    expect(portSessionId(id)).toBe(id);
    for (const bad of [id.toUpperCase(), `${id} `, `../${id}`, 7, null, '']) expect(portSessionId(bad)).toBeNull();
    expect(JSON.parse(closedMessage(4404, 'gone'))).toEqual({ type: 'closed', code: 4404, reason: 'gone' });
  });
});

describe.skipIf(unavailable).sequential(`window terminal over a MessagePort${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  let sshd: TestSshd;
  let core: Core;
  let siteId: number;
  const credential = `terminal-port-${process.pid}`;

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    sshd = await startSshd();
    core = cores({ engineer: 'port-tester' });
    const text = stringify({
      version: 1,
      customers: [{
        name: 'Port Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
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

  it('says why and closes when the terminal does not exist', async () => {
    const window = connectPort(core, randomUUID());
    await window.until(() => window.has('closed'), 'the close message');
    expect(window.messages).toEqual([{ type: 'closed', code: 4404, reason: 'No such terminal; it may have ended.' }]);
  });

  it('carries the host-key question, keystrokes, output, acks and the exit', async () => {
    const { sessionId } = await call<{ sessionId: string }>(core, 'terminals.open', { siteId, ticket: 'PORT-1', target: 'lab01', cols: 90, rows: 25 });
    const window = connectPort(core, sessionId);
    await window.until(() => window.has('hostKey'), 'the host-key question');
    expect(window.messages[0]).toEqual({ type: 'hostKey', host: 'lab01', fingerprint: sshd.hostKeyFingerprint });
    await call(core, 'terminals.answerHostKey', { sessionId, accept: true });
    await window.until(() => window.has('connected'), 'the shell');

    window.port.postMessage(new TextEncoder().encode('stty size; echo "po""rt-$((6*7))"\n'));
    await window.until(() => window.text.includes('port-42'), 'the echo');
    expect(window.text).toContain('25 90');
    window.port.postMessage(JSON.stringify({ type: 'resize', cols: 120, rows: 40 }));
    window.port.postMessage(JSON.stringify({ type: 'ack', bytes: window.bytes }));
    await expect.poll(() => core.terminals.flow(sessionId)?.unacknowledged).toBe(0);
    window.port.postMessage(new TextEncoder().encode('stty size\n'));
    await window.until(() => window.text.includes('40 120'), 'the new size');

    window.port.postMessage(new TextEncoder().encode('exit 3\n'));
    await window.until(() => window.has('closed'), 'the close after the exit');
    const types = window.messages.map((m) => m.type);
    expect(types.slice(-2)).toEqual(['exit', 'closed']);
    expect(window.messages.at(-2)).toMatchObject({ type: 'exit', code: 3, error: null });
    expect(window.messages.at(-1)).toMatchObject({ code: 1000 });
  });

  it('closes a port that sends something that is not a frame', async () => {
    const { sessionId } = await call<{ sessionId: string }>(core, 'terminals.open', { siteId, ticket: 'PORT-1', target: 'lab01', cols: 80, rows: 24 });
    const window = connectPort(core, sessionId);
    await window.until(() => window.has('connected'), 'the shell');
    window.port.postMessage({ type: 'input', data: 'rm -rf /' });
    await window.until(() => window.has('closed'), 'the close');
    expect(window.messages.at(-1)).toEqual({ type: 'closed', code: 4400, reason: 'Bad terminal frame.' });
    await call(core, 'terminals.close', { sessionId });
  });
});
