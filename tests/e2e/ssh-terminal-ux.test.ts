import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { screenshot } from '../helpers/e2e-session';
import { sshdUnavailable } from '../helpers/sshd';
import { connectLab01OnNewTicket, useSshLabSession } from '../helpers/e2e-ssh-lab';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir';

const unavailable = sshdUnavailable();

/**
 * The terminal's comforts against a real OpenSSH sshd: search in the scrollback, font zoom (the
 * shell sees the new size), the bell badge on the tab, links (plain and OSC 8) only through the
 * https-only check, and one-keystroke reconnect after `exit` (same ticket, a new session in the log).
 * The system opener is a stand-in `xdg-open` on PATH that records what it was asked to open.
 */
describe.skipIf(unavailable).sequential(`browser mode: SSH terminal UX${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const binDir = makeTempDir('switchboard-e2e-opener-');
  const opened = path.join(binDir, 'opened.txt');
  fs.writeFileSync(path.join(binDir, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`, { mode: 0o755 });
  afterAll(() => removeTempDir(binDir));
  const openedUrls = () => (fs.existsSync(opened) ? fs.readFileSync(opened, 'utf8') : '');
  const lab = useSshLabSession({ name: 'terminal-ux', env: { PATH: `${binDir}:${process.env.PATH}` } });
  const session = lab.session;

  const terminalText = async () => (await session.get().page.locator('[data-testid="terminal"] .xterm-rows').textContent()) ?? '';
  const focusTerminal = () => session.get().page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
  const run = async (command: string) => {
    await focusTerminal();
    await session.get().page.keyboard.type(command);
    await session.get().page.keyboard.press('Enter');
  };
  const ticketSessions = () => {
    const records = JSON.parse(runCli(['log', 'list', '--json'], { dataDir: session.get().dataDir }).stdout) as { sessionId: string; ticket: string | null; method: string | null; decision: string | null; outcome: string | null }[];
    return records.filter((r) => r.ticket === 'LAB-8' && r.method === 'ssh');
  };

  it('connects to lab01 on a new ticket and pins its key', async () => {
    const { page } = session.get();
    await connectLab01OnNewTicket(page, 'LAB-8');
  });

  it('uses the DOM renderer in this headless Chromium (WebGL is only SwiftShader here) and says so on the terminal', async () => {
    const { page } = session.get();
    const terminal = page.getByTestId('terminal');
    expect(await terminal.getAttribute('data-renderer')).toBe('dom');
    // --disable-gpu: no WebGL2 context with failIfMajorPerformanceCaveat; without the flag it would name SwiftShader.
    expect(await terminal.getAttribute('data-renderer-reason')).toMatch(/failIfMajorPerformanceCaveat|software WebGL \(.*SwiftShader/i);
    // The DOM renderer's rows are there, and no WebGL canvas was added.
    expect(await terminal.locator('.xterm-rows').count()).toBe(1);
    expect(await terminal.locator('canvas').count()).toBe(0);
  });

  it('Ctrl+Shift+F searches the scrollback for an echoed word', async () => {
    const { page } = session.get();
    await run('echo needle-$((6*7))');
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/needle-42/);
    await focusTerminal();
    await page.keyboard.press('Control+Shift+F');
    await page.getByTestId('terminal-search').waitFor();
    const input = page.getByTestId('terminal-search-input');
    await input.fill('needle-42');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('terminal-search-result').getAttribute('data-found')).toBe('true');
    await expect(page.getByTestId('terminal-search-result').textContent()).resolves.toMatch(/Match found/);
    await page.getByTestId('terminal-search-prev').click();
    await expect.poll(() => page.getByTestId('terminal-search-result').getAttribute('data-found')).toBe('true');
    await input.fill('haystack-that-never-was');
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('terminal-search-result').getAttribute('data-found')).toBe('false');
    await input.press('Escape');
    await expect.poll(() => page.getByTestId('terminal-search').count()).toBe(0);
  });

  it('Ctrl+Shift+C copies the selection and Ctrl+Shift+V pastes; Ctrl+C stays the interrupt', async () => {
    const { page } = session.get();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await run('echo copy-me-$((3+4))');
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/copy-me-7/);
    // Double-click the output word to select it, as an engineer would.
    const row = page.locator('[data-testid="terminal"] .xterm-rows > div', { hasText: /^copy-me-7/ }).last();
    const box = (await row.boundingBox())!;
    await page.mouse.dblclick(box.x + 12, box.y + box.height / 2);
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: 10_000 }).toBe('copy-me-7');

    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((20+22))'));
    await focusTerminal();
    await page.keyboard.press('Control+Shift+V');
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/echo pasted-\$\(\(20\+22\)\)/); // the paste is read asynchronously
    await page.keyboard.press('Enter');
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/pasted-42/);

    // Over 1 MiB in one paste: sent as several frames, all of it reaches the shell.
    await run('stty -echo; echo "rea""dy-to-count"; head -n 1200 | wc -l; stty echo');
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/ready-to-count/);
    await page.evaluate(() => navigator.clipboard.writeText(`${'x'.repeat(999)}\n`.repeat(1200)));
    await page.keyboard.press('Control+Shift+V');
    // wc's own line, right under the marker (the command line above also says 1200).
    await expect.poll(terminalText, { timeout: 30_000 }).toMatch(/ready-to-count\s*1200/);
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 10_000 }).toBe('connected');

    await run('echo "slee""ping"; sleep 30');
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/sleeping/);
    await page.keyboard.press('Control+C');
    await run('echo after-$((1+1))-interrupt');
    await expect.poll(terminalText, { timeout: 10_000 }).toMatch(/after-2-interrupt/);
  });

  it('bulk output reaches the window whole and in order, and a flood stops at Ctrl-C with the shell answering', async () => {
    const { page } = session.get();
    // Megabytes through the terminal's worker (joined and paced hand-overs): the last rows are the last numbers, in order.
    await run('seq 1 300000; echo "bulk""-done"');
    await expect.poll(terminalText, { timeout: 60_000 }).toMatch(/bulk-done/);
    const rows = await page.locator('[data-testid="terminal"] .xterm-rows > div').allTextContents();
    const numbers = rows.map((r) => r.replace(/\u00a0/g, ' ').trim()).filter((r) => /^\d+$/.test(r)).map(Number);
    expect(numbers.length).toBeGreaterThan(10);
    expect(numbers.at(-1)).toBe(300000);
    numbers.forEach((n, i) => { if (i > 0) expect(n).toBe(numbers[i - 1]! + 1); });
    // Nothing lost on the way: 2 MB of x without a line break wraps into full rows, and the last, partial row
    // holds exactly what is left over — a lost or doubled hand-over changes that count.
    const count = 2_000_003;
    await run(`c=$(tput cols); head -c ${count} /dev/zero | tr '\\0' x; echo; echo "co""ls=$c"`);
    await expect.poll(terminalText, { timeout: 60_000 }).toMatch(/cols=\d+/);
    const screen = (await page.locator('[data-testid="terminal"] .xterm-rows > div').allTextContents()).map((r) => r.replace(/\u00a0/g, ' ').trimEnd());
    const colsRow = screen.findLastIndex((r) => /^cols=\d+$/.test(r));
    const cols = Number(screen[colsRow]!.slice('cols='.length));
    expect(screen[colsRow - 1]).toBe('x'.repeat(count % cols || cols));
    expect(screen[colsRow - 2]).toBe('x'.repeat(cols));

    // A flood (`yes` never stops by itself): Ctrl-C stops it, and the next command runs.
    await run('yes flood-line');
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/flood-line/);
    await page.keyboard.press('Control+C');
    await run('echo after-$((3*3))-flood');
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/after-9-flood/);
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 10_000 }).toBe('connected');
  });

  it('Ctrl+= / Ctrl+0 zoom the font and the shell sees the new size', async () => {
    const { page } = session.get();
    const size = async () => {
      const marker = `size-${Math.random().toString(36).slice(2, 8)}`;
      await run(`echo ${marker}:$(stty size | tr ' ' x)`);
      let found = '';
      await expect.poll(async () => (found = new RegExp(`${marker}:(\\d+x\\d+)`).exec(await terminalText())?.[1] ?? ''), { timeout: 15_000 }).not.toBe('');
      return found;
    };
    const before = await size();
    await focusTerminal();
    await page.keyboard.press('Control+Equal');
    await page.keyboard.press('Control+Equal');
    await page.keyboard.press('Control+Equal');
    await expect.poll(size, { timeout: 15_000 }).not.toBe(before);
    // Bigger cells in the same box: fewer rows and fewer columns, and the page does not grow.
    const [rows, cols] = before.split('x').map(Number) as [number, number];
    const [zoomedRows, zoomedCols] = (await size()).split('x').map(Number) as [number, number];
    expect(zoomedRows).toBeLessThan(rows);
    expect(zoomedCols).toBeLessThan(cols);
    expect(await page.evaluate('document.documentElement.scrollHeight <= window.innerHeight')).toBe(true);
    await focusTerminal();
    await page.keyboard.press('Control+0');
    await expect.poll(size, { timeout: 15_000 }).toBe(before);
  });

  it("`printf '\\a'` puts a bell badge on the tab until it is viewed", async () => {
    const { page } = session.get();
    expect(await page.getByTestId('terminal-bell-lab01').count()).toBe(0);
    await run("printf '\\a'");
    await page.getByTestId('terminal-bell-lab01').waitFor({ timeout: 15_000 });
    await screenshot(page, '20-terminal-bell');
    await page.locator('[data-testid="terminal"]').click();
    await expect.poll(() => page.getByTestId('terminal-bell-lab01').count()).toBe(0);
  });

  it('opens plain and OSC 8 links only through the https-only check: javascript: and file: are refused, saying why', async () => {
    const { page } = session.get();
    /** Hovers and clicks the first cell of the output row that is exactly `text` (not the typed command line). */
    const clickLink = async (text: string) => {
      const row = page.locator('[data-testid="terminal"] .xterm-rows > div', { hasText: new RegExp(`^${text}\\s*$`) }).last();
      await row.waitFor({ timeout: 15_000 });
      const box = (await row.boundingBox())!;
      await page.mouse.move(box.x + 4, box.y + box.height / 2);
      await page.mouse.move(box.x + 8, box.y + box.height / 2);
      await page.mouse.click(box.x + 8, box.y + box.height / 2);
    };
    // ESC ] 8 ; ; URI ESC \ TEXT ESC ] 8 ; ; ESC \ — the host picks the shown text and the target apart.
    const printOscLink = (uri: string, text: string) => run(`printf '\\033]8;;${uri}\\033\\\\${text}\\033]8;;\\033\\\\\\n'`);
    const alert = page.getByTestId('error-alert');

    await printOscLink('javascript:alert(1)', 'osc-js');
    await clickLink('osc-js');
    await expect.poll(() => page.getByTestId('terminal').getAttribute('title')).toBe('Link to javascript:alert(1)');
    await expect.poll(() => alert.textContent()).toMatch(/refusing to open "javascript:alert\(1\)": only https:\/\/ links are opened/);

    await printOscLink('file:///etc/passwd', 'osc-file');
    await clickLink('osc-file');
    await expect.poll(() => alert.textContent()).toMatch(/refusing to open "file:\/\/\/etc\/passwd": only https:\/\/ links/);
    await screenshot(page, '20b-terminal-osc8-refused');

    await printOscLink('https://example.com/osc8-link', 'osc-https');
    await clickLink('osc-https');
    await expect.poll(openedUrls).toBe('https://example.com/osc8-link\n');

    await run('echo https://example.com/plain-link');
    await clickLink('https://example.com/plain-link');
    await expect.poll(openedUrls).toBe('https://example.com/osc8-link\nhttps://example.com/plain-link\n');
    expect(page.context().pages()).toHaveLength(1); // nothing went through window.open
  });

  it('`exit` ends the session and the banner offers "Press R to reconnect"', async () => {
    const { page } = session.get();
    await run('exit');
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('ended');
    await expect(page.getByTestId('terminal-exit').textContent()).resolves.toMatch(/Session ended: exit status 0.*Press R to reconnect/s);
    await page.getByTestId('terminal-reconnect').waitFor();
    await expect.poll(() => ticketSessions().length).toBe(1);
  });

  it('pressing R reconnects on the same ticket as a new session', async () => {
    const { page } = session.get();
    const [first] = ticketSessions();
    await focusTerminal();
    await page.keyboard.press('r');
    // The key is pinned now: no question, straight to a shell.
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 20_000 }).toBe('connected');
    expect(await page.getByTestId('hostkey-fingerprint').count()).toBe(0);
    await expect(page.getByTestId('terminal-tab-lab01').textContent()).resolves.toMatch(/lab01.*LAB-8/);
    expect(await page.locator('[data-testid^="terminal-tab-"]').count()).toBe(1);
    await run('echo back-$((40+2))');
    await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/back-42/);
    const sessions = ticketSessions();
    expect(sessions).toHaveLength(2);
    expect(new Set(sessions.map((s) => s.sessionId)).size).toBe(2);
    expect(sessions.map((s) => s.decision)).toEqual(['allow', 'allow']);
    const old = sessions.find((s) => s.sessionId === first!.sessionId);
    expect(old?.outcome).toBeTruthy();
    await screenshot(page, '21-terminal-reconnected');
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
