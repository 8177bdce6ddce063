import type { Terminal } from '@xterm/xterm';

/**
 * Copy and paste as Linux terminals do it: Ctrl+Shift+C / Ctrl+Shift+V (and Shift+Insert to paste),
 * so Ctrl+C stays the interrupt and Ctrl+V stays the shell's own key.
 */
export function clipboardAction(event: KeyboardEvent): 'copy' | 'paste' | null {
  if (event.altKey || event.metaKey) return null;
  if (event.ctrlKey && event.shiftKey && (event.code === 'KeyC' || event.key === 'C')) return 'copy';
  if (event.ctrlKey && event.shiftKey && (event.code === 'KeyV' || event.key === 'V')) return 'paste';
  if (!event.ctrlKey && event.shiftKey && event.key === 'Insert') return 'paste';
  return null;
}

/** Copies the selection; false when nothing is selected. */
export async function copySelection(term: Terminal): Promise<boolean> {
  const text = term.getSelection();
  if (!text) return false;
  await navigator.clipboard.writeText(text);
  return true;
}

/** Pastes the clipboard's text the way xterm.js does (bracketed paste when the shell asked for it). */
export async function pasteClipboard(term: Terminal): Promise<void> {
  const text = await navigator.clipboard.readText();
  if (text) term.paste(text);
}

export function clipboardError(action: 'copy' | 'paste', error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `Could not ${action} (${reason}). The browser may need clipboard permission for this page.`;
}
