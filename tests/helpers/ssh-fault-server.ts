import { createHash } from 'node:crypto';
import net from 'node:net';
import { Server, utils, type AuthContext, type Connection, type ServerChannel } from 'ssh2';

/**
 * An ssh2 server on 127.0.0.1 that misbehaves on purpose, next to the real sshd:
 * - `rotating-host-key`: a different host key on every connection (what a MITM or a reinstall looks like);
 * - `stall-after-banner`: sends an SSH identification line, then nothing;
 * - `stall-at-auth`: completes key exchange, then never answers a sign-in request;
 * - `drop-mid-stream`: accepts the password, starts a shell/exec, writes a little, then cuts the TCP connection;
 * - `otp`: keyboard-interactive only, asking "Verification code: " (accepts `otp`), then a working exec.
 * - `stall-in-kex`: starts key exchange (banner and KEXINIT), then never sends its half of it;
 * - `garbage-after-banner`: a valid identification line, then bytes that are no SSH packet;
 * - `hang-up-at-auth`: cuts the TCP connection when the first sign-in request arrives;
 * - `hang-up-after-ms`: cuts every connection `hangUpAfterMs` after it opened, whatever is going on
 *   (a host-key question still open, say: what sshd's LoginGraceTime does);
 * - `hang-up-on-forward`: a shell that stays open, and a hang-up when a port forward is opened through it.
 * Every sign-in attempt is recorded, so a test can prove no credential was sent.
 */
export type FaultMode =
  | 'rotating-host-key' | 'stall-after-banner' | 'stall-at-auth' | 'drop-mid-stream' | 'otp'
  | 'stall-in-kex' | 'garbage-after-banner' | 'hang-up-at-auth' | 'hang-up-after-ms' | 'hang-up-on-forward';

export interface AuthAttempt { method: string; username: string; password?: string }

export interface FaultServer {
  port: number;
  /** Fingerprint (`SHA256:…`) of the host key the n-th connection (0-based) gets. */
  fingerprintFor(connection: number): string;
  authAttempts: AuthAttempt[];
  connections: number;
  stop(): Promise<void>;
}

export const FAULT_USER = 'fault';
export const FAULT_PASSWORD = 'fault-password';
export const FAULT_OTP = '424242';
export const DROP_MARKER = 'partial output before the drop\n';

/**
 * ssh2 1.17's ed25519 generator emits an unparsable key about 1 time in 256 (it strips a leading zero
 * byte of the public key: mscdex/ssh2#1390, #1513), so draw again until both halves parse.
 */
function newHostKey(): { key: Buffer; fingerprint: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    const parsed = utils.parseKey(pair.private);
    if (parsed instanceof Error || utils.parseKey(pair.public) instanceof Error) continue;
    const blob = parsed.getPublicSSH();
    return { key: Buffer.from(pair.private), fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}` };
  }
}

function handleAuth(mode: FaultMode, ctx: AuthContext, attempts: AuthAttempt[], socket: net.Socket): void {
  attempts.push({ method: ctx.method, username: ctx.username, ...(ctx.method === 'password' ? { password: ctx.password } : {}) });
  if (mode === 'stall-at-auth') return;
  if (mode === 'hang-up-at-auth') {
    socket.destroy();
    return;
  }
  if (mode === 'otp') {
    if (ctx.method !== 'keyboard-interactive') return ctx.reject(['keyboard-interactive']);
    ctx.prompt([{ prompt: 'Verification code: ', echo: false }], 'Two-factor', 'Enter the code from your token.', (answers) => {
      if (ctx.username === FAULT_USER && answers[0] === FAULT_OTP) ctx.accept();
      else ctx.reject(['keyboard-interactive']);
    });
    return;
  }
  if (ctx.method === 'password' && ctx.username === FAULT_USER && ctx.password === FAULT_PASSWORD) return ctx.accept();
  ctx.reject(['password']);
}

function serveSession(mode: FaultMode, client: Connection, socket: net.Socket): void {
  // As a jump host (`ssh -J`): forwards to loopback only, so a test can chain a hop through this server.
  client.on('tcpip', (accept, reject, info) => {
    if (mode === 'hang-up-on-forward') {
      socket.destroy();
      return;
    }
    if (info.destIP !== '127.0.0.1') return reject?.();
    const upstream = net.connect(info.destPort, '127.0.0.1');
    upstream.once('error', () => reject?.());
    upstream.once('connect', () => {
      const channel = accept();
      channel.pipe(upstream).pipe(channel);
      channel.on('close', () => upstream.destroy());
      upstream.on('close', () => channel.close());
    });
  });
  client.on('session', (acceptSession) => {
    const session = acceptSession();
    const start = (channel: ServerChannel, output: string): void => {
      if (mode === 'drop-mid-stream') {
        channel.write(DROP_MARKER, () => setImmediate(() => socket.destroy()));
        return;
      }
      if (mode === 'hang-up-on-forward') {
        channel.write('fault shell, open until a forward\n');
        return;
      }
      channel.write(output);
      channel.exit(0);
      channel.end();
    };
    session.on('pty', (accept) => accept?.());
    session.on('window-change', (accept) => accept?.());
    session.on('shell', (accept) => start(accept(), 'fault shell\n'));
    session.on('exec', (accept, _reject, info) => start(accept(), `ran: ${info.command}\n`));
  });
}

/** `stall-in-kex`: lets the identification line and KEXINIT out, swallows the rest, so the kex never finishes. */
function stallAfterKexInit(socket: net.Socket): void {
  let writes = 0;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => (++writes <= 2 ? write(...args) : true)) as typeof socket.write;
}

export interface FaultServerOptions {
  /** `hang-up-after-ms`: how long each connection lives. */
  hangUpAfterMs?: number;
}

export async function startFaultServer(mode: FaultMode, options: FaultServerOptions = {}): Promise<FaultServer> {
  const keys = [newHostKey(), newHostKey()];
  // ssh2 reports a connection after the SSH handshake starts; its client port finds the TCP socket again.
  const byPort = new Map<number, net.Socket>();
  const servers = keys.map(({ key }) => new Server({ hostKeys: [key] }, (client, info) => {
    const socket = byPort.get(info.port)!;
    client.on('error', () => {});
    client.on('authentication', (ctx) => handleAuth(mode, ctx, state.authAttempts, socket));
    client.on('ready', () => serveSession(mode, client, socket));
  }));
  const sockets = new Set<net.Socket>();
  const state: FaultServer = {
    port: 0,
    authAttempts: [],
    connections: 0,
    fingerprintFor: (n) => keys[mode === 'rotating-host-key' ? n % keys.length : 0]!.fingerprint,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
  const listener = net.createServer((socket) => {
    const n = state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (mode === 'stall-after-banner') {
      socket.write('SSH-2.0-StallServer_1.0\r\n');
      return;
    }
    if (mode === 'garbage-after-banner') {
      socket.write('SSH-2.0-GarbageServer_1.0\r\n');
      socket.write(Buffer.from([0xff, 0xff, 0xff, 0xf0, 0x00, 0x13, 0x37, ...Buffer.from('this is not an SSH packet at all\r\n')]));
      return;
    }
    if (mode === 'stall-in-kex') stallAfterKexInit(socket);
    if (mode === 'hang-up-after-ms') setTimeout(() => socket.destroy(), options.hangUpAfterMs ?? 500).unref();
    const clientPort = socket.remotePort!;
    byPort.set(clientPort, socket);
    socket.on('close', () => byPort.delete(clientPort));
    servers[mode === 'rotating-host-key' ? n % servers.length : 0]!.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  state.port = (listener.address() as net.AddressInfo).port;
  return state;
}
