import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A fresh directory under the OS temp dir; the caller removes it (or use `useTempDirs`). */
export function makeTempDir(prefix = 'switchboard-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Call at the top of a file or describe block: returns a maker whose directories are all removed
 * after the block's tests, pass or fail.
 */
export function useTempDirs(prefix?: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) removeTempDir(dir);
  });
  return () => {
    const dir = makeTempDir(prefix);
    made.push(dir);
    return dir;
  };
}
