import { describe, expect, it } from 'vitest';
import type { FileTransferSetting } from '../../contract/domain/file-transfer';
import type { RemoteEntryView } from '../../contract/files';
import {
  breadcrumb, downloadRefusal, filterEntries, folderNameProblem, selectionWords, humanBytes, humanEta, modeText, NO_SELECTION, parentPath, ruleRefusal, ruleText, selectRow, sortEntries, startPath,
} from '../../renderer/src/features/files/file-format';

const entry = (name: string, type: RemoteEntryView['type'], size: number, mtime: string): RemoteEntryView =>
  ({ name, display: name.replace('\u001b', '\\e'), path: `/d/${name}`, type, size, mtime, mode: 0o644 });

describe('the Files panel in words', () => {
  it.each([
    [0, '0 B'], [1023, '1023 B'], [1024, '1.00 KiB'], [1536, '1.50 KiB'], [10 * 1024 + 512, '10.5 KiB'],
    [2 * 1024 * 1024 + 123, '2.00 MiB'], [150 * 1024 ** 3, '150 GiB'], [-1, '—'], [Number.NaN, '—'],
  ])('%d bytes read as %s', (bytes, words) => expect(humanBytes(bytes)).toBe(words));

  it.each([
    [null, '—'], [0.2, '1 s'], [59, '59 s'], [61, '1 min 1 s'], [3600 + 20 * 60 + 5, '1 h 20 min'], [-3, '—'],
  ])('%s seconds left read as %s', (seconds, words) => expect(humanEta(seconds)).toBe(words));

  it.each([
    ['/', '/'], ['/var', '/'], ['/var/log/ameyo', '/var/log'], ['/var/log/', '/var'],
  ])('the parent of %s is %s', (path, parent) => expect(parentPath(path)).toBe(parent));

  it('breadcrumb: the root, then each folder with its path', () => {
    expect(breadcrumb('/')).toEqual([{ label: '/', path: '/' }]);
    expect(breadcrumb('/var/log')).toEqual([{ label: '/', path: '/' }, { label: 'var', path: '/var' }, { label: 'log', path: '/var/log' }]);
  });

  it.each([
    ['rwxr-xr-x folder', 'dir' as const, 0o755, 'drwxr-xr-x'],
    ['rw-r----- file', 'file' as const, 0o640, '-rw-r-----'],
    ['link', 'symlink' as const, 0o777, 'lrwxrwxrwx'],
  ])('mode of a %s', (_what, type, mode, text) => expect(modeText(type, mode)).toBe(text));
});

describe('sorting and filtering a listing', () => {
  const list = [
    entry('b.log', 'file', 300, '2026-01-02T00:00:00.000Z'),
    entry('logs', 'dir', 4096, '2026-01-01T00:00:00.000Z'),
    entry('a10.log', 'file', 10, '2026-01-03T00:00:00.000Z'),
    entry('a9.log', 'file', 10, '2026-01-01T00:00:00.000Z'),
    entry('core', 'symlink', 4, '2026-01-04T00:00:00.000Z'),
    entry('evil\u001bx', 'file', 1, '2026-01-05T00:00:00.000Z'),
  ];
  const names = (l: RemoteEntryView[]) => l.map((e) => e.name);
  it.each([
    ['name ascending: folders first, numbers in order', { key: 'name' as const, descending: false }, ['logs', 'a9.log', 'a10.log', 'b.log', 'core', 'evil\u001bx']],
    ['name descending: folders still first', { key: 'name' as const, descending: true }, ['logs', 'evil\u001bx', 'core', 'b.log', 'a10.log', 'a9.log']],
    ['size descending, ties by name', { key: 'size' as const, descending: true }, ['logs', 'b.log', 'a10.log', 'a9.log', 'core', 'evil\u001bx']],
    ['time ascending', { key: 'mtime' as const, descending: false }, ['logs', 'a9.log', 'b.log', 'a10.log', 'core', 'evil\u001bx']],
  ])('%s', (_what, order, expected) => expect(names(sortEntries(list, order))).toEqual(expected));

  it('filters on the shown (escaped) name, any case; blank keeps all', () => {
    expect(names(filterEntries(list, 'LOG'))).toEqual(['b.log', 'logs', 'a10.log', 'a9.log']);
    expect(names(filterEntries(list, '\\e'))).toEqual(['evil\u001bx']);
    expect(filterEntries(list, '  ')).toHaveLength(list.length);
  });
});

