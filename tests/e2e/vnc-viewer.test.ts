import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshotAt } from '../helpers/e2e-session';
import { useVncLabSession } from '../helpers/e2e-vnc-lab';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const BLUE = '#3a6ea5';
const WIDTH = 800;
const HEIGHT = 600;
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * The embedded VNC viewer against a real TigerVNC Xvnc: opened from the site page through the policy,
 * the real screen on noVNC's canvas, keys reaching a program on the remote display (and none from a
 * view-only session), a screenshot saved to the ticket, the end with its recording's hash, reconnect,
 * the clipboard both ways, and the host form's VNC fields.
 */
describe.sequential('browser mode: the embedded VNC viewer', () => {
  const lab = useVncLabSession({ name: 'vnc-viewer', tickets: ['VNC-101'], xvnc: { geometry: { width: WIDTH, height: HEIGHT } }, endpoint: { clipboard: 'both' } });
  const session = lab.session;
  const scratch = makeTempDir('switchboard-e2e-vnc-typed-');
  const typedFile = path.join(scratch, 'typed.txt');
  let xterm: ChildProcess | null = null;
  afterAll(() => {
    xterm?.kill();
    removeTempDir(scratch);
  });

  const shownView = () => session.get().page.locator('[data-testid="terminal-pane"][data-shown="true"] [data-testid="vnc-view"]');
  const canvas = () => shownView().locator('[data-testid="vnc-screen"] canvas');
  const typed = () => (fs.existsSync(typedFile) ? fs.readFileSync(typedFile, 'utf8') : '');

  /** The shown viewer's pixel at framebuffer (x, y), read from noVNC's canvas. */
  const pixel = (x: number, y: number) => canvas().evaluate((element, [px, py]) => {
    const data = (element as HTMLCanvasElement).getContext('2d')!.getImageData(px!, py!, 1, 1).data;
    return `#${[data[0], data[1], data[2]].map((v) => v!.toString(16).padStart(2, '0')).join('')}`;
  }, [x, y]);

  /** Clicks the shown viewer at framebuffer (x, y), whatever the scale. */
  const clickAt = async (x: number, y: number) => {
    const box = (await canvas().boundingBox())!;
    const scale = box.width / WIDTH;
    await session.get().page.mouse.click(box.x + x * scale, box.y + y * scale);
  };

  /** The connect flow from desk01's VNC button on ticket VNC-101, optionally view-only; resolves once the new tab shows the desktop. */
  async function openViewer(viewOnly = false) {
    const { page } = session.get();
    const before = await page.locator('[data-testid="vnc-view"]').count();
    await page.getByTestId('nav-site-Vnc Labs / lab').click();
    await page.getByTestId('connect-desk01-vnc').click();
    await page.getByTestId('connect-ticket-select').selectOption('VNC-101');
    await page.getByTestId('connect-next').click();
    await page.getByTestId('policy-decision').waitFor();
    if (viewOnly) await page.getByTestId('vnc-view-only-choice').check();
    await page.getByTestId('connect-go').click();
    await expect.poll(() => page.locator('[data-testid="vnc-view"]').count(), { timeout: 15_000 }).toBe(before + 1);
    await expect.poll(() => shownView().getAttribute('data-phase'), { timeout: 20_000 }).toBe('connected');
  }

  it('opens desk01 from the site page: the canvas shows the root window\'s colour, the status line the session\'s rules', async () => {
    lab.xvnc.x('xsetroot', ['-solid', BLUE]);
    await openViewer();
    const { page } = session.get();
    for (const [x, y] of [[2, 2], [WIDTH / 2, HEIGHT / 2], [WIDTH - 3, HEIGHT - 3], [WIDTH - 3, 2], [2, HEIGHT - 3]] as const) {
      await expect.poll(() => pixel(x, y), { timeout: 15_000 }).toBe(BLUE);
    }
    expect(await page.getByTestId('vnc-status-host').textContent()).toBe('desk01');
    expect(await page.getByTestId('vnc-status-address').textContent()).toBe(`127.0.0.1:${lab.xvnc.port}`);
    expect(await page.getByTestId('vnc-status-security').textContent()).toBe('VNC Authentication');
    expect(await page.getByTestId('vnc-status-clipboard').getAttribute('data-rule')).toBe('both');
    expect(await page.getByTestId('vnc-recording').textContent()).toContain('Recording');
    expect(await page.getByTestId('vnc-view-only').count()).toBe(0);
    expect(await page.getByTestId('vnc-tab-desk01').count()).toBe(1);
  });

  it('text typed in the viewer reaches a program on the remote display', async () => {
    xterm = spawn('xterm', ['-geometry', '80x24+0+0', '-e', 'sh', '-c', `cat > ${typedFile}`], { env: { ...process.env, DISPLAY: `:${lab.xvnc.display}` }, stdio: 'ignore' });
    // xterm's white window over the blue root, on the viewer's canvas.
    await expect.poll(() => pixel(40, 40), { timeout: 20_000 }).not.toBe(BLUE);
    await clickAt(120, 120);
    const { page } = session.get();
    await page.keyboard.type('hello from the viewer');
    await page.keyboard.press('Enter');
    await expect.poll(typed, { timeout: 15_000 }).toBe('hello from the viewer\n');
    await screenshotAt(page, 1280, 'vnc-viewer-1280');
    await screenshotAt(page, 1024, 'vnc-viewer-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  let savedScreenshot = '';
  it('1:1 shows the desktop at its own size with scroll bars, Fit scales it to the tab; full screen holds the viewer and its toolbar', async () => {
    const { page } = session.get();
    await page.setViewportSize({ width: 1024, height: 700 }); // too small for 800×600: Fit scales it down
    await expect.poll(async () => (await canvas().boundingBox())!.width).toBeLessThan(WIDTH);
    const fitted = (await canvas().boundingBox())!.width;
    await shownView().getByTestId('vnc-scale').getByText('1:1').click();
    await expect.poll(async () => (await canvas().boundingBox())!.width).toBe(WIDTH);
    await page.keyboard.press('Control+Shift+A'); // back to Fit, from the keyboard
    await expect.poll(async () => (await canvas().boundingBox())!.width).toBe(fitted);
    await shownView().getByTestId('vnc-fullscreen').click();
    await expect.poll(() => page.evaluate(() => document.fullscreenElement?.contains(document.querySelector('[data-testid="vnc-toolbar"]')) ?? false)).toBe(true);
    await shownView().getByTestId('vnc-fullscreen').click();
    await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('"Save screenshot to ticket" keeps a PNG in the data dir under its SHA-256', async () => {
    const { page, dataDir } = session.get();
    await shownView().getByTestId('vnc-screenshot').click();
    const badge = shownView().getByTestId('vnc-last-screenshot');
    const error = shownView().getByTestId('vnc-error');
    // Saved, or the refusal in words (a timeout would say neither).
    await expect.poll(async () => ((await error.count()) ? await error.textContent() : (await badge.count()) ? 'saved' : 'waiting'), { timeout: 15_000 }).toBe('saved');
    const file = (await badge.getAttribute('data-file'))!;
    const hash = (await badge.getAttribute('data-sha256'))!;
    expect(path.resolve(file).startsWith(path.resolve(dataDir) + path.sep)).toBe(true);
    expect(fs.readFileSync(file).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(sha256(file)).toBe(hash);
    savedScreenshot = hash;
    await expect.poll(() => page.locator('.mantine-Notification-root').filter({ hasText: 'Screenshot saved to VNC-101' }).textContent()).toContain(hash.slice(0, 16));
  });

  it('the clipboard goes both ways where the site allows it', async () => {
    const { page } = session.get();
    lab.xvnc.x('sh', ['-c', 'printf "from-the-remote-desktop" | xclip -selection clipboard -i']);
    await shownView().getByTestId('vnc-clipboard').click();
    await expect.poll(() => page.getByTestId('vnc-clipboard-remote').inputValue(), { timeout: 15_000 }).toBe('from-the-remote-desktop');
    await page.getByTestId('vnc-clipboard-local').fill('from-the-engineer');
    await page.getByTestId('vnc-clipboard-send').click();
    const remoteClipboard = () => {
      try {
        return execFileText('xclip', ['-selection', 'clipboard', '-o'], lab.xvnc.display);
      } catch {
        return '';
      }
    };
    await expect.poll(remoteClipboard, { timeout: 15_000 }).toBe('from-the-engineer');
    await page.keyboard.press('Escape');
  });

  let firstSession = '';
  it('Disconnect shows the end with the recording\'s SHA-256 (as the log has it); Reconnect opens a new session on the same ticket', async () => {
    const { page, dataDir } = session.get();
    firstSession = (await shownView().getAttribute('data-session'))!;
    await shownView().getByTestId('vnc-disconnect').click();
    const banner = shownView().getByTestId('vnc-ended');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.getAttribute('data-outcome')).toBe('disconnected');
    const shown = (await shownView().getByTestId('vnc-ended-sha256').textContent())!;
    const detail = endDetail(dataDir, firstSession);
    expect(shown).toBe(detail.recordingSha256);
    expect(sha256(detail.recording)).toBe(shown);
    await screenshotAt(page, 1280, 'vnc-viewer-ended-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await shownView().getByTestId('vnc-reconnect').click();
    await expect.poll(() => shownView().getAttribute('data-session'), { timeout: 15_000 }).not.toBe(firstSession);
    await expect.poll(() => shownView().getAttribute('data-phase'), { timeout: 20_000 }).toBe('connected');
    expect(await page.locator('[data-testid="vnc-view"]').count()).toBe(1);
    // The screenshot saved before is named, with its hash, in the first session's end.
    expect(detail.screenshots?.map((s) => s.sha256)).toEqual([savedScreenshot]);
  });

  it('the ticket page shows the screenshot saved to it, its hash verified', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-tickets').click();
    await page.getByTestId('ticket-row-VNC-101').click();
    const thumbnail = page.locator(`[data-testid="ticket-screenshot"][data-sha256="${savedScreenshot}"]`);
    await thumbnail.locator('img').waitFor({ timeout: 15_000 });
    await thumbnail.click();
    await expect.poll(() => page.getByTestId('screenshot-hash').textContent()).toBe('hash verified');
    await screenshotAt(page, 1280, 'vnc-ticket-screenshot-1280');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('nav-terminals').click();
  });

  it('a view-only session sends nothing: typed text never reaches the remote program', async () => {
    const { page } = session.get();
    const interactive = (await shownView().getAttribute('data-session'))!;
    await openViewer(true);
    expect(await shownView().getByTestId('vnc-view-only').textContent()).toBe('View-only');
    expect(await shownView().getByTestId('vnc-keys').isDisabled()).toBe(true);
    await clickAt(120, 120);
    await page.keyboard.type('view-only text');
    await page.keyboard.press('Enter');
    await screenshotAt(page, 1280, 'vnc-viewer-view-only-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    // The interactive session on the same display types a marker after it: once the marker is there,
    // anything the view-only viewer had let through would be there too.
    await page.locator(`[role="tab"]`).filter({ hasText: 'desk01' }).first().click();
    await expect.poll(() => shownView().getAttribute('data-session')).toBe(interactive);
    await clickAt(120, 120);
    await page.keyboard.type('marker');
    await page.keyboard.press('Enter');
    await expect.poll(typed, { timeout: 15_000 }).toContain('marker\n');
    expect(typed()).toBe('hello from the viewer\nmarker\n');
  });

  it('the host form edits the VNC endpoint\'s jump host, clipboard rule and TLS pin', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-site-Vnc Labs / lab').click();
    await page.getByTestId('edit-host-desk01').click();
    expect(await page.getByTestId('host-form-vnc-clipboard').inputValue()).toBe('Both ways');
    await page.getByTestId('host-form-vnc-jump').click();
    await page.getByRole('option', { name: 'bastion' }).click();
    await page.getByTestId('host-form-vnc-clipboard').click();
    await page.getByRole('option', { name: 'To the engineer only' }).click();
    await screenshotAt(page, 1280, 'vnc-host-form-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('save-host').click();
    await expect.poll(() => page.locator('[data-testid="host-row-desk01"] [data-testid="endpoint-vnc"]').textContent()).toBe(`VNC :${lab.xvnc.port} · jump bastion`);
  });

  it('the window never threw', () => {
    expect(session.pageErrors).toEqual([]);
  });
});

/** The detail of a session's 'ended' record, straight from the SQLite file (read-only). */
function endDetail(dataDir: string, sessionId: string): { recording: string; recordingSha256: string; screenshots?: Array<{ sha256: string }> } {
  const db = new Database(path.join(dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true });
  try {
    const end = db.prepare("SELECT detail FROM session_events WHERE session_id = ? AND kind = 'ended'").get(sessionId) as { detail: string } | undefined;
    if (!end) throw new Error(`session ${sessionId} has no 'ended' record`);
    return JSON.parse(end.detail) as ReturnType<typeof endDetail>;
  } finally {
    db.close();
  }
}

/** What an X client printed on the Xvnc's display. */
function execFileText(file: string, args: string[], display: number): string {
  return execFileSync(file, args, { env: { ...process.env, DISPLAY: `:${display}` }, encoding: 'utf8', timeout: 5_000 });
}
