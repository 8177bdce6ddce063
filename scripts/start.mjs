// `npm start`: build, then run the desktop app. Where the Electron binary was never downloaded,
// say so plainly (and point at the browser mode) instead of letting `require('electron')` throw.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');

/** The binary's path, or a sentence saying what is missing. Mirrors node_modules/electron/index.js. */
function findElectron() {
  if (!existsSync(path.join(electronDir, 'package.json'))) {
    return { problem: 'the electron package is not installed (run `npm install`)' };
  }
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(electronDir, 'dist');
  const shownDist = path.relative(root, distDir) || distDir;
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const binary = relative && path.join(distDir, relative);
  if (!binary || !existsSync(binary)) {
    return {
      problem: `the Electron binary is not installed (${shownDist} is missing — its download from github.com was skipped or failed)`,
      fixable: true,
    };
  }
  return { binary };
}

const found = findElectron();
if (!found.binary) {
  const lines = [`Switchboard: ${found.problem}.`];
  if (found.fixable) lines.push('To get it on a machine that can reach github.com: node node_modules/electron/install.js');
  lines.push('Meanwhile the same app runs in your browser: npm run web');
  console.error(lines.join('\n'));
  process.exit(1);
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.error || build.status !== 0) {
  if (build.error) console.error(`Switchboard: the build could not run: ${build.error.message}`);
  process.exit(build.status || 1);
}

// Set by some editors' terminals; it would make Electron behave as plain Node and ignore the app.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;

const child = spawn(found.binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
child.on('error', (error) => {
  console.error(`Switchboard: could not start Electron (${found.binary}): ${error.message}`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!child.killed) child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
