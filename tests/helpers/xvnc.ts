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
  /** Runs an X client (xsetroot, xterm…) on this display and waits for it to exit; `input` goes to its stdin (xclip). */
  x(command: string, args: string[], input?: string): void;
  /** Starts an X client that keeps running (an xterm) on this display; it is ended by stop(). */
  launch(command: string, args: string[]): ChildProcess;
  stop(): Promise<void>;
}

export interface XvncOptions {
  /** null: SecurityTypes None. */
  password?: string | null;
  geometry?: { width: number; height: number };
  /** An X509 certificate and key (PEM files) for VeNCrypt; the default security types become X509Vnc (X509None without a password). */
  tls?: { cert: string; key: string };
  /** Xvnc's -SecurityTypes as given (e.g. ['X509Vnc', 'VncAuth']), instead of the default from password and tls. */
  securityTypes?: string[];
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

/** Resolves when Xvnc says it listens on `port` (its own log line), rejects if it exits first. */
function listening(port: number, child: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const said = new RegExp(`Listening for VNC connections on .*port ${port}\\b`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`Xvnc did not listen on ${port} within ${timeoutMs} ms:\n${log()}`)), timeoutMs);
    const check = () => { if (said.test(log())) finish(); };
    const exited = (code: number | null) => finish(new Error(`Xvnc exited (${code}) before it listened:\n${log()}`));
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', exited);
      if (error) reject(error);
      else resolve();
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', exited);
    check();
  });
}

export async function startXvnc(options: XvncOptions = {}): Promise<TestXvnc> {
  const password = options.password === undefined ? 'vnc-s3cret' : options.password;
  const { width, height } = options.geometry ?? { width: 640, height: 480 };
  const dir = makeTempDir('switchboard-xvnc-');
  const port = await freePort();
  const display = freeDisplay();
  const args = [`:${display}`, '-rfbport', String(port), '-localhost', '-geometry', `${width}x${height}`, '-depth', '24', '-nolisten', 'tcp', '-AlwaysShared'];
  const securityTypes = options.securityTypes ?? [options.tls ? (password === null ? 'X509None' : 'X509Vnc') : (password === null ? 'None' : 'VncAuth')];
  args.push('-SecurityTypes', securityTypes.join(','));
  if (password !== null) {
    const file = path.join(dir, 'passwd');
    fs.writeFileSync(file, execFileSync('vncpasswd', ['-f'], { input: `${password}\n${password}\n` }), { mode: 0o600 });
    args.push('-PasswordFile', file);
  }
  if (options.tls) args.push('-X509Cert', options.tls.cert, '-X509Key', options.tls.key);
  let output = '';
  const child = spawn('Xvnc', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  await listening(port, child, () => output);
  const clients: ChildProcess[] = [];
  return {
    port, display, password, width, height,
    x: (command, commandArgs, input) => {
      execFileSync(command, commandArgs, { env: { ...process.env, DISPLAY: `:${display}` }, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'], timeout: 10_000 });
    },
    launch: (command, commandArgs) => {
      const client = spawn(command, commandArgs, { env: { ...process.env, DISPLAY: `:${display}` }, stdio: 'ignore' });
      clients.push(client);
      return client;
    },
    stop: async () => {
      for (const client of clients) if (client.exitCode === null) client.kill('SIGTERM');
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      removeTempDir(dir);
    },
  };
}
