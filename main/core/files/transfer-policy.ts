/**
 * Whether one file may move between the engineer and a customer's server, decided from the site's
 * file-transfer setting alone — before a byte moves, and again for the path the server resolved, so
 * a symlink cannot lead out of an allowed folder. Pure: the caller asks the server for the realpath.
 */
import { escapeName } from '../../../contract/domain/escape-name';
import { isInsideFolder, normaliseRemotePath, type FileTransferSetting } from '../../../contract/domain/file-transfer';

/** The rule for showing a remote name lives with the contract: the window shows names from the session log by it too. */
export { escapeName };

export type TransferDirection = 'download' | 'upload';

/** The site's setting, with the site's name ("Acme/Pune") for the reasons a person reads. */
export type SiteFileRules = FileTransferSetting & { site?: string };

export interface TransferRequest {
  direction: TransferDirection;
  /** The path asked for (an upload: the remote file it would write). */
  remotePath: string;
  /** What the server says the path really is (SFTP realpath, symlinks followed), when it exists there. */
  resolvedPath?: string;
}

export type TransferDecision = { allowed: true } | { allowed: false; reason: string };

const refuse = (reason: string): TransferDecision => ({ allowed: false, reason });

export function decideTransfer(setting: SiteFileRules, request: TransferRequest): TransferDecision {
  const site = setting.site ?? 'this site';
  if (setting.transfer === 'off') return refuse(`File transfer is off for ${site}: the customer has not approved it.`);
  if (request.direction === 'upload' && setting.transfer !== 'both') {
    return refuse(`File transfer for ${site} is download-only: uploads to the server are not approved.`);
  }
  const asked = normaliseRemotePath(request.remotePath);
  if (!asked.ok) return refuse(`Refused ${escapeName(request.remotePath)}: ${escapeName(asked.reason)}.`);
  const where = asked.path === request.remotePath ? escapeName(asked.path) : `${escapeName(asked.path)} (asked as ${escapeName(request.remotePath)})`;
  if (!insideAny(asked.path, setting.folders)) return refuse(`${where} is outside the folders allowed for ${site}: ${setting.folders.join(', ')}.`);
  if (request.resolvedPath === undefined) return { allowed: true };
  const resolved = normaliseRemotePath(request.resolvedPath);
  if (!resolved.ok) return refuse(`Refused ${where}: the server resolved it to ${escapeName(request.resolvedPath)}, which is not an absolute path.`);
  if (!insideAny(resolved.path, setting.folders)) {
    return refuse(`${where} leads to ${escapeName(resolved.path)} (a symbolic link), which is outside the folders allowed for ${site}: ${setting.folders.join(', ')}.`);
  }
  return { allowed: true };
}

/** No folders = wherever the server lets the login go. */
function insideAny(path: string, folders: readonly string[]): boolean {
  return folders.length === 0 || folders.some((folder) => isInsideFolder(path, folder));
}
