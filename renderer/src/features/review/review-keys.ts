/** What a key does in the review queue (docs: j/k or ↓/↑ move, Enter plays, r/f/s/u decide). */
export type ReviewKeyAction = 'next' | 'previous' | 'play' | 'reviewed' | 'flag' | 'signed-off' | 'unreviewed';

const KEYS: Readonly<Record<string, ReviewKeyAction>> = {
  j: 'next', ArrowDown: 'next',
  k: 'previous', ArrowUp: 'previous',
  Enter: 'play',
  r: 'reviewed',
  f: 'flag',
  s: 'signed-off',
  u: 'unreviewed',
};

export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  target: EventTarget | null;
}

/** Where typing goes somewhere else: a text field, a select, a menu, or (for Enter and Space) a button or link. */
function typingTarget(target: EventTarget | null, key: string): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.closest('input, textarea, select, [contenteditable="true"], [role="menu"], [role="listbox"], [role="dialog"]')) return true;
  return key === 'Enter' && target.closest('button, a, [role="button"], [role="slider"]') !== null;
}

/**
 * The queue's action for a key press, or null when the key is not the queue's (modifiers held, a text
 * field has focus). The recording player keeps its own keys (Space, ←/→, Home/End), none of these.
 */
export function reviewKeyAction(event: KeyLike): ReviewKeyAction | null {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  const action = KEYS[event.key];
  if (!action || typingTarget(event.target, event.key)) return null;
  return action;
}
