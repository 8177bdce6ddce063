/**
 * Launches the real, built desktop app. Needs the Electron binary, which cannot be downloaded
 * everywhere (node_modules/electron installs without it here): then the test is skipped, saying why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHOD_NAMES } from '../../contract/method-names';

const root = path.resolve(import.meta.dirname, '../..');

/** Same lookup as node_modules/electron/index.js, without its throw. */
function electronBinary(): string | null {
  const electronDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(electronDir, 'dist');
  const binary = path.join(distDir, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const SKIP_REASON =
  'Electron binary missing — node_modules/electron/dist was not downloaded (run `node node_modules/electron/install.js` where github.com is reachable)';
if (!binary) console.log(`skipped: ${SKIP_REASON}`);

type Bridge = Record<string, (input?: unknown) => Promise<{ ok: boolean; value?: { databasePath?: string } }>>;

describe('desktop app smoke test', () => {
  let app: ElectronApplication | undefined;
  let page: Page;
  let dataDir = '';

  beforeAll(async () => {
    if (!binary) return;
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-electron-'));
    const env = { ...process.env } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    app = await _electron.launch({ executablePath: binary, args: [root, '--data-dir', dataDir], cwd: root, env, timeout: 60_000 });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens the Switchboard window on the app origin', async (ctx) => {
    ctx.skip(!binary, SKIP_REASON);
    const window = await app!.browserWindow(page);
    expect(await window.evaluate((win) => win.getTitle())).toMatch(/Switchboard/);
    expect(await page.evaluate(() => (globalThis as unknown as { location: { origin: string } }).location.origin)).toBe('app://switchboard');
  });

  it('exposes exactly the contract methods and no Node', async (ctx) => {
    ctx.skip(!binary, SKIP_REASON);
    const keys = await page.evaluate(() => Object.keys((globalThis as unknown as { switchboard: Bridge }).switchboard).sort());
    expect(keys).toEqual([...API_METHOD_NAMES].sort());
    expect(await page.evaluate(() => typeof require)).toBe('undefined');
    expect(await page.evaluate(() => typeof process)).toBe('undefined');
  });

  it('answers a call through IPC from the core, using --data-dir', async (ctx) => {
    ctx.skip(!binary, SKIP_REASON);
    const result = await page.evaluate(() => (globalThis as unknown as { switchboard: Bridge }).switchboard['app.info']!(undefined));
    expect(result.ok).toBe(true);
    const databasePath = result.value?.databasePath ?? '';
    expect(path.dirname(databasePath)).toBe(dataDir);
    expect(existsSync(databasePath)).toBe(true);
  });

  it('serves the page with the strict CSP', async (ctx) => {
    ctx.skip(!binary, SKIP_REASON);
    const csp = await page.evaluate(async () => (await fetch((globalThis as unknown as { location: { href: string } }).location.href)).headers.get('content-security-policy'));
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
  });
});
