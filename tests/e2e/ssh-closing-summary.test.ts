import { describe, expect, it } from 'vitest';
import { listSessions } from '../helpers/cli';
import { screenshot, sessionRows } from '../helpers/e2e-session';
import { sshdUnavailable } from '../helpers/sshd';
import { connectLab01OnNewTicket, useSshLabSession } from '../helpers/e2e-ssh-lab';

const unavailable = sshdUnavailable();

/**
 * When an SSH terminal ends in the window, the engineer is asked for a closing summary, as on the
 * launcher path: a panel beside the ended terminal that takes no keys while the terminal is live and
 * none after (R still reconnects). Saved, the summary is in the session log under the engineer's
 * name; skipped, the session has none. Against a real OpenSSH sshd.
 */
describe.skipIf(unavailable).sequential(`browser mode: closing summary after an SSH session${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const lab = useSshLabSession({ name: 'closing-summary', engineer: 'asha' });
  const session = lab.session;

  const focusTerminal = () => session.get().page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
  const sessions = () => {
    const records = listSessions<{ sessionId: string; ticket: string | null; method: string | null; outcome: string | null; summary: string | null; summaryBy: string | null }>(session.get().dataDir);
    return records.filter((r) => r.ticket === 'LAB-11' && r.method === 'ssh' && r.outcome !== 'denied');
  };

  it('connects to lab01 and asks nothing while the terminal is live', async () => {
    const { page } = session.get();
    await connectLab01OnNewTicket(page, 'LAB-11');
    expect(await page.getByTestId('closing-summary').count()).toBe(0);
  });

  it('exiting the shell brings up the prompt for that ticket', async () => {
    const { page } = session.get();
    await focusTerminal();
    await page.keyboard.type('exit');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('ended');
    await page.getByTestId('closing-summary').waitFor();
    await expect(page.getByTestId('closing-summary').textContent()).resolves.toContain('Closing summary for LAB-11 — what did you do?');
    await screenshot(page, '20-closing-summary');
  });

  it('Ctrl+Enter saves the summary to the log under the engineer\'s name', async () => {
    const { page } = session.get();
    const text = page.getByTestId('closing-summary-text');
    await text.click();
    await page.keyboard.type('Read the dialer logs; restarted nothing.');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('closing-summary-saved').waitFor();
    const [record] = sessions();
    expect(record).toMatchObject({ summary: 'Read the dialer logs; restarted nothing.', summaryBy: 'asha' });

    await page.getByTestId('nav-log').click();
    const row = sessionRows(page).first();
    await expect.poll(() => row.textContent()).toMatch(/LAB-11/);
    await row.click();
    await expect(page.getByTestId('log-summary').textContent()).resolves.toContain('Read the dialer logs; restarted nothing.');
    await expect(page.getByTestId('log-summary-by').textContent()).resolves.toContain('asha');
    await page.keyboard.press('Escape');
  });

  it('Skip leaves no summary', async () => {
    const { page } = session.get();
    await page.getByTestId('nav-terminals').click();
    await focusTerminal();
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
    expect(await page.getByTestId('closing-summary').count()).toBe(0);
    await focusTerminal();
    await page.keyboard.type('exit');
    await page.keyboard.press('Enter');
    await page.getByTestId('closing-summary').waitFor({ timeout: 15_000 });
    await page.getByTestId('closing-summary-skip').click();
    await page.getByTestId('closing-summary').waitFor({ state: 'detached' });
    await expect.poll(() => sessions().length).toBe(2);
    expect(sessions().map((r) => r.summary).sort()).toEqual(['Read the dialer logs; restarted nothing.', null].sort());
  });

  it('Esc in the prompt skips too', async () => {
    const { page } = session.get();
    await focusTerminal();
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
    await page.getByTestId('terminal-disconnect').click();
    await page.getByTestId('closing-summary-text').click();
    await page.keyboard.type('half a thought');
    await page.keyboard.press('Escape');
    await page.getByTestId('closing-summary').waitFor({ state: 'detached' });
    await expect.poll(() => sessions().length).toBe(3);
    expect(sessions().filter((r) => r.summary !== null)).toHaveLength(1);
  });

  it('the prompt takes no keys: R on the ended terminal reconnects while it is asking', async () => {
    const { page } = session.get();
    await focusTerminal();
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
    await focusTerminal();
    await page.keyboard.type('exit');
    await page.keyboard.press('Enter');
    await page.getByTestId('closing-summary').waitFor({ timeout: 15_000 });
    await focusTerminal();
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('connected');
    await expect(page.getByTestId('closing-summary-text').count()).resolves.toBe(0);
    await expect.poll(() => sessions().length).toBe(5);
    expect(sessions().filter((r) => r.summary !== null)).toHaveLength(1);
    await page.getByTestId('terminal-disconnect').click();
  });

  it('never threw in the window', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
