import { describe, expect, it } from 'vitest';
import { comboEvents, KEY_COMBOS, KEYSYM } from '../../renderer/src/features/vnc/keys';
import { viewerAction } from '../../renderer/src/features/vnc/shortcuts';
import { vncEndMessage, vncEndTitle } from '../../renderer/src/features/vnc/vnc-end';

const key = (k: string, code: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey', boolean>> = {}) =>
  ({ key: k, code, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods });

describe('the VNC viewer\'s own keys (everything else is the remote desktop\'s)', () => {
  it.each([
    ['F8', key('F8', 'F8'), false, 'keyMenu'],
    ['Shift+F8 goes to the desktop', key('F8', 'F8', { shiftKey: true }), false, null],
    ['Ctrl+Shift+F', key('F', 'KeyF', { ctrlKey: true, shiftKey: true }), false, 'fullScreen'],
    ['Ctrl+Shift+A', key('A', 'KeyA', { ctrlKey: true, shiftKey: true }), false, 'scale'],
    ['Ctrl+Shift+S', key('S', 'KeyS', { ctrlKey: true, shiftKey: true }), false, 'screenshot'],
    ['Ctrl+Shift+V', key('V', 'KeyV', { ctrlKey: true, shiftKey: true }), false, 'clipboard'],
    ['by the physical key: Ctrl+Shift+Q on AZERTY is the A key', key('Q', 'KeyA', { ctrlKey: true, shiftKey: true }), false, 'scale'],
    ['Ctrl+Alt+Shift+F goes to the desktop', key('F', 'KeyF', { ctrlKey: true, shiftKey: true, altKey: true }), false, null],
    ['Ctrl+F goes to the desktop', key('f', 'KeyF', { ctrlKey: true }), false, null],
    ['R while connected goes to the desktop', key('r', 'KeyR'), false, null],
    ['R once ended reconnects', key('r', 'KeyR'), true, 'reconnect'],
    ['Shift+R once ended reconnects', key('R', 'KeyR', { shiftKey: true }), true, 'reconnect'],
    ['Ctrl+R once ended is the browser\'s', key('r', 'KeyR', { ctrlKey: true }), true, null],
    ['a letter', key('a', 'KeyA'), false, null],
  ] as const)('%s', (_name, event, ended, expected) => {
    expect(viewerAction(event, ended)).toBe(expected);
  });
});

describe('the key menu', () => {
  it('presses a combination in order and releases it in reverse', () => {
    const ctrlAltDel = KEY_COMBOS.find((c) => c.id === 'ctrl-alt-del')!;
    expect(comboEvents(ctrlAltDel).map((e) => [e.keysym, e.down])).toEqual([
      [KEYSYM.Control_L, true], [KEYSYM.Alt_L, true], [KEYSYM.Delete, true],
      [KEYSYM.Delete, false], [KEYSYM.Alt_L, false], [KEYSYM.Control_L, false],
    ]);
  });

  it('offers what the issue names: Ctrl+Alt+Del, Ctrl+Esc, Alt+Tab, Super', () => {
    expect(KEY_COMBOS.map((c) => c.id)).toEqual(expect.arrayContaining(['ctrl-alt-del', 'ctrl-esc', 'alt-tab', 'super']));
  });
});

describe('the ended banner\'s words', () => {
  const exit = (reason: string, error: string | null) => ({ kind: 'exit' as const, exit: { type: 'exit' as const, outcome: error ? 'failed' : 'disconnected', reason, error, recording: null, sha256: null } });
  it.each([
    ['the engineer closed it', null, 'VNC session ended', 'The engineer closed it.'],
    ['the server closed the connection.', 'the server closed the connection.', 'VNC session failed', 'The server closed the connection.'],
    ['the engineer closed it', 'the recording failed', 'VNC session failed', 'The engineer closed it. The recording failed.'],
  ])('%s / %s', (reason, error, title, message) => {
    expect(vncEndTitle(exit(reason, error))).toBe(title);
    expect(vncEndMessage(exit(reason, error))).toBe(message);
  });

  it('a lost channel says what to do', () => {
    const lost = { kind: 'lost' as const, reason: 'The connection to the Switchboard host closed.', code: 1006 };
    expect(vncEndTitle(lost)).toBe('Connection to the viewer lost');
    expect(vncEndMessage(lost)).toMatch(/^The connection to the Switchboard host closed\. .*Reconnect ends it/);
  });
});
