/**
 * A site's file-transfer setting (issue 12): off, download only, or both ways, optionally limited to
 * some remote folders. Shared by the API contract, the profile file, the window's form and the core's
 * transfer policy, so a folder is judged and normalised the same way wherever it enters.
 */
import { z } from 'zod';

export const FILE_TRANSFER = ['off', 'download', 'both'] as const;
export type FileTransfer = (typeof FILE_TRANSFER)[number];

/** `folders: []` = wherever the server lets the login read (and write). */
export interface FileTransferSetting { transfer: FileTransfer; folders: string[] }

/** What a site without the setting gets: the customer approves file transfer like a method. */
export const FILE_TRANSFER_OFF: FileTransferSetting = { transfer: 'off', folders: [] };

/** How a setting reads for a person (window, CLI, the policy-change record). */
export const FILE_TRANSFER_WORDS: Record<FileTransfer, string> = { off: 'off', download: 'download only', both: 'both ways' };

export const MAX_TRANSFER_FOLDERS = 32;
const MAX_PATH_CHARS = 4096;
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

/**
 * A remote path as the server will read it, worked out without asking the server: absolute only,
 * `.` and `..` resolved lexically (`..` at the root stays there, as POSIX does), `//` collapsed and a
 * trailing `/` dropped. NUL is refused: the server would cut the name there.
 */
export function normaliseRemotePath(text: string): PathCheck {
  if (text.includes('\u0000')) return { ok: false, reason: 'a path may not contain a NUL character' };
  if (!text.startsWith('/')) return { ok: false, reason: `"${text}" is not an absolute path (it must start with "/")` };
  const parts: string[] = [];
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return { ok: true, path: `/${parts.join('/')}` };
}

/** True when `path` is `folder` or inside it (both normalised): `/var/log/ameyo2` is not inside `/var/log/ameyo`. */
export function isInsideFolder(path: string, folder: string): boolean {
  return folder === '/' || path === folder || path.startsWith(`${folder}/`);
}

/**
 * A folder of the setting: stricter than a path asked for, because a person writes it once and the
 * policy trusts it — no `.` or `..` (write the folder meant), no control characters. `//` and a
 * trailing `/` are tidied, so `/var/log/ameyo/` is stored as `/var/log/ameyo`.
 */
export function checkTransferFolder(text: string): PathCheck {
  if (text.trim() === '') return { ok: false, reason: 'a folder is an absolute path, e.g. /var/log/ameyo' };
  if (text.length > MAX_PATH_CHARS) return { ok: false, reason: `a folder is at most ${MAX_PATH_CHARS} characters` };
  if (CONTROL_CHARS.test(text)) return { ok: false, reason: 'a folder may not contain control characters (NUL, newline, escape …)' };
  if (!text.startsWith('/')) return { ok: false, reason: `"${text}" is not an absolute path; a folder starts with "/", e.g. /var/log/ameyo` };
  if (text.split('/').some((part) => part === '.' || part === '..')) {
    return { ok: false, reason: `"${text}" has a "." or ".." part; write the folder it means, e.g. /var/log/ameyo` };
  }
  return normaliseRemotePath(text);
}

export const fileTransfer = z.enum(FILE_TRANSFER, { error: `not a file-transfer setting; use one of ${FILE_TRANSFER.join(', ')}` });

export const transferFolder = z.string({ error: 'a folder is an absolute path, e.g. /var/log/ameyo' }).transform((text, ctx) => {
  const result = checkTransferFolder(text);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  }
  return result.path;
});

export const transferFolderList = z
  .array(transferFolder, { error: 'folders are a list of absolute paths, e.g. [/var/log/ameyo, /tmp/support]' })
  .max(MAX_TRANSFER_FOLDERS, `at most ${MAX_TRANSFER_FOLDERS} folders`)
  .superRefine((folders, ctx) => {
    const seen = new Set<string>();
    folders.forEach((folder, index) => {
      if (seen.has(folder)) ctx.addIssue({ code: 'custom', path: [index], message: `folder "${folder}" is listed twice` });
      seen.add(folder);
    });
  });

/** `transfer` goes through a string first, so a missing one reads "is missing" in a profile file rather than "not a setting". */
export const fileTransferSetting = z.strictObject({
  transfer: z.string({ error: 'a file-transfer setting is required: off, download or both' }).pipe(fileTransfer),
  folders: transferFolderList.default([]),
});
