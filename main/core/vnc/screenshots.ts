import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../contract/errors';
import type { VncScreenshotView } from '../../../contract/models';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A 4K screen compresses far below this; more is not a screenshot (and must fit one WebSocket message as base64). */
export const MAX_SCREENSHOT_BYTES = 20 * 1024 * 1024;

/** Screenshots saved to tickets, by their SHA-256, in the data dir (owner-only). */
export function screenshotsDir(dataDir: string): string {
  return path.join(dataDir, 'screenshots');
}

/**
 * Keeps a PNG by its content hash (a second save of the same picture is the same file) and says what
 * was kept. Only a real PNG is accepted: the bytes come from the window.
 */
export function saveScreenshot(dataDir: string, png: Buffer, now: () => Date = () => new Date()): VncScreenshotView {
  if (png.length > MAX_SCREENSHOT_BYTES) throw new ApiError('INVALID_INPUT', `That screenshot is ${png.length} bytes; at most ${MAX_SCREENSHOT_BYTES} are kept.`);
  if (png.length < 64 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new ApiError('INVALID_INPUT', 'That is not a PNG image; nothing was saved.');
  }
  const sha256 = createHash('sha256').update(png).digest('hex');
  const folder = screenshotsDir(dataDir);
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, `${sha256}.png`);
  try {
    fs.writeFileSync(file, png, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new ApiError('INTERNAL', `Could not save the screenshot to ${file}: ${(error as Error).message}.`);
  }
  return { file, sha256, bytes: png.length, savedAt: now().toISOString() };
}
