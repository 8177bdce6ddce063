import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LogExportFile } from '../../../contract/log-jobs';
import { restrictFolder } from '../private-files';
import { nowIso, type Db } from '../store/database';
import { JobCancelled, type JobRun } from './background-jobs';
import { placeExport, writeExport, type ExportFormat } from './export-file';
import { runLogWorker } from './log-worker';

export interface ExportTarget {
  db: Db;
  /** The log's worker bundle, or null to write on this thread (tests run from source). */
  workerScript: string | null;
  /** Where the file goes (the data dir's exports folder). */
  dir: string;
  fileName: string;
}

/**
 * An export of the log written by the log's worker thread into a hidden part file beside its
 * destination, then put in place under a free name. Cancelled or failed, the part file is removed:
 * nothing half-written is ever left where a person would find it.
 */
export async function exportToFile(target: ExportTarget, format: ExportFormat, run: JobRun): Promise<LogExportFile> {
  fs.mkdirSync(target.dir, { recursive: true });
  return writeThenPlace(target, format, run, (part) => placeExport(part, target.dir, target.fileName));
}

/**
 * The same export written to exactly `file` (the CLI's `log export FILE`): through a part file beside it
 * and a rename, so a cancelled or failed export leaves the file as it was.
 */
export async function exportToPath(target: Omit<ExportTarget, 'dir' | 'fileName'>, format: ExportFormat, file: string, run: JobRun): Promise<LogExportFile> {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  return writeThenPlace({ ...target, dir, fileName: path.basename(resolved) }, format, run, (part) => {
    fs.renameSync(part, resolved);
    return { path: resolved, fileName: path.basename(resolved) };
  });
}

async function writeThenPlace(target: ExportTarget, format: ExportFormat, run: JobRun, place: (part: string) => { path: string; fileName: string }): Promise<LogExportFile> {
  const part = path.join(target.dir, `.${target.fileName}.${randomUUID().slice(0, 8)}.part`);
  const exportedAt = nowIso();
  try {
    let written: { bytes: number } | null = null;
    if (target.workerScript) {
      written = await runLogWorker<{ bytes: number }>(target.workerScript, target.db.name, { kind: 'export', format, part, exportedAt },
        (done, total) => run.progress(done, total ?? 0), run.signal, () => new JobCancelled());
      if (!written) throw new Error(`The export could not be written to ${target.dir}; check that the folder is writable and has room.`);
    } else {
      written = writeExport(target.db, format, part, exportedAt, run.progress);
    }
    if (run.signal.aborted) throw new JobCancelled();
    return { ...place(part), bytes: written.bytes };
  } finally {
    fs.rmSync(part, { force: true });
  }
}

/**
 * Where the window's exports are written before it downloads them: a folder of the data dir, owner-only
 * (an export holds the whole log). A file is removed once the window has taken it.
 */
export function exportsDir(dataDir: string): string {
  const dir = path.join(dataDir, 'exports');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  restrictFolder(dir);
  return dir;
}
