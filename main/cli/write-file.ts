import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors';

/** Writes through a temporary file and a rename, so a failed export never leaves half a file behind. */
export function writeFileAtomic(file: string, text: string | Buffer): void {
  const target = path.resolve(file);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text, { mode: 0o600 });
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new UsageError(`cannot write ${file}: ${(error as Error).message}`);
  }
}
