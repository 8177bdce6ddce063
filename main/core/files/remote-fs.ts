import type { Attributes, OpenMode, SFTPWrapper, Stats } from 'ssh2';
import { ApiError } from '../../../contract/errors';
import type { RemoteEntryView } from '../../../contract/files';
import { escapeName } from './transfer-policy';

/** SFTP status codes (draft-ietf-secsh-filexfer-02) that say something a person can act on. */
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

export type RemoteKind = RemoteEntryView['type'];

export function kindOf(mode: number): RemoteKind {
  switch (mode & S_IFMT) {
    case S_IFDIR: return 'dir';
    case S_IFREG: return 'file';
    case S_IFLNK: return 'symlink';
    default: return 'other';
  }
}

/** An SFTP failure as a sentence about `path` (names escaped: a server may send any bytes). */
export function remoteError(error: unknown, doing: string, path: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as { code?: unknown }).code;
  const where = escapeName(path);
  if (code === SFTP_NO_SUCH_FILE) return new ApiError('NOT_FOUND', `${where} does not exist on the server (${doing}).`);
  if (code === SFTP_PERMISSION_DENIED) return new ApiError('INVALID_INPUT', `The server does not let this login ${doing} ${where} (permission denied).`);
  return new ApiError('INTERNAL', `Could not ${doing} ${where}: ${(error as Error).message}`);
}

const promised = <T>(run: (cb: (error: Error | null | undefined, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

export const realpath = (sftp: SFTPWrapper, path: string): Promise<string> => promised<string>((cb) => sftp.realpath(path, cb));
export const stat = (sftp: SFTPWrapper, path: string): Promise<Stats> => promised<Stats>((cb) => sftp.stat(path, cb));
export const lstat = (sftp: SFTPWrapper, path: string): Promise<Stats> => promised<Stats>((cb) => sftp.lstat(path, cb));
export const readlink = (sftp: SFTPWrapper, path: string): Promise<string> => promised<string>((cb) => sftp.readlink(path, cb));
export const openRemote = (sftp: SFTPWrapper, path: string, flags: OpenMode, mode?: number): Promise<Buffer> =>
  promised<Buffer>((cb) => (mode === undefined ? sftp.open(path, flags, cb) : sftp.open(path, flags, { mode }, cb)));
/** Best effort, and bounded: on a connection that just dropped the answer never comes (or the call throws). */
function bestEffort(run: (done: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 2000);
    timer.unref();
    const done = (): void => { clearTimeout(timer); resolve(); };
    try {
      run(done);
    } catch {
      done();
    }
  });
}
export const closeRemote = (sftp: SFTPWrapper, handle: Buffer): Promise<void> => bestEffort((done) => sftp.close(handle, done));
export const unlinkRemote = (sftp: SFTPWrapper, path: string): Promise<void> => bestEffort((done) => sftp.unlink(path, done));
export const mkdirRemote = (sftp: SFTPWrapper, path: string): Promise<void> => promised<undefined>((cb) => sftp.mkdir(path, { mode: 0o755 }, (error) => cb(error, undefined))).then(() => undefined);
export const fstat = (sftp: SFTPWrapper, handle: Buffer): Promise<Stats> => promised<Stats>((cb) => sftp.fstat(handle, cb));

/** Does anything (a file, a folder, a dangling symlink) exist at `path`? */
export async function remoteExists(sftp: SFTPWrapper, path: string): Promise<boolean> {
  try {
    await lstat(sftp, path);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === SFTP_NO_SUCH_FILE) return false;
    throw error;
  }
}

const isoTime = (attrs: Attributes): string => new Date(attrs.mtime * 1000).toISOString();

/**
 * One folder's entries, folders first then by name, each with its type, size, time and — for a
 * symlink — where it points (read, never followed here). `name` is the server's bytes as UTF-8;
 * `display` is the same with control characters escaped, for every place a person reads it.
 */
export async function listDirectory(sftp: SFTPWrapper, path: string): Promise<{ path: string; entries: RemoteEntryView[] }> {
  let resolved: string;
  try {
    resolved = await realpath(sftp, path);
  } catch (error) {
    throw remoteError(error, 'list', path);
  }
  const raw = await promised<{ filename: string; attrs: Attributes }[]>((cb) => sftp.readdir(resolved, cb)).catch((error: unknown) => { throw remoteError(error, 'list', resolved); });
  const entries = await Promise.all(raw.filter((e) => e.filename !== '.' && e.filename !== '..').map(async ({ filename, attrs }): Promise<RemoteEntryView> => {
    const type = kindOf(attrs.mode);
    const full = resolved === '/' ? `/${filename}` : `${resolved}/${filename}`;
    const linkTarget = type === 'symlink' ? await readlink(sftp, full).catch(() => null) : null;
    return {
      name: filename, display: escapeName(filename), path: full, type, size: attrs.size, mtime: isoTime(attrs), mode: attrs.mode & 0o7777,
      ...(type === 'symlink' ? { linkTarget: linkTarget === null ? null : escapeName(linkTarget) } : {}),
    };
  }));
  entries.sort((a, b) => (a.type === 'dir') === (b.type === 'dir') ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.type === 'dir' ? -1 : 1);
  return { path: resolved, entries };
}
