import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readAsciicast } from '../../main/core/ssh/recording';
import { artifactPath } from '../helpers/browser';
import { CLI_BIN, listSessions, runCli } from '../helpers/cli';
import { screenshot, sessionRows } from '../helpers/e2e-session';
import { sshdUnavailable } from '../helpers/sshd';
import { useSshLabSession } from '../helpers/e2e-ssh-lab';

const unavailable = sshdUnavailable();
const SITE = 'Loopback Labs/lab';
const MARKERS = ['m-alpha', 'm-bravo', 'm-charlie', 'm-delta', 'm-echo'] as const;
/** Enough output between the first two markers that a seek has real work to do (~1.5 MB of events). */
const BULK_LINES = 200_000;
const TYPED = 'typed-on-stdin';

/**
 * Input recording turned on in the site form, a session recorded through the CLI against a real
 * sshd (markers about two seconds apart, a large burst of output, input on stdin), then replayed in
 * the log: seek with the slider to the end and to the middle, the keyboard shortcuts, and typed
 * input shown beside the terminal but never in it. What the replay shows is read from xterm's rows.
 */
describe.skipIf(unavailable).sequential(`browser mode: replay seek${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const lab = useSshLabSession({ name: 'replay-seek', engineer: 'e2e-lead',
    prepare: (dataDir) => {
      expect(runCli(['tickets', 'open', '--site', SITE, '--id', 'LAB-5'], { dataDir }).status).toBe(0);
    },
  });
  const session = lab.session;

  /** Marker times (seconds since the recording started) read from the .cast itself. */
  let markerTimes: Record<(typeof MARKERS)[number], number>;
  let duration: number;

  const replayText = async () => (await session.get().page.locator('[data-testid="replay-terminal"] .xterm-rows').textContent()) ?? '';
  const clock = async () => Number(await session.get().page.getByTestId('replay-clock').getAttribute('data-time'));
  const seeks = async () => Number(await session.get().page.getByTestId('replay-terminal').getAttribute('data-seeks'));
  /** Runs `action` (a click, a key), waits until the seek it caused is fully written, returns the replay time and the screen. */
  const seekBy = async (action: () => Promise<unknown>) => {
    const { page } = session.get();
    const before = await seeks();
    await action();
    await expect.poll(seeks).toBeGreaterThan(before);
    await expect.poll(() => page.getByTestId('replay-terminal').getAttribute('data-seeking')).toBe('false');
    // xterm has parsed everything; its DOM rows are repainted on the next animation frame.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    return { time: await clock(), text: await replayText() };
  };
  /** The markers the screen must show at `time`: those already printed, and none still to come. */
  const expectScreenAt = (time: number, text: string) => {
    for (const marker of MARKERS) {
      if (markerTimes[marker] <= time - 0.05 && marker !== 'm-alpha') expect(text, `${marker} at ${time}s`).toContain(marker);
      if (markerTimes[marker] > time + 0.05) expect(text, `${marker} at ${time}s`).not.toContain(marker);
    }
  };

  it('turns input recording on in the site form, with the warning, and the site page shows who did it', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-site-Loopback Labs / lab').click();
    await expect.poll(() => page.getByTestId('site-record-input').getAttribute('data-on')).toBe('false');
    await page.getByTestId('edit-site').click();
    await page.getByLabel('Record typed input in SSH recordings').check();
    await expect(page.getByTestId('site-form-record-input-warning').textContent()).resolves.toMatch(/including passwords typed at a remote prompt/);
    await expect.poll(() => page.getByLabel('Record typed input in SSH recordings').isChecked()).toBe(true);
    await page.screenshot({ path: artifactPath('40-site-form-record-input.png'), animations: 'disabled' });
    await page.getByTestId('save-site').click();
    await page.getByTestId('save-site').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('site-record-input').getAttribute('data-on')).toBe('true');
    await expect(page.getByTestId('site-record-input-change').textContent()).resolves.toMatch(/turned on by e2e-lead/);
    await screenshot(page, '41-site-record-input');
  });

  it('records a session with markers at different times through the CLI', () => {
    const { dataDir } = session.get();
    const script = [
      `printf '${MARKERS[0]}\\r\\n'`, 'sleep 1.8',
      `seq 1 ${BULK_LINES} | sed 's/$/\\r/'`, `printf '${MARKERS[1]}\\r\\n'`, 'sleep 1.8',
      `printf '${MARKERS[2]}\\r\\n'`, 'sleep 1.8',
      `printf '${MARKERS[3]}\\r\\n'`, 'sleep 1.8',
      `printf '${MARKERS[4]}\\r\\n'`,
    ].join('; ');
    // runCli's 1 MB output buffer is too small for the burst.
    const result = spawnSync(process.execPath, [CLI_BIN, '--data-dir', dataDir, 'connect', '--method', 'ssh', '--site', SITE, '--target', 'lab01', '--ticket', 'LAB-5', '--accept-new-host-key', '--', script], {
      input: `${TYPED}\n`, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000, env: { ...process.env, SWITCHBOARD_ENGINEER: 'e2e-lead' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(MARKERS[4]);
    const [record] = listSessions<{ detail: Record<string, unknown> }>(dataDir);
    const { events } = readAsciicast(String(record!.detail.recording));
    let output = '';
    const found: Partial<Record<(typeof MARKERS)[number], number>> = {};
    for (const [time, type, data] of events) {
      if (type !== 'o') continue;
      output += data;
      for (const marker of MARKERS) if (found[marker] === undefined && output.includes(marker)) found[marker] = time;
    }
    markerTimes = found as typeof markerTimes;
    expect(Object.keys(markerTimes)).toEqual([...MARKERS]);
    // The replay clock caps idle gaps at 2 s; these are all shorter, so replay time is recorded time.
    expect(markerTimes['m-echo'] - markerTimes['m-delta']).toBeLessThan(2);
    duration = events.at(-1)![0];
    expect(events.filter((e) => e[1] === 'i').map((e) => e[2]).join('')).toBe(`${TYPED}\n`);
  });

  it('opens the recording in the log and seeks to the end with the slider', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-log').click();
    await sessionRows(page).first().click();
    await page.getByTestId('replay').click();
    await page.getByTestId('replay-player').waitFor();
    await page.getByTestId('replay-toggle').click(); // pause the autoplay
    await expect.poll(() => page.getByTestId('replay-toggle').textContent()).toMatch(/Play/);
    const slider = page.getByTestId('replay-slider');
    const box = (await slider.boundingBox())!;
    const started = Date.now();
    // Grab the track near its end and pull past it: the slider clamps to the very end.
    const y = box.y + box.height / 2;
    const end = await seekBy(async () => {
      await page.mouse.move(box.x + box.width - 2, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width + 60, y, { steps: 3 });
      await page.mouse.up();
    });
    const seekMs = Date.now() - started;
    expect(end.time).toBeCloseTo(duration, 1);
    expectScreenAt(end.time, end.text);
    expect(end.text).toContain('m-echo');
    expect(end.text).toContain(String(BULK_LINES)); // the tail of the burst, just above the last markers
    expect(seekMs, `seeking over ${BULK_LINES} lines took ${seekMs} ms`).toBeLessThan(5_000);
    await page.getByTestId('replay-done').waitFor();
    console.log(`replay seek to the end over ~${BULK_LINES} lines: ${seekMs} ms`);
    await screenshot(page, '42-replay-seek-end');
  });

  it('seeks back to the middle: the screen holds what was printed by then and nothing after', async () => {
    const { page } = session.get();
    const target = (markerTimes['m-bravo'] + markerTimes['m-charlie']) / 2;
    const slider = page.getByTestId('replay-slider');
    const box = (await slider.boundingBox())!;
    const middle = await seekBy(() => page.mouse.click(box.x + (box.width * target) / duration, box.y + box.height / 2));
    expect(Math.abs(middle.time - target), `asked for ${target}s, got ${middle.time}s`).toBeLessThan(0.5);
    expectScreenAt(middle.time, middle.text);
    expect(middle.text).toContain('m-bravo');
    expect(middle.text).not.toContain('m-charlie');
    await screenshot(page, '43-replay-seek-middle');
  });

  it('drags the slider: the screen follows to where it is let go', async () => {
    const { page } = session.get();
    const box = (await page.getByTestId('replay-slider').boundingBox())!;
    const y = box.y + box.height / 2;
    const target = (markerTimes['m-charlie'] + markerTimes['m-delta']) / 2;
    await page.mouse.move(box.x + 2, y);
    await page.mouse.down();
    for (const fraction of [0.2, 0.9, 0.4]) await page.mouse.move(box.x + box.width * fraction, y, { steps: 4 });
    await page.mouse.move(box.x + (box.width * target) / duration, y, { steps: 4 });
    const dragged = await seekBy(() => page.mouse.up());
    expect(Math.abs(dragged.time - target)).toBeLessThan(0.5);
    expectScreenAt(dragged.time, dragged.text);
    expect(dragged.text).toContain('m-charlie');
    expect(dragged.text).not.toContain('m-delta');
  });

  it('answers the keyboard: Home, → five seconds, End, ← five seconds, Space plays to the end', async () => {
    const { page } = session.get();
    await page.getByTestId('replay-player').focus();
    const home = await seekBy(() => page.keyboard.press('Home'));
    expect(home.time).toBe(0);
    expect(home.text.trim()).toBe('');
    const five = await seekBy(() => page.keyboard.press('ArrowRight'));
    expect(five.time).toBeCloseTo(5, 1);
    expectScreenAt(five.time, five.text);
    const end = await seekBy(() => page.keyboard.press('End'));
    expect(end.time).toBeCloseTo(duration, 1);
    expect(end.text).toContain('m-echo');
    const back = await seekBy(() => page.keyboard.press('ArrowLeft'));
    expect(back.time).toBeCloseTo(duration - 5, 1);
    expectScreenAt(back.time, back.text);
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('replay-toggle').textContent()).toMatch(/Pause/);
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('replay-toggle').textContent()).toMatch(/Play/);
    const paused = await clock();
    await page.getByTestId('replay-speed').getByText('4×').click();
    await page.getByTestId('replay-player').focus();
    await page.keyboard.press(' ');
    await page.getByTestId('replay-done').waitFor({ timeout: 15_000 });
    expect(await clock()).toBeGreaterThan(paused);
    expect(await replayText()).toContain('m-echo');
  });

  it('shows typed input beside the replay, never in the terminal', async () => {
    const { page } = session.get();
    expect(await replayText()).not.toContain(TYPED);
    await page.getByLabel(/Show typed input \(1\)/).check();
    await expect(page.getByTestId('replay-input-0').textContent()).resolves.toContain(`${TYPED}⏎`);
    expect(await page.getByTestId('replay-input-0').getAttribute('data-reached')).toBe('true');
    const atInput = await seekBy(() => page.getByTestId('replay-input-0').click());
    expect(atInput.time).toBeLessThan(markerTimes['m-bravo']);
    expect(atInput.text).not.toContain(TYPED);
    await screenshot(page, '44-replay-typed-input');
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
