import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS = path.join(PROJECT_ROOT, 'tests', 'artifacts');

/** Debian's Chromium with the flags this machine needs; Playwright never downloads a browser here. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WebApp { url: string; process: ChildProcess; stop(): Promise<void> }

/** Starts `out/main/web.cjs` (build first) and resolves with the one URL line it prints. */
export async function startWebApp(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<WebApp> {
  const entry = path.join(PROJECT_ROOT, 'out', 'main', 'web.cjs');
  if (!fs.existsSync(path.join(PROJECT_ROOT, 'out', 'renderer', 'index.html')) || !fs.existsSync(entry)) {
    throw new Error('Build the app first: node scripts/build.mjs');
  }
  const child = spawn(process.execPath, [entry, '--port', '0', '--data-dir', dataDir], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\//.exec(stdout);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