describe('the site\'s rule, previewed for the buttons (the core decides again)', () => {
  const off: FileTransferSetting = { transfer: 'off', folders: [] };
  const download: FileTransferSetting = { transfer: 'download', folders: ['/var/log/ameyo', '/tmp/support'] };
  const both: FileTransferSetting = { transfer: 'both', folders: [] };
  it.each([
    ['off refuses a download', off, 'download' as const, '/var/log/ameyo/x', 'File transfer is off for this site.'],
    ['download only refuses an upload', download, 'upload' as const, '/tmp/support', 'This site allows downloads only; uploads are refused.'],
    ['inside a folder is allowed', download, 'download' as const, '/var/log/ameyo/acd.log', null],
    ['the folder itself is allowed', download, 'download' as const, '/tmp/support', null],
    ['a sibling with the same prefix is outside', download, 'download' as const, '/var/log/ameyo2/x', '/var/log/ameyo2/x is outside the folders this site allows (/var/log/ameyo, /tmp/support).'],
    ['.. cannot climb out', download, 'download' as const, '/var/log/ameyo/../secure', '/var/log/secure is outside the folders this site allows (/var/log/ameyo, /tmp/support).'],
    ['no folders: anywhere, both ways', both, 'upload' as const, '/etc', null],
    ['a relative path is refused', both, 'download' as const, 'etc/passwd', '"etc/passwd" is not an absolute path (it must start with "/").'],
  ])('%s', (_what, setting, direction, path, reason) => expect(ruleRefusal(setting, direction, path)).toBe(reason));

  it.each([
    [off, 'off — the customer has not approved file transfer for this site', '/'],
    [download, 'download only — /var/log/ameyo, /tmp/support', '/var/log/ameyo'],
    [both, 'both ways — any folder the login may use', '/'],
  ])('reads %j as "%s" and opens at %s', (setting, words, start) => {
    expect(ruleText(setting)).toBe(words);
    expect(startPath(setting)).toBe(start);
  });
});

describe('selecting rows as in a file manager', () => {
  const order = ['/d/logs', '/d/a', '/d/b', '/d/c'];
  it.each([
    ['a click selects one row', NO_SELECTION, '/d/b', {}, { paths: ['/d/b'], cursor: '/d/b' }],
    ['a click replaces the selection', { paths: ['/d/a', '/d/c'], cursor: '/d/c' }, '/d/b', {}, { paths: ['/d/b'], cursor: '/d/b' }],
    ['Ctrl+click adds', { paths: ['/d/a'], cursor: '/d/a' }, '/d/c', { toggle: true }, { paths: ['/d/a', '/d/c'], cursor: '/d/c' }],
    ['Ctrl+click removes', { paths: ['/d/a', '/d/c'], cursor: '/d/c' }, '/d/a', { toggle: true }, { paths: ['/d/c'], cursor: '/d/a' }],
    ['Shift+click selects the range down', { paths: ['/d/a'], cursor: '/d/a' }, '/d/c', { range: true }, { paths: ['/d/a', '/d/b', '/d/c'], cursor: '/d/a' }],
    ['Shift+click selects the range up', { paths: ['/d/c'], cursor: '/d/c' }, '/d/logs', { range: true }, { paths: ['/d/logs', '/d/a', '/d/b', '/d/c'], cursor: '/d/c' }],
    ['Shift+click with no cursor selects one', NO_SELECTION, '/d/b', { range: true }, { paths: ['/d/b'], cursor: '/d/b' }],
  ])('%s', (_what, before, path, modifiers, after) => expect(selectRow(order, before, path, modifiers)).toEqual(after));

  const allowed: FileTransferSetting = { transfer: 'download', folders: ['/d'] };
  const file = (path: string, type: RemoteEntryView['type'] = 'file') => ({ ...entry(path.split('/').pop()!, type, 1, ''), path });
  it.each([
    ['nothing selected', [], false, /^Select a file or folder first/],
    ['a folder, to this computer (whole)', [file('/d/logs', 'dir')], false, null],
    ['only folders, to evidence', [file('/d/logs', 'dir')], true, /^Evidence is kept file by file/],
    ['a folder and a file, to evidence (the folder left out)', [file('/d/logs', 'dir'), file('/d/a')], true, null],
    ['one file outside', [file('/d/a'), file('/e/b')], false, /^\/e\/b is outside/],
    ['a folder outside', [file('/d/a'), file('/e', 'dir')], false, /^\/e is outside/],
  ])('download of %s', (_what, selected, toEvidence, reason) => {
    const result = downloadRefusal(allowed, selected, toEvidence);
    if (reason === null) expect(result).toBeNull();
    else expect(result).toMatch(reason);
  });

  it.each([
    ['2 files and 1 folder', ['file', 'dir', 'file'] as const],
    ['1 folder', ['dir'] as const],
    ['1 file', ['file'] as const],
    ['3 files and 2 folders', ['file', 'symlink', 'dir', 'file', 'dir'] as const],
  ])('a selection reads as %s', (words, types) => expect(selectionWords(types.map((t, i) => file(`/d/${i}`, t)))).toBe(words));

  it.each([
    ['reports', [], null],
    ['', [], /^Type a name/],
    [' reports', [], /space/],
    ['a/b', [], /no "\/"/],
    ['..', [], /not folder names/],
    ['bad\u001bname', [], /control characters/],
    ['x'.repeat(256), [], /255 bytes/],
    ['logs', ['logs'], /^logs already exists here/],
  ])('a new folder named %j', (name, existing, problem) => {
    const result = folderNameProblem(name, existing);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toMatch(problem);
  });
});
