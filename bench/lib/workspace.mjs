import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A benchmark's temp folder and its clean-ups (run newest first, once, also on Ctrl-C / SIGTERM / SIGHUP):
 * push a function onto `cleanups` for everything started.
 */
export function benchWorkspace(name) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `switchboard-bench-${name}-`));
  const cleanups = [() => fs.rmSync(work, { recursive: true, force: true })];
  let cleaning = null;
  const cleanup = () => (cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try { await fn(); } catch (error) { console.error(`cleanup: ${error.message}`); }
    }
  })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => { console.error(`\n${signal}: cleaning up`); void cleanup().finally(() => process.exit(130)); });
  }
  return { work, cleanups, cleanup };
}
