import net from 'node:net';
import os from 'node:os';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForwardOpenResult, ForwardView } from '../../contract/models';
import type { TestCore as Core } from '../helpers/core';
import type { TerminalEvent } from '../../main/core/sessions/terminal-sessions';
import { openTicket } from '../../main/core/tickets/tickets';
import { call, callError, useCores } from '../helpers/core';
import { sshdUnavailable, startSshd, type TestSshd } from '../helpers/sshd';
import { startEchoServer } from '../helpers/tcp-echo';

const unavailable = sshdUnavailable();

/** Sends `text` to host:port and resolves with what comes back once `expected` bytes arrived. */
function roundTrip(port: number, text: string, expected = text.length, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    let got = '';
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer on ${host}:${port}; got ${JSON.stringify(got)}`)); }, 10_000);
    socket.on('connect', () => socket.write(text));
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.length >= expected) { clearTimeout(timer); socket.destroy(); resolve(got); }
    });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Resolves with the connect error's code, or 'connected' if something accepted. */
function connectOutcome(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(5000);
    socket.on('connect', () => { socket.destroy(); resolve('connected'); });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    socket.on('timeout', () => { socket.destroy(); resolve('timeout'); });
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The first IPv4 address of this machine that is not loopback, if it has one. */
function externalIPv4(): string | undefined {
  return Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

/**
 * Local port forwards through a window terminal, against a real OpenSSH sshd on loopback: the
 * destination goes through the policy (same site, trusted host, a port it exposes, the approved IP),
 * the listener is on 127.0.0.1 only, every forward is in the session log, and it ends with the terminal.
 */
describe.skipIf(unavailable).sequential(`SSH local port forwards${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const cores = useCores();
  let sshd: TestSshd;
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  let core: Core;
  let siteId: number;
  const credential = `forwards-sbtest-${process.pid}`;

  /** Opens a terminal to lab01 (host key pinned by the profile) and resolves once its shell is up. */
  async function openTerminal(): Promise<{ sessionId: string; events: TerminalEvent[] }> {
    const { sessionId, decision } = await call<{ sessionId: string; decision: { allowed: boolean; reasons: string[] } }>(core, 'terminals.open', { siteId, ticket: 'FWD-1', target: 'lab01', cols: 80, rows: 24 });
    expect(decision.allowed, decision.reasons.join(' ')).toBe(true);
    const events: TerminalEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`terminal did not connect: ${JSON.stringify(events.map((e) => e.type))}`)), 15_000);
      core.terminals.attach(sessionId, (event) => {
        events.push(event);
        if (event.type === 'connected') { clearTimeout(timer); resolve(); }
        if (event.type === 'exit') { clearTimeout(timer); reject(new Error(`terminal ended: ${event.exit.error}`)); }
      });
    });
    return { sessionId, events };
  }

  const forwardEvents = (forwardId: string) => core.sessionLog.get(forwardId).events;

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    [sshd, echo] = await Promise.all([startSshd(), startEchoServer()]);
    core = cores({ engineer: 'forward-tester' });
    const week = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const text = stringify({
      version: 1,
      customers: [
        {
          name: 'Loopback Labs', package: 'premium', timezone: 'UTC', workdays: week,
          sites: [
            {
              name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['ssh', 'https'],
              hosts: [
                { name: 'lab01', address: '127.0.0.1', ssh: { port: sshd.port, user: sshd.user, credential, host_key: sshd.hostKeyFingerprint } },
                // The "console" is the echo server: reached from the SSH server at the approved IP.
                { name: 'web01', address: '127.0.0.1', https: { port: echo.port } },
                // Its address is outside its own allow-list: the policy must refuse it.
                { name: 'stray01', address: '127.0.0.1', allow: ['10.20.0.0/16'], https: { port: echo.port } },
              ],
            },
            { name: 'other', seats: 10, peak_calls: 10, approved_methods: ['ssh', 'https'], hosts: [{ name: 'web02', address: '127.0.0.1', https: { port: echo.port } }] },
          ],
        },
      ],
    });
    await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
    await call(core, 'credentials.set', { name: credential, kind: 'password', secret: sshd.password });
    siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab') as { id: number }).id;
    openTicket(core.db, { ref: 'FWD-1', siteId, type: 'incident', component: 'other', impact: {} }, 'forward-tester');
  });
  afterAll(async () => {
    await core?.dispatch('credentials.delete', { name: credential });
    await Promise.all([sshd?.stop(), echo?.stop()]);
  });

  let sessionId: string;
  let web: ForwardView;

  it('forwards 127.0.0.1:PORT to the HTTPS console of a trusted host, at the IP the policy approved', async () => {
    ({ sessionId } = await openTerminal());
    const opened = await call<ForwardOpenResult>(core, 'forwards.open', { sessionId, host: 'web01', port: echo.port });
    expect(opened.decision.allowed, opened.decision.reasons.join(' ')).toBe(true);
    web = opened.forward!;
    expect(web).toMatchObject({ sessionId, localAddress: '127.0.0.1', host: 'web01', address: '127.0.0.1', port: echo.port, kind: 'https', connections: { open: 0, total: 0 } });
    expect(web.localPort).toBeGreaterThan(0);
    expect(web.localPort).not.toBe(echo.port);

    const before = echo.connections();
    expect(await roundTrip(web.localPort, 'ping through the tunnel')).toBe('ping through the tunnel');
    expect(echo.connections()).toBe(before + 1);
    const listed = await call<ForwardView[]>(core, 'forwards.list', { sessionId });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ forwardId: web.forwardId, connections: { total: 1 } });
    expect(listed[0]!.bytesIn).toBeGreaterThanOrEqual('ping through the tunnel'.length);
  });

  it('listens on 127.0.0.1 only: not on ::1, not on this machine\'s other addresses', async () => {
    expect(await connectOutcome(web.localPort, '::1')).not.toBe('connected');
    const external = externalIPv4();
    if (external) expect(await connectOutcome(web.localPort, external)).not.toBe('connected');
    expect(await connectOutcome(web.localPort)).toBe('connected');
  });

  it('logs the forward as a session of its own on the same ticket, naming the terminal it rides on', () => {
    const { record, events } = core.sessionLog.get(web.forwardId);
    expect(events.map((e) => e.kind)).toEqual(['attempt', 'started']);
    expect(record).toMatchObject({
      ticket: 'FWD-1', site: 'Loopback Labs/lab', host: 'web01', method: 'https', address: '127.0.0.1', decision: 'allow', outcome: 'forwarding',
      detail: { forwardVia: sessionId, forwardTo: `web01:${echo.port} at 127.0.0.1`, forwardKind: 'https', listen: `127.0.0.1:${web.localPort}` },
    });
    expect(record.reasons.join(' ')).toMatch(/HTTPS is approved/);
  });

  it.each([
    { what: 'a host that is not in the site', host: 'nothere01', port: 443, reason: /not a trusted host of this site/ },
    { what: "another site's host", host: 'web02', port: 443, reason: /not a trusted host of this site/ },
    { what: 'a host whose address is outside its allow-list', host: 'stray01', port: 0, reason: /outside stray01's allow-list/ },
    { what: 'a port the host does not expose', host: 'web01', port: 8081, reason: /web01 does not expose port 8081 for forwarding\. web01 can be forwarded to on \d+ \(HTTPS console\)/ },
    { what: 'a database port on a host without SSH', host: 'web01', port: 5432, reason: /does not expose port 5432/ },
  ])('refuses $what and logs the denial', async ({ host, port, reason }) => {
    const target = { host, port: port || echo.port };
    const opened = await call<ForwardOpenResult>(core, 'forwards.open', { sessionId, ...target });
    expect(opened.forward).toBeNull();
    expect(opened.decision.allowed).toBe(false);
    expect(opened.decision.reasons.join(' ')).toMatch(reason);
    const denied = core.sessionLog.list({ ticket: 'FWD-1', outcome: 'denied' }).find((r) => r.detail.forwardTo === `${opened.decision.host ?? host}:${target.port}`);
    expect(denied, 'the denial is in the session log').toBeDefined();
    expect(denied).toMatchObject({ decision: 'deny', detail: { forwardVia: sessionId } });
    expect(denied!.reasons.join(' ')).toMatch(reason);
    expect(await call<ForwardView[]>(core, 'forwards.list', { sessionId })).toHaveLength(1);
  });

  it('refuses bad input with a clear message before anything is decided', async () => {
    const low = await callError(core, 'forwards.open', { sessionId, host: 'web01', port: echo.port, localPort: 80 });
    expect(low).toMatchObject({ code: 'INVALID_INPUT' });
    expect(low.issues?.[0]?.message).toMatch(/1024 to 65535/);
    expect(await callError(core, 'forwards.open', { sessionId, host: 'web01 ; rm', port: 443 })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await callError(core, 'forwards.open', { sessionId: '3f1e1d8c-5b8a-4a57-9a55-0d9a8a1b2c3d', host: 'web01', port: echo.port })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await callError(core, 'forwards.close', { forwardId: '3f1e1d8c-5b8a-4a57-9a55-0d9a8a1b2c3d' })).toMatchObject({ code: 'NOT_FOUND' });
  });

  let ssh: ForwardView;

  it('binds a requested local port, to the SSH port of a host; the same port again is "in use" and logged', async () => {
    const localPort = await freePort();
    const opened = await call<ForwardOpenResult>(core, 'forwards.open', { sessionId, host: 'lab01', port: sshd.port, localPort });
    ssh = opened.forward!;
    expect(ssh).toMatchObject({ localPort, kind: 'ssh', host: 'lab01' });
    expect(await roundTrip(localPort, '', 4)).toMatch(/^SSH-/);

    const clash = await callError(core, 'forwards.open', { sessionId, host: 'web01', port: echo.port, localPort });
    expect(clash.code).toBe('IN_USE');
    expect(clash.message).toBe(`127.0.0.1:${localPort} is already in use on this computer. Pick another local port, or leave it empty for a free one.`);
    const failed = core.sessionLog.list({ ticket: 'FWD-1', outcome: 'failed' }).filter((r) => r.detail.requestedLocalPort === localPort);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail.error).toMatch(/already in use/);
  });

  it('closes one forward on request: its port refuses connections and the end is logged with its counts', async () => {
    const closed = await call<ForwardView>(core, 'forwards.close', { forwardId: ssh.forwardId });
    expect(closed.forwardId).toBe(ssh.forwardId);
    expect(await connectOutcome(ssh.localPort)).toBe('ECONNREFUSED');
    const listed = await call<ForwardView[]>(core, 'forwards.list', { sessionId });
    expect(listed.map((f) => f.forwardId)).toEqual([web.forwardId]);
    const ended = forwardEvents(ssh.forwardId).at(-1)!;
    expect(ended).toMatchObject({ kind: 'ended', outcome: 'closed', detail: { closedBecause: 'closed by the engineer', connections: 1 } });
    expect(ended.bytesIn).toBeGreaterThan(0);
    expect(await callError(core, 'forwards.close', { forwardId: ssh.forwardId })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('closes every forward with the terminal: the port refuses connections, both ends are logged in order', async () => {
    const db = (await call<ForwardOpenResult>(core, 'forwards.open', { sessionId, host: 'lab01', port: 5432 })).forward!;
    expect(db).toMatchObject({ kind: 'database', label: 'PostgreSQL', port: 5432 });
    await call(core, 'terminals.close', { sessionId });
    expect(await connectOutcome(web.localPort)).toBe('ECONNREFUSED');
    expect(await connectOutcome(db.localPort)).toBe('ECONNREFUSED');
    expect(await call<ForwardView[]>(core, 'forwards.list', { sessionId })).toEqual([]);
    const terminalEnd = core.sessionLog.get(sessionId).events.at(-1)!;
    expect(terminalEnd.kind).toBe('ended');
    for (const forward of [web, db]) {
      const end = forwardEvents(forward.forwardId).at(-1)!;
      expect(end).toMatchObject({ kind: 'ended', outcome: 'closed', detail: { closedBecause: 'the SSH session ended' } });
      // The forward's end is in the log before its terminal's.
      expect(end.seq).toBeLessThan(terminalEnd.seq);
    }
    expect(core.sessionLog.get(web.forwardId).record.endedAt).not.toBeNull();
    expect(core.sessionLog.verify().ok).toBe(true);
  });

  it('closes forwards when the remote shell exits on its own', async () => {
    const terminal = await openTerminal();
    const fwd = (await call<ForwardOpenResult>(core, 'forwards.open', { sessionId: terminal.sessionId, host: 'web01', port: echo.port })).forward!;
    expect(await roundTrip(fwd.localPort, 'still here')).toBe('still here');
    core.terminals.write(terminal.sessionId, Buffer.from('exit\n'));
    await expect.poll(() => terminal.events.some((e) => e.type === 'exit'), { timeout: 15_000 }).toBe(true);
    expect(await connectOutcome(fwd.localPort)).toBe('ECONNREFUSED');
    expect(forwardEvents(fwd.forwardId).at(-1)).toMatchObject({ kind: 'ended', detail: { closedBecause: 'the SSH session ended' } });
    expect(await callError(core, 'forwards.open', { sessionId: terminal.sessionId, host: 'web01', port: echo.port })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
