import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { artifactPath, launchChromium, startWebApp, type WebApp } from './browser';
import { makeTempDir, removeTempDir } from './temp-dir';

export interface E2eSession { page: Page; app: WebApp; dataDir: string; browser: Browser }

/**
 * One browser mode host on its own data dir and one Chromium page for a test file. Page errors are
 * collected so a test can assert the window never threw.
 */
export function useE2eSession(
  colorScheme: 'light' | 'dark' = 'light',
  prepare?: (dataDir: string) => NodeJS.ProcessEnv | void,
): { get: () => E2eSession; pageErrors: string[] } {
  let session: E2eSession | undefined;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    const dataDir = makeTempDir('switchboard-e2e-');
    const app = await startWebApp(dataDir, prepare?.(dataDir) ?? process.env);
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(app.url);
    session = { page, app, dataDir, browser };
  });
  afterAll(async () => {
    await session?.browser.close();
    await session?.app.stop();
    if (session) removeTempDir(session.dataDir);
  });
  return { get: () => session!, pageErrors };
}

/**
 * The log page's session rows, newest first. The log shows every record of the chain (a profile
 * import's policy changes, a host key pinned on first use …) as rows too; a test that means
 * "the newest session" takes `.first()` of these, not `log-row-0`.
 */
export function sessionRows(page: Page): Locator {
  return page.locator('[data-testid^="log-row-"][data-kind="session"]');
}

/** Row counts straight from the SQLite file (read-only), to prove a rejected input wrote nothing. */
export function countRows(dataDir: string): Record<string, number> {
  const db = new Database(path.join(dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { customers: count('customers'), sites: count('sites'), hosts: count('hosts'), notes: count('notes'), note_revisions: count('note_revisions') };
  } finally {
    db.close();
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: artifactPath(`${name}.png`) });
}

/**
 * A full-page picture at `width`, toasts hidden so they cover nothing. It waits for two animation frames
 * after the resize (the layout pass it triggers), and scrolls to the top: the app's header and nav are
 * fixed, so a full-page picture taken scrolled would draw them mid-page.
 */
export async function screenshotAt(page: Page, width: number, name: string): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: artifactPath(`${name}.png`), fullPage: true, style: '.mantine-Notifications-root { display: none !important; }' });
}
