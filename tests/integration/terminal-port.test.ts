import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closedMessage, portFrame, portSessionId } from '../../main/electron/terminal-port-link';
import { call } from '../helpers/core';
import { sshdUnavailable } from '../helpers/sshd';
import { connectPort, useTerminalLab } from '../helpers/terminal-lab';

/**
 * The desktop window's terminal carrier, a MessagePort, with Node's own MessageChannel standing in for
 * Electron's (same postMessage / message / close shape): the core's end is linked exactly as
 * main/electron/terminal-port.ts links a MessagePortMain, the test plays the window on the other end,
 * and the terminal is a real shell on a real sshd.
 */
const unavailable = sshdUnavailable();

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
  const lab = useTerminalLab('Port', 'PORT-1');
  const core = () => lab().core;
  const siteId = () => lab().siteId;
  const sshd = () => lab().sshd;

  it('says why and closes when the terminal does not exist', async () => {
    const window = connectPort(core(), randomUUID());
    await window.until(() => window.has('closed'), 'the close message');
    expect(window.messages).toEqual([{ type: 'closed', code: 4404, reason: 'No such terminal; it may have ended.' }]);
  });

  it('carries the host-key question, keystrokes, output, acks and the exit', async () => {
    const { sessionId } = await call<{ sessionId: string }>(core(), 'terminals.open', { siteId: siteId(), ticket: 'PORT-1', target: 'lab01', cols: 90, rows: 25 });
    const window = connectPort(core(), sessionId);
    await window.until(() => window.has('hostKey'), 'the host-key question');
    expect(window.messages[0]).toEqual({ type: 'hostKey', host: 'lab01', fingerprint: sshd().hostKeyFingerprint });
    await call(core(), 'terminals.answerHostKey', { sessionId, accept: true });
    await window.until(() => window.has('connected'), 'the shell');

    window.port.postMessage(new TextEncoder().encode('stty size; echo "po""rt-$((6*7))"\n'));
    await window.until(() => window.text.includes('port-42'), 'the echo');
    expect(window.text).toContain('25 90');
    window.port.postMessage(JSON.stringify({ type: 'resize', cols: 120, rows: 40 }));
    // The prompt after the echo may come a frame later: ack whatever has arrived until nothing is owed.
    await expect.poll(() => { window.ackReceived(); return core().terminals.flow(sessionId)?.unacknowledged; }).toBe(0);
    window.port.postMessage(new TextEncoder().encode('stty size\n'));
    await window.until(() => window.text.includes('40 120'), 'the new size');

    window.port.postMessage(new TextEncoder().encode('exit 3\n'));
    await window.until(() => window.has('closed'), 'the close after the exit');
    const types = window.messages.map((m) => m.type);
    expect(types.slice(-2)).toEqual(['exit', 'closed']);
    expect(window.messages.at(-2)).toMatchObject({ type: 'exit', code: 3, error: null });
    expect(window.messages.at(-1)).toMatchObject({ code: 1000 });
  });

  it('keeps what is typed before the shell is there, and sends it once it is', async () => {
    const { sessionId } = await call<{ sessionId: string }>(core(), 'terminals.open', { siteId: siteId(), ticket: 'PORT-1', target: 'lab01', cols: 80, rows: 24 });
    const window = connectPort(core(), sessionId);
    expect(window.has('connected')).toBe(false);
    window.type('echo "typed-""ahead"\n');
    await window.until(() => window.text.includes('typed-ahead'), 'the typed-ahead command to run');
    await call(core(), 'terminals.close', { sessionId });
  });

  it('closes a port that sends something that is not a frame', async () => {
    const { sessionId } = await call<{ sessionId: string }>(core(), 'terminals.open', { siteId: siteId(), ticket: 'PORT-1', target: 'lab01', cols: 80, rows: 24 });
    const window = connectPort(core(), sessionId);
    await window.until(() => window.has('connected'), 'the shell');
    window.port.postMessage({ type: 'input', data: 'rm -rf /' });
    await window.until(() => window.has('closed'), 'the close');
    expect(window.messages.at(-1)).toEqual({ type: 'closed', code: 4400, reason: 'Bad terminal frame.' });
    await call(core(), 'terminals.close', { sessionId });
  });
});
