#!/usr/bin/env node
// One build for every bundle: esbuild for the Node side (Electron main, preload, CLI, browser-mode
// host), Vite for the renderer. `--node-only` skips the renderer (used by `npm install`'s prepare).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nodeOnly = process.argv.includes('--node-only');

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'linked', logLevel: 'warning', absWorkingDir: root };

rmSync(path.join(root, 'out', 'main'), { recursive: true, force: true });
rmSync(path.join(root, 'out', 'preload'), { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    packages: 'external',
    // verify-worker: the log's verification on worker threads (main/core/accountability/parallel-audit.ts).
    entryPoints: { electron: 'main/electron/main.ts', web: 'main/web/main.ts', cli: 'main/cli/main.ts', 'verify-worker': 'main/core/session-log/verify-worker.ts' },
    outdir: 'out/main',
    outExtension: { '.js': '.cjs' },
  }),
  // A sandboxed preload cannot require packages, so everything but electron is bundled in.
  build({ ...common, external: ['electron'], entryPoints: { index: 'preload/index.ts' }, outdir: 'out/preload', outExtension: { '.js': '.cjs' } }),
]);

if (!nodeOnly) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'error' });
}
