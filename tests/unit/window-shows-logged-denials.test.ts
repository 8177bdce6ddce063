import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = path.resolve(__dirname, '..', '..', 'renderer', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return sources(file);
    return /\.(ts|tsx)$/.test(e.name) ? [file] : [];
  });
}

/**
 * A denial the window shows must be a denied attempt in the log (issue 8 §2). The window gets its
 * decisions from `policy.decide`, which records a denial as it decides; `policy.check` is the CLI's
 * dry run and logs nothing, so the window must never show what it returns.
 */
describe('the window shows only decisions that the log has', () => {
  it('never calls the dry-run policy.check', () => {
    const callers = sources(RENDERER).filter((file) => fs.readFileSync(file, 'utf8').includes("'policy.check'"));
    expect(callers.map((f) => path.relative(RENDERER, f))).toEqual([]);
  });
});
