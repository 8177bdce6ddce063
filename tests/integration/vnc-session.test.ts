import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../main/core/vnc/png';
import { takeSnapshot } from '../../main/core/vnc/snapshot';
import { readVncRecording } from '../../main/core/vnc/vnc-recording';
import { call, callError } from '../helpers/core';
import { decodePng, pixelAt } from '../helpers/png';
import { attachViewer, attachViewerOverPort, viewerHandshake } from '../helpers/vnc-viewer';
import { useVncLab } from '../helpers/vnc-lab';

/** The session's records, oldest first: [kind, outcome, detail]. */
function sessionEvents(lab: ReturnType<ReturnType<typeof useVncLab>>, sessionId: string) {
  return (lab.core.db.prepare('SELECT kind, outcome, detail FROM session_events WHERE session_id = ? ORDER BY seq').all(sessionId) as { kind: string; outcome: string; detail: string }[])
    .map((e) => ({ kind: e.kind, outcome: e.outcome, detail: JSON.parse(e.detail) as Record<string, unknown> }));
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('a VNC session in the window: policy, relay, recording, log', () => {
  const lab = useVncLab('Vnc', 'EXO-VNC-1', { xvnc: { geometry: { width: 320, height: 200 } } });

  it('the viewer gets the real screen through the relay with no password, and the end names the recording\'s hash', async () => {
    const { core, xvnc, siteId, ticket } = lab();
    xvnc.x('xsetroot', ['-solid', '#3a6ea5']);
    const opened = await call<{ sessionId: string; decision: { allowed: boolean; address: string } }>(core, 'vnc.open', { siteId, ticket, target: 'desk01' });
    expect(opened.decision).toMatchObject({ allowed: true, address: '127.0.0.1' });
    const viewer = attachViewer(core.vnc, opened.sessionId);
    const connected = await viewer.message('connected');
    expect(connected).toMatchObject({ width: 320, height: 200, security: 'VNC Authentication', plan: { host: 'desk01', port: xvnc.port, viewOnly: false, clipboard: 'off' } });
    const init = await viewerHandshake(viewer.rfb);
    expect(init).toMatchObject({ width: 320, height: 200 });
    const frame = await takeSnapshot(viewer.rfb, init, { timeoutMs: 10_000 });
    const at = (x: number, y: number) => `#${frame.rgba.subarray((y * frame.width + x) * 4, (y * frame.width + x) * 4 + 3).toString('hex')}`;
    expect([at(0, 0), at(160, 100), at(319, 199)]).toEqual(['#3a6ea5', '#3a6ea5', '#3a6ea5']);

    // "Save screenshot to ticket": the window's PNG is kept by its hash and named in the session's end.
    const png = encodePng(frame.width, frame.height, frame.rgba);
    const saved = await call<{ file: string; sha256: string }>(core, 'vnc.saveScreenshot', { sessionId: opened.sessionId, png: png.toString('base64') });
    expect(saved.sha256).toBe(createHash('sha256').update(png).digest('hex'));
    expect(fs.readFileSync(saved.file)).toEqual(png);
    expect((await callError(core, 'vnc.saveScreenshot', { sessionId: opened.sessionId, png: Buffer.from('not a png at all, just text; long enough to look like one maybe').toString('base64') })).message).toMatch(/not a PNG/);

    const ticketId = core.db.prepare('SELECT id FROM tickets WHERE ref = ?').pluck().get(ticket) as number;
    const listed = async () => call<{ sha256: string; live: boolean; host: string }[]>(core, 'tickets.screenshots', { id: ticketId });
    expect(await listed()).toEqual([expect.objectContaining({ sha256: saved.sha256, live: true, host: 'desk01', sessionId: opened.sessionId })]);

    viewer.leave();
    const end = await core.vnc.close(opened.sessionId);
    expect(await listed()).toEqual([expect.objectContaining({ sha256: saved.sha256, live: false, host: 'desk01' })]);
    const image = await call<{ png: string; sha256Matches: boolean }>(core, 'tickets.screenshot', { id: ticketId, sha256: saved.sha256 });
    expect(image.sha256Matches).toBe(true);
    expect(Buffer.from(image.png, 'base64')).toEqual(png);
    fs.writeFileSync(saved.file, Buffer.concat([png, Buffer.from('x')]));
    expect((await call<{ sha256Matches: boolean }>(core, 'tickets.screenshot', { id: ticketId, sha256: saved.sha256 })).sha256Matches).toBe(false);
    expect((await callError(core, 'tickets.screenshot', { id: ticketId, sha256: '0'.repeat(64) })).code).toBe('NOT_FOUND');
    expect(end).toMatchObject({ outcome: 'disconnected', reason: 'the viewer closed', error: null });
    expect(end!.sha256).toBe(sha256(end!.recording!));
    const events = sessionEvents(lab(), opened.sessionId);
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['started', 'connected'], ['ended', 'disconnected']]);
    expect(events[1]!.detail).toMatchObject({ address: '127.0.0.1', port: xvnc.port, security: 'VNC Authentication', viewOnly: false, clipboard: 'off', inputRecorded: false });
    expect(events[2]!.detail).toMatchObject({ recording: end!.recording, recordingSha256: end!.sha256, screenshots: [{ sha256: saved.sha256 }] });
    // The recording replays the same screen: its header greets a viewer, its output is what the relay passed.
    const recording = readVncRecording(end!.recording!);
    expect(recording.header).toMatchObject({ sessionId: opened.sessionId, width: 320, height: 200 });
    expect(recording.events.filter((e) => e.kind === 'i')).toHaveLength(0);
    expect(recording.events.reduce((n, e) => n + e.data.length, 0)).toBeGreaterThan(320 * 200 * 4);
    expect(JSON.stringify(recording)).not.toContain(xvnc.password!);
  });

  it('the desktop window\'s carrier (a MessagePort) relays the same screen', async () => {
    const { core, xvnc, siteId, ticket } = lab();
    xvnc.x('xsetroot', ['-solid', '#2b8a3e']);
    const opened = await call<{ sessionId: string }>(core, 'vnc.open', { siteId, ticket, target: 'desk01' });
    const viewer = attachViewerOverPort(core.vnc, opened.sessionId);
    await viewer.message('connected');
    const init = await viewerHandshake(viewer.rfb);
    const frame = await takeSnapshot(viewer.rfb, init, { timeoutMs: 10_000 });
    expect(frame.rgba.subarray(0, 3).toString('hex')).toBe('2b8a3e');
    const end = await core.vnc.close(opened.sessionId);
    expect(end).toMatchObject({ outcome: 'disconnected' });
    expect((await viewer.message('exit')).sha256).toBe(end!.sha256);
  });

  it('a host outside the trusted list is denied before any connection, and logged', async () => {
    const { core, siteId, ticket, xvnc } = lab();
    let connections = 0;
    const trap = net.createServer((socket) => { connections++; socket.destroy(); });
    await new Promise<void>((resolve) => trap.listen(xvnc.port, '127.0.0.3', resolve));
    try {
      const opened = await call<{ sessionId: string; decision: { allowed: boolean; reasons: string[] } }>(core, 'vnc.open', { siteId, ticket, target: '127.0.0.3' });
      expect(opened.decision.allowed).toBe(false);
      expect(core.vnc.has(opened.sessionId)).toBe(false);
      expect(sessionEvents(lab(), opened.sessionId).map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'denied']]);
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => trap.close(resolve));
    }
  });

  it('connect --method vnc --snapshot: one frame as a PNG through the same policy and sign-in, logged with its hash', async () => {
    const { core, xvnc, siteId, ticket } = lab();
    xvnc.x('xsetroot', ['-solid', '#c0ffee']);
    const opened = await core.openVnc({ siteId, ticket, target: 'desk01' });
    const shot = await opened.session!.snapshot();
    const image = decodePng(shot.png);
    expect([image.width, image.height]).toEqual([320, 200]);
    expect([pixelAt(image, 1, 1), pixelAt(image, 200, 150)]).toEqual(['#c0ffee', '#c0ffee']);
    const events = sessionEvents(lab(), opened.sessionId);
    expect(events.at(-1)).toMatchObject({ kind: 'ended', outcome: 'disconnected', detail: { snapshot: { sha256: createHash('sha256').update(shot.png).digest('hex') } } });
    expect(events.at(-1)!.detail.recordingSha256).toBe(sha256(events.at(-1)!.detail.recording as string));
  });

  it('the plan: approved IP, port and the security type the server must offer; logged as printed', async () => {
    const { core, xvnc, siteId, ticket } = lab();
    const planned = await core.planVnc({ siteId, ticket, target: 'desk01' });
    expect(planned.plan).toMatchObject({ host: 'desk01', address: '127.0.0.1', port: xvnc.port, jump: null, security: 'VNC Authentication' });
    expect(planned.text).toContain(`127.0.0.1:${xvnc.port}`);
    expect(sessionEvents(lab(), planned.sessionId).map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['ended', 'printed']]);
  });
});

