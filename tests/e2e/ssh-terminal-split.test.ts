import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { screenshot } from '../helpers/e2e-session';
import { sshdUnavailable } from '../helpers/sshd';
import { useSshLabSession } from '../helpers/e2e-ssh-lab';

const unavailable = sshdUnavailable();

/**
 * Two terminals side by side against a real OpenSSH sshd: Ctrl+Shift+E (or the button) splits the view,
 * both shells take input and each one's size follows its half of the window; splitting again unsplits.
 */
describe.skipIf(unavailable).sequential(`browser mode: split terminals${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const lab = useSshLabSession({ name: 'terminal-split', theme: 'dark',
    prepare: (dataDir) => {
      expect(runCli(['tickets', 'open', '--site', 'Loopback Labs/lab', '--id', 'LAB-21', '--component', 'other'], { dataDir }).status).toBe(0);
    },
  });
  const session = lab.session;

  const panes = () => session.get().page.locator('[data-testid="terminal-pane"][data-shown="true"]');
  const paneText = async (index: number) => (await panes().nth(index).locator('.xterm-rows').textContent()) ?? '';
  /** The columns `stty size` printed right after an echoed marker (xterm's rows read as one string). */
  const colsAfter = async (index: number, marker: string) => Number(new RegExp(`${marker}\\s*\\d+ (\\d+)`).exec(await paneText(index))?.[1] ?? 0);
  const runIn = async (index: number, command: string) => {
    const { page } = session.get();
    await panes().nth(index).locator('.xterm-helper-textarea').focus();
    await page.keyboard.type(command);
    await page.keyboard.press('Enter');
  };

  /** Opens terminal number `count` (1 or 2) and waits until it is the one shown, connected. */
  async function openTerminal(count: number) {
    const { page } = session.get();
    await page.getByTestId('nav-site-Loopback Labs / lab').click();
    await page.getByTestId('connect-lab01-ssh').click();
    await page.getByTestId('connect-ticket-select').selectOption('LAB-21');
    await page.getByTestId('connect-next').click(); // host and method came with the button: ticket → policy
    await page.getByTestId('policy-decision').waitFor();
    await page.getByTestId('connect-go').click();
    if (count === 1) await page.getByTestId('hostkey-accept').click();
    await expect.poll(() => page.locator('[data-testid="terminal-pane"]').count(), { timeout: 15_000 }).toBe(count);
    const newest = page.locator('[data-testid="terminal-pane"]').nth(count - 1);
    await expect.poll(() => newest.getAttribute('data-shown'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => newest.locator('[data-testid="terminal-status"]').textContent(), { timeout: 15_000 }).toBe('connected');
  }

  it('opens two terminals; one is shown at a time', async () => {
    await openTerminal(1);
    await runIn(0, 'echo "fir""st-term"');
    await expect.poll(() => paneText(0), { timeout: 15_000 }).toContain('first-term');
    await openTerminal(2);
    expect(await panes().count()).toBe(1);
  });

  let fullCols = 0;
  it('Ctrl+Shift+E shows both side by side; each shell sees its own, narrower size', async () => {
    const { page } = session.get();
    await runIn(0, 'echo "fu""ll"; stty size');
    await expect.poll(() => colsAfter(0, 'full'), { timeout: 15_000 }).toBeGreaterThan(0);
    fullCols = await colsAfter(0, 'full');
    await page.keyboard.press('Control+Shift+E');
    await expect.poll(() => panes().count(), { timeout: 5_000 }).toBe(2);
    // The terminal in use (the second) stays on the left; the one used before it joins on the right.
    const [first, second] = [await panes().nth(0).boundingBox(), await panes().nth(1).boundingBox()];
    expect(second!.x + second!.width).toBeLessThanOrEqual(first!.x);
    expect(Math.abs(first!.width - second!.width)).toBeLessThan(4);
    expect(await paneText(0)).toContain('first-term');
    await runIn(1, 'echo "seco""nd-term"; stty size');
    await expect.poll(() => colsAfter(1, 'second-term'), { timeout: 15_000 }).toBeGreaterThan(0);
    const halfCols = await colsAfter(1, 'second-term');
    expect(halfCols).toBeLessThan(fullCols * 0.6);
    await runIn(0, 'echo "still-""first"; stty size');
    await expect.poll(() => colsAfter(0, 'still-first'), { timeout: 15_000 }).toBe(halfCols);
    await screenshot(page, '22-terminal-split');
  });

  it('the button unsplits back to one terminal', async () => {
    const { page } = session.get();
    await page.getByTestId('terminals-split').click();
    await expect.poll(() => panes().count(), { timeout: 5_000 }).toBe(1);
  });
});
