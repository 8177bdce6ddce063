import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { makeTempDir, removeTempDir } from './temp-dir';

/** A real TigerVNC Xvnc on a loopback port, with its own display, password file and temp dir. */
export interface TestXvnc {
  port: number;
  display: number;
  /** The VNC password; null for a server started with no authentication. */
  password: string | null;
  width: number;
  height: number;
  /** Runs an X client (xsetroot, xterm…) on this display and waits for it to exit. */
  x(command: string, args: string[]): void;
  stop(): Promise<void>;
}

export interface XvncOptions {
  /** null: SecurityTypes None. */
  password?: string | null;
  geometry?: { width: number; height: number };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A display number no X server on this machine holds (its socket and lock are absent). */
function freeDisplay(): number {
  for (let tries = 0; tries < 200; tries++) {
    const display = 40 + Math.floor(Math.random() * 400);
    if (!fs.existsSync(`/tmp/.X11-unix/X${display}`) && !fs.existsSync(`/tmp/.X${display}-lock`)) return display;
  }
  throw new Error('no free X display number');
}

async function listening(port: number, child: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Xvnc exited (${child.exitCode}) before it listened:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Xvnc did not listen on ${port} within ${timeoutMs} ms:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startXvnc(options: XvncOptions = {}): Promise<TestXvnc> {
  const password = options.password === undefined ? 'vnc-s3cret' : options.password;
  const { width, height } = options.geometry ?? { width: 640, height: 480 };
  const dir = makeTempDir('switchboard-xvnc-');
  const port = await freePort();
  const display = freeDisplay();
  const args = [`:${display}`, '-rfbport', String(port), '-localhost', '-geometry', `${width}x${height}`, '-depth', '24', '-nolisten', 'tcp', '-AlwaysShared'];
  if (password === null) args.push('-SecurityTypes', 'None');
  else {
    const file = path.join(dir, 'passwd');
    fs.writeFileSync(file, execFileSync('vncpasswd', ['-f'], { input: `${password}\n${password}\n` }), { mode: 0o600 });
    args.push('-SecurityTypes', 'VncAuth', '-PasswordFile', file);
  }
  let output = '';
  const child = spawn('Xvnc', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  await listening(port, child, () => output);
  return {
    port, display, password, width, height,
    x: (command, commandArgs) => { execFileSync(command, commandArgs, { env: { ...process.env, DISPLAY: `:${display}` }, stdio: 'ignore', timeout: 10_000 }); },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      removeTempDir(dir);
    },
  };
}
