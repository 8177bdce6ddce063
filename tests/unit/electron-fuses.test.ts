import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The fuses the packaged app must ship with (electron-builder's `electronFuses`, flipped before
 * signing). Each one closes a way to run code in the signed binary other than the app itself.
 */
const REQUIRED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableCookieEncryption: true,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
} as const;

type BuilderConfig = { asar?: unknown; electronFuses?: Record<string, unknown> | null };

function readBuilderConfig(): BuilderConfig {
  return parse(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

/** What is wrong with a config's fuses, one sentence per problem; empty when all are as required. */
function fuseProblems(config: BuilderConfig): string[] {
  const fuses = config.electronFuses ?? {};
  const problems = Object.entries(REQUIRED_FUSES).flatMap(([name, wanted]) => {
    if (!(name in fuses)) return [`${name} is missing (must be ${wanted})`];
    return fuses[name] === wanted ? [] : [`${name} is ${JSON.stringify(fuses[name])} (must be ${wanted})`];
  });
  // Integrity validation checks the hash electron-builder embeds for app.asar; without asar there is none.
  if (config.asar !== true) problems.push(`asar is ${JSON.stringify(config.asar)} (must be true for the integrity fuses to mean anything)`);
  return problems;
}

describe('electron-builder.yml fuses', () => {
  it('flips every required fuse, with asar on', () => {
    expect(fuseProblems(readBuilderConfig())).toEqual([]);
  });

  it.each(Object.keys(REQUIRED_FUSES))('fails when %s is removed', (name) => {
    const config = readBuilderConfig();
    delete config.electronFuses![name];
    expect(fuseProblems(config)).toEqual([expect.stringMatching(new RegExp(`^${name} is missing`))]);
  });

  it.each(Object.entries(REQUIRED_FUSES))('fails when %s is flipped the other way', (name, wanted) => {
    const config = readBuilderConfig();
    config.electronFuses![name] = !wanted;
    expect(fuseProblems(config)).toEqual([`${name} is ${!wanted} (must be ${wanted})`]);
  });

  it('fails when the whole electronFuses block or asar is gone', () => {
    expect(fuseProblems({ ...readBuilderConfig(), electronFuses: null })).toHaveLength(Object.keys(REQUIRED_FUSES).length);
    expect(fuseProblems({ ...readBuilderConfig(), asar: false })).toEqual([expect.stringMatching(/^asar is false/)]);
  });
});

describe('the Electron release', () => {
  it('is pinned to one exact version, and the lockfile agrees', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    const pinned = pkg.devDependencies.electron;
    // A range would let a reinstall move to a release nobody reviewed; updates are deliberate commits.
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(lock.packages['node_modules/electron']?.version).toBe(pinned);
  });
});
