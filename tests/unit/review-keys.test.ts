import { describe, expect, it } from 'vitest';
import { reviewKeyAction, type KeyLike } from '../../renderer/src/features/review/review-keys';

const press = (key: string, extra: Partial<KeyLike> = {}): KeyLike => ({ key, altKey: false, ctrlKey: false, metaKey: false, target: null, ...extra });

describe('review queue keys', () => {
  const rows: [string, KeyLike, ReturnType<typeof reviewKeyAction>][] = [
    ['j moves down', press('j'), 'next'],
    ['↓ moves down', press('ArrowDown'), 'next'],
    ['k moves up', press('k'), 'previous'],
    ['↑ moves up', press('ArrowUp'), 'previous'],
    ['Enter plays the recording', press('Enter'), 'play'],
    ['r marks reviewed', press('r'), 'reviewed'],
    ['f flags (the comment box takes the reason)', press('f'), 'flag'],
    ['s signs off', press('s'), 'signed-off'],
    ['u goes back to unreviewed', press('u'), 'unreviewed'],
    ['R (shift) is not r', press('R'), null],
    ['Ctrl+R is the browser\'s', press('r', { ctrlKey: true }), null],
    ['⌘+S is the browser\'s', press('s', { metaKey: true }), null],
    ['Alt+j is not the queue\'s', press('j', { altKey: true }), null],
    ['Space is the player\'s', press(' '), null],
    ['← is the player\'s', press('ArrowLeft'), null],
    ['x does nothing', press('x'), null],
  ];
  it.each(rows)('%s', (_name, event, expected) => {
    expect(reviewKeyAction(event)).toBe(expected);
  });
});
