import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTicket } from '../../main/core/tickets/tickets';
import { takeSnapshot } from '../../main/core/vnc/snapshot';
import { readVncRecording } from '../../main/core/vnc/vnc-recording';
import { launchChromium, startWebApp, type WebApp } from '../helpers/browser';
import { call, openTestCore } from '../helpers/core';
import { screenshotAt, sessionRows } from '../helpers/e2e-session';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';
import { attachViewer, viewerHandshake } from '../helpers/vnc-viewer';
import { startXvnc, type TestXvnc } from '../helpers/xvnc';

const ENGINEER = 'e2e-vnc-replay';
const FIRST = '#3a6ea5';
const SECOND = '#c0ffee';

/**
 * A real VNC session recorded by the core against a real Xvnc (the root window one colour, then —
 * about 1.5 s later — another), then replayed in the log of the browser-mode window: the colour read
 * back from noVNC's canvas at the start, after seeking to the end and after seeking back; the hash
 * line; a recording with one byte flipped refused until asked, then marked; a missing file named.
 */
describe.sequential('browser mode: a VNC recording replayed in the log', () => {
  const dataDir = makeTempDir('switchboard-e2e-vnc-replay-');
  const credential = `e2e-vnc-replay-${process.pid}`;
  const pageErrors: string[] = [];
  let xvnc: TestXvnc | undefined;
  let app: WebApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let recordingFile: string;
  /** Replay seconds between the last event of the first colour and the first of the second. */
  let gap: { from: number; to: number };
  let duration: number;

  beforeAll(async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through scripts/with-keyring.sh').toBeTruthy();
    xvnc = await startXvnc({ geometry: { width: 320, height: 200 } });
    const core = openTestCore({ dataDir, mode: 'web', engineer: ENGINEER });
    try {
      const text = stringify({
        version: 1,
        customers: [{
          name: 'Replay Labs', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          sites: [{ name: 'lab', seats: 10, peak_calls: 10, approved_methods: ['vnc'], hosts: [{ name: 'desk01', address: '127.0.0.1', vnc: { port: xvnc.port, credential } }] }],
        }],
      });
      await call(core, 'profiles.import', { text, fileName: 'lab.yaml' });
      await call(core, 'credentials.set', { name: credential, kind: 'password', secret: xvnc.password });
      const siteId = (core.db.prepare('SELECT id FROM sites WHERE name = ?').get('lab') as { id: number }).id;
      openTicket(core.db, { ref: 'EXO-REPLAY-1', siteId, type: 'incident', component: 'other', impact: {} }, ENGINEER);

      xvnc.x('xsetroot', ['-solid', FIRST]);
      const opened = await call<{ sessionId: string }>(core, 'vnc.open', { siteId, ticket: 'EXO-REPLAY-1', target: 'desk01' });
      const viewer = attachViewer(core.vnc, opened.sessionId);
      await viewer.message('connected');
      const init = await viewerHandshake(viewer.rfb);
      await takeSnapshot(viewer.rfb, init, { timeoutMs: 10_000 });
      // Recorded time, not a wait for something: the two colours must lie 1.5 s apart in the recording.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      xvnc.x('xsetroot', ['-solid', SECOND]);
      await takeSnapshot(viewer.rfb, { ...init, rest: Buffer.alloc(0) }, { timeoutMs: 10_000 });
      viewer.leave();
      const end = await core.vnc.close(opened.sessionId);
      recordingFile = end!.recording!;
    } finally {
      await core.close();
    }
    // The replay clock is the recording's, idle gaps capped at 2 s (the one here is shorter).
    const output = readVncRecording(recordingFile).events.filter((e) => e.kind === 'o').map((e) => e.t / 1000);
    const at = output.findIndex((t, i) => i > 0 && t - output[i - 1]! > 1);
    expect(at, `a gap of over a second in ${JSON.stringify(output)}`).toBeGreaterThan(0);
    gap = { from: output[at - 1]!, to: output[at]! };
    duration = output.at(-1)!;

    app = await startWebApp(dataDir, { ...process.env, SWITCHBOARD_ENGINEER: ENGINEER });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(app.url);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    const core = openTestCore({ dataDir, mode: 'web', engineer: ENGINEER });
    await core.dispatch('credentials.delete', { name: credential });
    await core.close();
    await xvnc?.stop();
    removeTempDir(dataDir);
  });

  /** The colour of the replay canvas's middle pixel, or null before noVNC has a canvas with a size. */
  const canvasColour = () => page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="vnc-replay-screen"] canvas');
    if (!canvas || canvas.width === 0) return null;
    const [r, g, b] = canvas.getContext('2d')!.getImageData(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1).data;
    return `#${[r!, g!, b!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  });
  const seeks = async () => Number(await page.getByTestId('vnc-replay-screen').getAttribute('data-seeks'));
  const clock = async () => Number(await page.getByTestId('vnc-replay-clock').getAttribute('data-time'));
  /** Runs `action`, waits until the seek it caused has been fed to noVNC, and returns the replay time. */
  const seekBy = async (action: () => Promise<unknown>) => {
    const before = await seeks();
    await action();
    await expect.poll(seeks).toBeGreaterThan(before);
    await expect.poll(() => page.getByTestId('vnc-replay-screen').getAttribute('data-seeking')).toBe('false');
    return clock();
  };
  /** Clicks the slider at the replay time `time`. */
  const clickSliderAt = async (time: number) => {
    const box = (await page.getByTestId('vnc-replay-slider').boundingBox())!;
    await page.mouse.click(box.x + (box.width * time) / duration, box.y + box.height / 2);
  };
  const openReplay = async () => {
    await page.getByTestId('nav-log').click();
    await sessionRows(page).first().click();
    await page.getByTestId('vnc-replay-open').click();
  };

  it('replays the session: the first colour before the change, the second after seeking to the end, the first again after seeking back', async () => {
    await openReplay();
    await page.getByTestId('vnc-replay-player').waitFor();
    await expect(page.getByTestId('vnc-replay-hash').textContent()).resolves.toBe('hash verified');
    // Autoplay paints the first colour; pause before the change comes.
    await expect.poll(canvasColour).toBe(FIRST);
    await page.getByTestId('vnc-replay-toggle').click();
    await expect.poll(() => page.getByTestId('vnc-replay-toggle').textContent()).toMatch(/Play/);

    const middle = (gap.from + gap.to) / 2;
    const atMiddle = await seekBy(() => clickSliderAt(middle));
    expect(atMiddle).toBeGreaterThan(gap.from);
    expect(atMiddle).toBeLessThan(gap.to);
    expect(await canvasColour()).toBe(FIRST);

    await page.getByTestId('vnc-replay-player').focus();
    const atEnd = await seekBy(() => page.keyboard.press('End'));
    expect(atEnd).toBeCloseTo(duration, 1);
    await expect.poll(canvasColour).toBe(SECOND);
    expect(await page.getByTestId('vnc-replay-clock').textContent()).toMatch(/^0:0\d\.\d \/ 0:0\d\.\d$/);
    await screenshotAt(page, 1280, 'vnc-replay-1280');
    await screenshotAt(page, 1024, 'vnc-replay-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    // Back: a fresh noVNC fed from the first byte up to there.
    await seekBy(() => clickSliderAt(middle));
    await expect.poll(canvasColour).toBe(FIRST);
    // And playing on from there reaches the change.
    await page.getByTestId('vnc-replay-speed').getByText('8×').click();
    await page.getByTestId('vnc-replay-toggle').click();
    await expect.poll(canvasColour).toBe(SECOND);
    await page.getByTestId('vnc-replay-done').waitFor();
    await expect(page.getByTestId('replay-input-off').textContent()).resolves.toMatch(/not recorded/);
  });

  it('a recording with one byte flipped is refused as evidence; played on request, it stays marked unverified', async () => {
    const bytes = fs.readFileSync(recordingFile);
    bytes.writeUInt8(bytes[bytes.length - 100]! ^ 0xff, bytes.length - 100); // a pixel of the last update: still a recording, no longer the logged one
    fs.writeFileSync(recordingFile, bytes);
    await page.reload();
    await openReplay();
    const mismatch = page.getByTestId('vnc-replay-mismatch');
    await mismatch.waitFor();
    await expect(mismatch.textContent()).resolves.toMatch(/does not match the log's SHA-256/);
    expect(await page.getByTestId('vnc-replay-player').count()).toBe(0);
    await screenshotAt(page, 1280, 'vnc-replay-mismatch-1280');
    await page.getByTestId('vnc-replay-unverified').click();
    await page.getByTestId('vnc-replay-player').waitFor();
    await expect(page.getByTestId('vnc-replay-hash').getAttribute('data-verified')).resolves.toBe('false');
    await expect(page.getByTestId('vnc-replay-hash').textContent()).resolves.toMatch(/unverified/);
    await expect.poll(canvasColour).not.toBeNull();
  });

  it('a missing recording file is named, not a blank player', async () => {
    fs.rmSync(recordingFile);
    await page.reload();
    await openReplay();
    const error = page.getByTestId('vnc-replay-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/missing/);
    expect(pageErrors).toEqual([]);
  });
});
