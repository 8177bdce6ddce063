import { Kbd } from '@mantine/core';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl';

/** "mod+K" → Ctrl K / ⌘ K */
export function Shortcut({ keys }: { keys: string }) {
  const parts = keys.split('+').map((k) => (k === 'mod' ? MOD : k));
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {parts.map((k, i) => (
        <Kbd key={i} size="xs" mr={i < parts.length - 1 ? 2 : 0}>{k}</Kbd>
      ))}
    </span>
  );
}

export function shortcutText(keys: string): string {
  return keys.split('+').map((k) => (k === 'mod' ? MOD : k)).join('+');
}
