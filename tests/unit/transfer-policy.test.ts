import { describe, expect, it } from 'vitest';
import { checkTransferFolder, fileTransferSetting, normaliseRemotePath } from '../../contract/domain/file-transfer';
import { decideTransfer, escapeName, type SiteFileRules, type TransferRequest } from '../../main/core/files/transfer-policy';

/** The site's setting decides every transfer (issue 12 §2); each row: a setting, a request, the outcome. */
const OFF: SiteFileRules = { site: 'Acme/Pune', transfer: 'off', folders: [] };
const DOWNLOAD: SiteFileRules = { site: 'Acme/Pune', transfer: 'download', folders: [] };
const BOTH: SiteFileRules = { site: 'Acme/Pune', transfer: 'both', folders: [] };
const LIMITED: SiteFileRules = { site: 'Acme/Pune', transfer: 'both', folders: ['/var/log/ameyo', '/tmp/support'] };
const ROOT: SiteFileRules = { site: 'Acme/Pune', transfer: 'download', folders: ['/'] };

const get = (remotePath: string, resolvedPath?: string): TransferRequest => ({ direction: 'download', remotePath, ...(resolvedPath === undefined ? {} : { resolvedPath }) });
const put = (remotePath: string, resolvedPath?: string): TransferRequest => ({ direction: 'upload', remotePath, ...(resolvedPath === undefined ? {} : { resolvedPath }) });

const ALLOWED = { allowed: true } as const;
const refused = (reason: string | RegExp) => ({ allowed: false, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });
const OUTSIDE = 'is outside the folders allowed for Acme/Pune: /var/log/ameyo, /tmp/support.';

describe('decideTransfer', () => {
  it.each<[string, SiteFileRules, TransferRequest, unknown]>([
    // Direction rules.
    ['off refuses a download', OFF, get('/var/log/ameyo/acd.log'), refused('File transfer is off for Acme/Pune: the customer has not approved it.')],
    ['off refuses an upload', OFF, put('/tmp/patch.tgz'), refused('File transfer is off for Acme/Pune: the customer has not approved it.')],
    ['off without a site name', { transfer: 'off', folders: [] }, get('/x'), refused('File transfer is off for this site: the customer has not approved it.')],
    ['download only allows a download', DOWNLOAD, get('/var/log/ameyo/acd.log'), ALLOWED],
    ['download only refuses an upload', DOWNLOAD, put('/tmp/patch.tgz'), refused('File transfer for Acme/Pune is download-only: uploads to the server are not approved.')],
    ['both allows a download', BOTH, get('/etc/hosts'), ALLOWED],
    ['both allows an upload', BOTH, put('/tmp/patch.tgz'), ALLOWED],
    ['no folders: anywhere absolute', BOTH, get('/'), ALLOWED],
    // Folder boundaries.
    ['a file inside a folder', LIMITED, get('/var/log/ameyo/acd.log'), ALLOWED],
    ['deep inside a folder', LIMITED, put('/tmp/support/a/b/c.txt'), ALLOWED],
    ['the folder itself', LIMITED, get('/var/log/ameyo'), ALLOWED],
    ['the folder with a trailing slash', LIMITED, get('/var/log/ameyo/'), ALLOWED],
    ['a sibling that shares the prefix', LIMITED, get('/var/log/ameyo2/x.log'), refused(`/var/log/ameyo2/x.log ${OUTSIDE}`)],
    ['the parent of a folder', LIMITED, get('/var/log'), refused(`/var/log ${OUTSIDE}`)],
    ['.. out of a folder', LIMITED, get('/var/log/ameyo/../../etc/passwd'), refused(`/var/etc/passwd (asked as /var/log/ameyo/../../etc/passwd) ${OUTSIDE}`)],
    ['.. out to /etc/passwd', LIMITED, get('/var/log/ameyo/../../../etc/passwd'), refused(`/etc/passwd (asked as /var/log/ameyo/../../../etc/passwd) ${OUTSIDE}`)],
    ['.. that stays inside', LIMITED, get('/var/log/ameyo/x/../acd.log'), ALLOWED],
    ['.. above the root stays at the root', LIMITED, get('/../../var/log/ameyo/acd.log'), ALLOWED],
    ['a doubled slash at the start', LIMITED, get('//var/log/ameyo/x'), ALLOWED],
    ['doubled slashes inside', LIMITED, get('/var//log///ameyo/x'), ALLOWED],
    ['. parts', LIMITED, get('/var/./log/ameyo/./x'), ALLOWED],
    ['/etc/passwd', LIMITED, get('/etc/passwd'), refused(`/etc/passwd ${OUTSIDE}`)],
    ['root as the folder allows everything', ROOT, get('/etc/passwd'), ALLOWED],
    // Paths that are not absolute POSIX paths.
    ['a relative path', LIMITED, get('var/log/ameyo/x'), refused('Refused var/log/ameyo/x: "var/log/ameyo/x" is not an absolute path (it must start with "/").')],
    ['a relative path with no folders set', BOTH, get('acd.log'), refused(/is not an absolute path/)],
    ['an empty path', BOTH, get(''), refused(/is not an absolute path/)],
    ['a NUL cuts the name short on the server', LIMITED, get('/var/log/ameyo/x\u0000/../../../../etc/passwd'), refused(/^Refused \/var\/log\/ameyo\/x\\x00\/.*a path may not contain a NUL character\.$/)],
    ['a NUL with no folders set', BOTH, put('/tmp/a\u0000b'), refused(/NUL/)],
    // Symlinks: the server's realpath must be inside too.
    ['a symlink that stays inside', LIMITED, get('/var/log/ameyo/current', '/var/log/ameyo/2026/acd.log'), ALLOWED],
    ['a symlink out of the folder', LIMITED, get('/var/log/ameyo/shadow', '/etc/shadow'), refused('/var/log/ameyo/shadow leads to /etc/shadow (a symbolic link), which is outside the folders allowed for Acme/Pune: /var/log/ameyo, /tmp/support.')],
    ['a symlink into another allowed folder', LIMITED, get('/var/log/ameyo/x', '/tmp/support/x'), ALLOWED],
    ['a symlink to the prefix sibling', LIMITED, put('/tmp/support/x', '/tmp/support-old/x'), refused(/leads to \/tmp\/support-old\/x \(a symbolic link\)/)],
    ['a resolved path that is not absolute', LIMITED, get('/var/log/ameyo/x', 'x'), refused(/the server resolved it to x, which is not an absolute path/)],
    ['a resolved path with NUL', LIMITED, get('/var/log/ameyo/x', '/var/log/ameyo/x\u0000'), refused(/not an absolute path/)],
    ['no folders: a symlink anywhere', BOTH, get('/home/u/link', '/etc/shadow'), ALLOWED],
  ])('%s', (_name, setting, request, expected) => {
    expect(decideTransfer(setting, request)).toEqual(expected);
  });

  it('a control character in a refused path is shown escaped, never raw', () => {
    const decision = decideTransfer(LIMITED, get('/etc/\u001b[31mred\u001b[0m\n'));
    expect(decision).toEqual(refused(`/etc/\\e[31mred\\e[0m\\n ${OUTSIDE}`));
    expect(JSON.stringify(decision)).not.toMatch(/\\u001b/);
  });
});

