/**
 * The key menu's combinations, sent as X keysyms (the values of noVNC's core/input/keysym.js, which
 * its package does not export). A combination is pressed in order and released in reverse, as a person
 * would; with the QEMU extended key event the server's layout decides what a code means, so each key
 * also carries its physical code.
 */
export const KEYSYM = {
  Control_L: 0xffe3,
  Alt_L: 0xffe9,
  Super_L: 0xffeb,
  Escape: 0xff1b,
  Tab: 0xff09,
  Delete: 0xffff,
  BackSpace: 0xff08,
  F8: 0xffc5,
  Print: 0xff61,
} as const;

export interface Key { keysym: number; code: string }

const key = (name: keyof typeof KEYSYM, code: string): Key => ({ keysym: KEYSYM[name], code });

export interface KeyCombo { id: string; label: string; keys: Key[] }

/** What an engineer used to TigerVNC's F8 menu expects to find, plus the Windows shortcuts support needs. */
export const KEY_COMBOS: readonly KeyCombo[] = [
  { id: 'ctrl-alt-del', label: 'Ctrl+Alt+Del', keys: [key('Control_L', 'ControlLeft'), key('Alt_L', 'AltLeft'), key('Delete', 'Delete')] },
  { id: 'ctrl-esc', label: 'Ctrl+Esc (Start menu)', keys: [key('Control_L', 'ControlLeft'), key('Escape', 'Escape')] },
  { id: 'alt-tab', label: 'Alt+Tab', keys: [key('Alt_L', 'AltLeft'), key('Tab', 'Tab')] },
  { id: 'super', label: 'Super (Windows key)', keys: [key('Super_L', 'MetaLeft')] },
  { id: 'ctrl-alt-backspace', label: 'Ctrl+Alt+Backspace', keys: [key('Control_L', 'ControlLeft'), key('Alt_L', 'AltLeft'), key('BackSpace', 'Backspace')] },
  { id: 'print', label: 'Print Screen', keys: [key('Print', 'PrintScreen')] },
  // F8 opens this menu, as in TigerVNC; here is how the remote side still gets one.
  { id: 'f8', label: 'F8', keys: [key('F8', 'F8')] },
];

/** The presses and releases of a combination, in the order they go to the server. */
export function comboEvents(combo: KeyCombo): Array<Key & { down: boolean }> {
  return [...combo.keys.map((k) => ({ ...k, down: true })), ...[...combo.keys].reverse().map((k) => ({ ...k, down: false }))];
}
