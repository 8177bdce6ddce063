// Bundles TypeScript modules of this checkout for a benchmark: esbuild's JS API into os.tmpdir(), npm
// packages left external (resolved to absolute paths here, so native addons load as they do in the app).
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const requireHere = createRequire(path.join(ROOT, 'package.json'));

/** Bundles one TypeScript entry file as `outName` in outDir (e.g. a worker the bundled code looks for beside itself). */
export async function bundleEntry(outDir, entry, outName) {
  const esbuild = requireHere('esbuild');
  await esbuild.build({
    entryPoints: [path.join(ROOT, entry)], bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    outfile: path.join(outDir, outName), logLevel: 'warning', plugins: [absoluteExternals()],
  });
}

/** `exports` are lines like "export { X } from './main/core/x';" relative to the checkout. */
export async function bundleModules(outDir, name, exports) {
  const esbuild = requireHere('esbuild');
  const outfile = path.join(outDir, `${name}.bundle.cjs`);
  await esbuild.build({
    stdin: { contents: exports.join('\n'), resolveDir: ROOT, loader: 'ts', sourcefile: `${name}-entry.ts` },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning',
    plugins: [absoluteExternals()],
  });
  return requireHere(outfile);
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Packages stay out of the bundle; the bundle lives outside the checkout, so point them at absolute paths. */
function absoluteExternals() {
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  return {
    name: 'absolute-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (builtins.has(args.path)) return { path: args.path, external: true };
        return { path: requireHere.resolve(args.path, { paths: [args.resolveDir || ROOT] }), external: true };
      });
    },
  };
}
