import { describe, expect, it } from 'vitest';
import { escapeControls, escapeName } from '../../contract/domain/escape-name';
import { shortHash, transferFacts } from '../../renderer/src/features/log/transfer-facts';

/**
 * A transfer in the log drawer: the session log keeps the server's names as they were (the chain
 * hashes them so), and the window shows them by the same escaping rule as the core and the CLI.
 */
describe('a transfer as the log drawer reads it', () => {
  const hash = 'a'.repeat(56) + '0123abcd';
  it.each([
    ['an escape in the remote name', { direction: 'download', remotePath: '/var/log/bad\u001b[31mname.log', localName: 'bad_[31mname.log', result: 'complete' },
      { remotePath: '/var/log/bad\\e[31mname.log', localName: 'bad_[31mname.log' }],
    ['a right-to-left override', { direction: 'upload', remotePath: '/tmp/report\u202etxt.exe', localName: 'report\u202etxt.exe' },
      { remotePath: '/tmp/report\\u{202e}txt.exe', localName: 'report\\u{202e}txt.exe' }],
    ['a newline and a backslash', { remotePath: '/tmp/a\nb\\c' }, { remotePath: '/tmp/a\\nb\\\\c', direction: null }],
    ['the real path only when it differs', { remotePath: '/a/link', resolvedPath: '/b/t\u0007' }, { resolvedPath: '/b/t\\x07' }],
    ['the same real path left out', { remotePath: '/a/f', resolvedPath: '/a/f' }, { resolvedPath: null }],
    ['a refusal: its reason, controls escaped but an escaped name not escaped twice', { result: 'refused', refused: '/x/bad\\ename is outside\u0007' },
      { why: '/x/bad\\ename is outside\\x07', result: 'refused' }],
    ['a failure prefers the reason', { result: 'failed', reason: 'lost', note: 'n' }, { why: 'lost' }],
    ['a note on a complete one', { result: 'complete', note: 'saved as acd (1).log' }, { why: 'saved as acd (1).log' }],
    ['numbers only as numbers', { size: '12', resumedFrom: 5, bytesMoved: Number.NaN }, { size: null, resumedFrom: 5, bytesMoved: null }],
    ['a hash kept whole', { sha256: hash }, { sha256: hash }],
    ['nothing at all', {}, { direction: null, remotePath: null, localName: null, size: null, sha256: null, result: null, why: null }],
  ])('%s', (_what, detail, expected) => expect(transferFacts(detail)).toMatchObject(expected));

  it.each([
    ['a'.repeat(64), `${'a'.repeat(10)}…${'a'.repeat(6)}`],
    ['abcdef', 'abcdef'],
  ])('a hash %s shortens to %s', (full, short) => expect(shortHash(full)).toBe(short));

  it.each([
    ['plain', 'plain', 'plain'],
    ['back\\slash', 'back\\\\slash', 'back\\slash'],
    ['esc\u001b', 'esc\\e', 'esc\\e'],
    ['zero\u200bwidth', 'zero\\u{200b}width', 'zero\\u{200b}width'],
    ['del\u007f', 'del\\x7f', 'del\\x7f'],
  ])('%j: as a name %j, in a sentence %j', (raw, asName, inText) => {
    expect(escapeName(raw)).toBe(asName);
    expect(escapeControls(raw)).toBe(inText);
  });
});