describe('escapeName', () => {
  it.each([
    ['acd.log', 'acd.log'],
    ['naïve résumé.txt', 'naïve résumé.txt'],
    ['\u001b[31mred', '\\e[31mred'],
    ['a\nb\tc\rd', 'a\\nb\\tc\\rd'],
    ['bell\u0007', 'bell\\x07'],
    ['nul\u0000', 'nul\\x00'],
    ['del\u007f', 'del\\x7f'],
    ['c1\u009b31m', 'c1\\x9b31m'],
    ['report\u202etxt.exe', 'report\\u{202e}txt.exe'],
    ['zero\u200bwidth', 'zero\\u{200b}width'],
    ['isolate\u2066x\u2069', 'isolate\\u{2066}x\\u{2069}'],
    ['back\\slash', 'back\\\\slash'],
    ['literal \\e is not an escape', 'literal \\\\e is not an escape'],
  ])('%j → %j', (name, shown) => {
    expect(escapeName(name)).toBe(shown);
  });
});

describe('a folder of the setting', () => {
  it.each([
    ['/var/log/ameyo', '/var/log/ameyo'],
    ['/var/log/ameyo/', '/var/log/ameyo'],
    ['//var//log/ameyo', '/var/log/ameyo'],
    ['/', '/'],
    ['/tmp/with space', '/tmp/with space'],
  ])('%j is stored as %j', (text, stored) => {
    expect(checkTransferFolder(text)).toEqual({ ok: true, path: stored });
  });

  it.each([
    ['', /absolute path, e\.g\. \/var\/log\/ameyo/],
    ['   ', /absolute path/],
    ['var/log', /"var\/log" is not an absolute path; a folder starts with "\/"/],
    ['~/logs', /not an absolute path/],
    ['/var/log/../etc', /has a "\." or "\.\." part/],
    ['/var/./log', /has a "\." or "\.\." part/],
    ['/var/log\u0000', /control characters/],
    ['/var/log\n/etc', /control characters/],
    ['/var/\u001b[31m', /control characters/],
    [`/${'a'.repeat(4096)}`, /at most 4096 characters/],
  ])('%#: refused (%s)', (text, reason) => {
    const result = checkTransferFolder(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('the list: each bad entry named by its position, duplicates after tidying, at most 32', () => {
    const result = fileTransferSetting.safeParse({ transfer: 'download', folders: ['/var/log/ameyo', 'tmp', '/var/log/ameyo/', '/x/../y'] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['folders.1', expect.stringMatching(/"tmp" is not an absolute path/)],
      ['folders.3', expect.stringMatching(/"\/x\/\.\.\/y" has a "\." or "\.\." part/)],
    ]);
    const duplicate = fileTransferSetting.safeParse({ transfer: 'download', folders: ['/var/log/ameyo', '/var/log/ameyo/'] });
    expect(duplicate.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['folders.1', 'folder "/var/log/ameyo" is listed twice']]);
    const many = fileTransferSetting.safeParse({ transfer: 'both', folders: Array.from({ length: 33 }, (_, i) => `/f${i}`) });
    expect(many.error!.issues[0]!.message).toBe('at most 32 folders');
    expect(fileTransferSetting.parse({ transfer: 'both' })).toEqual({ transfer: 'both', folders: [] });
    expect(fileTransferSetting.safeParse({ transfer: 'upload', folders: [] }).error!.issues[0]!.message).toBe('not a file-transfer setting; use one of off, download, both');
  });

  it('normaliseRemotePath keeps a path inside its folder lexically', () => {
    expect(normaliseRemotePath('/a/b/../../../c')).toEqual({ ok: true, path: '/c' });
    expect(normaliseRemotePath('/a/b/')).toEqual({ ok: true, path: '/a/b' });
  });
});
