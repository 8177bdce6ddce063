import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('npm start without the Electron binary', () => {
  let emptyDist = '';
  let run: SpawnSyncReturns<string>;
  let output = '';

  beforeAll(() => {
    // An empty dist folder makes "binary missing" true on every machine, including ones that have Electron.
    emptyDist = mkdtempSync(path.join(os.tmpdir(), 'switchboard-no-electron-'));
    run = spawnSync(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: emptyDist },
      timeout: 30_000,
    });
    output = `${run.stdout}${run.stderr}`;
  });
  afterAll(() => rmSync(emptyDist, { recursive: true, force: true }));

  it('exits 1', () => {
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(1);
  });

  it('says what is missing and what to do', () => {
    expect(output).toMatch(/Electron binary is not installed/);
    expect(output).toContain('node node_modules/electron/install.js');
    expect(output).toContain('npm run web');
  });

  it('prints no stack trace', () => {
    expect(output).not.toMatch(/^\s{4}at /m);
    expect(output).not.toMatch(/Error:/);
  });
});