describe('a VNC session that cannot sign in', () => {
  const lab = useVncLab('VncBad', 'EXO-VNC-2', { keychainPassword: 'not-the-password' });

  it('a wrong password in the keychain: refused by the server, the viewer told why, logged as failed', async () => {
    const { core, siteId, ticket } = lab();
    const opened = await call<{ sessionId: string; decision: { allowed: boolean } }>(core, 'vnc.open', { siteId, ticket, target: 'desk01' });
    expect(opened.decision.allowed).toBe(true);
    const viewer = attachViewer(core.vnc, opened.sessionId);
    const exit = await viewer.message('exit');
    expect(exit).toMatchObject({ outcome: 'failed' });
    expect(exit.error).toMatch(/password/i);
    expect(viewer.messages.some((m) => m.type === 'connected')).toBe(false);
    const events = sessionEvents(lab(), opened.sessionId);
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['ended', 'failed']]);
    expect(events[1]!.detail).toMatchObject({ code: 'VNC_AUTH_FAILED' });
  });
});

describe('a VNC session on a site that records input', () => {
  const lab = useVncLab('VncInput', 'EXO-VNC-3', { recordInput: true });

  it('the viewer\'s messages are recorded too (keys included), each before it reaches the server', async () => {
    const { core, siteId, ticket } = lab();
    const opened = await call<{ sessionId: string }>(core, 'vnc.open', { siteId, ticket, target: 'desk01' });
    const viewer = attachViewer(core.vnc, opened.sessionId);
    expect((await viewer.message('connected')).plan.inputRecorded).toBe(true);
    const init = await viewerHandshake(viewer.rfb);
    // KeyEvent: down, keysym 'a'; then up.
    const keyDown = Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61]);
    const keyUp = Buffer.from([4, 0, 0, 0, 0, 0, 0, 0x61]);
    viewer.rfb.write(Buffer.concat([keyDown, keyUp]));
    await takeSnapshot(viewer.rfb, init, { timeoutMs: 10_000 });
    viewer.leave();
    const end = (await core.vnc.close(opened.sessionId))!;
    const inputs = readVncRecording(end.recording!).events.filter((e) => e.kind === 'i').map((e) => Buffer.from(e.data).toString('hex'));
    expect(inputs).toEqual(expect.arrayContaining([keyDown.toString('hex'), keyUp.toString('hex')]));
    expect(sessionEvents(lab(), opened.sessionId)[1]!.detail).toMatchObject({ inputRecorded: true });
  });
});
