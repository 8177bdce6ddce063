/**
 * The viewer's own keys. Everything else typed in the viewer belongs to the remote desktop, so these
 * are few, caught before noVNC sees them, and chosen not to be what a remote desktop needs often:
 * F8 is TigerVNC's menu key (the key menu sends a real F8), the rest are Ctrl+Shift+letter.
 */
export type ViewerAction = 'keyMenu' | 'fullScreen' | 'scale' | 'screenshot' | 'clipboard' | 'reconnect';

type KeyFacts = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>;

/** The shortcut of each action, as the Shortcut component writes it. */
export const VIEWER_SHORTCUTS: Record<ViewerAction, string> = {
  keyMenu: 'F8',
  fullScreen: 'Ctrl+Shift+F',
  scale: 'Ctrl+Shift+A',
  screenshot: 'Ctrl+Shift+S',
  clipboard: 'Ctrl+Shift+V',
  reconnect: 'R',
};

const CTRL_SHIFT_LETTER: Record<string, ViewerAction> = { KeyF: 'fullScreen', KeyA: 'scale', KeyS: 'screenshot', KeyV: 'clipboard' };

/** The action a key asks for, or null when the key is the remote desktop's. R only counts once the session ended. */
export function viewerAction(event: KeyFacts, ended: boolean): ViewerAction | null {
  const plain = !event.ctrlKey && !event.shiftKey && !event.altKey && !event.metaKey;
  if (event.key === 'F8' && plain) return 'keyMenu';
  if (event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey) return CTRL_SHIFT_LETTER[event.code] ?? null;
  if (ended && (event.key === 'r' || event.key === 'R') && !event.ctrlKey && !event.altKey && !event.metaKey) return 'reconnect';
  return null;
}
