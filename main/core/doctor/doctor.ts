import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { schemaVersion } from '../store/migrate';
import { MIGRATIONS } from '../store/migrations';
import { DATABASE_FILE, openDatabase } from '../store/database';
import type { SecretStore } from '../keychain/secret-store';
import { findExecutable } from '../system/find-executable';

export type CheckStatus = 'pass' | 'fail' | 'warn';
export interface CheckResult { name: string; status: CheckStatus; detail: string }

/** Tools the launchers start; missing ones only matter for sites that use them, so they warn. */
const OPTIONAL_TOOLS: { command: string; purpose: string }[] = [
  { command: 'openvpn', purpose: 'OpenVPN sites' },
  { command: 'wg-quick', purpose: 'WireGuard sites' },
  { command: 'openconnect', purpose: 'OpenConnect sites' },
  { command: 'xdg-open', purpose: 'opening TeamViewer / AnyDesk / meeting links' },
  { command: 'ssh', purpose: 'the SSH transport benchmark' },
];

function checkDataDir(dataDir: string): CheckResult {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.R_OK);
    return { name: 'data dir', status: 'pass', detail: `${dataDir} is readable and writable` };
  } catch (error) {
    return { name: 'data dir', status: 'fail', detail: `${dataDir}: ${(error as Error).message}` };
  }
}

function checkDatabase(dataDir: string): CheckResult {
  const file = path.join(dataDir, DATABASE_FILE);
  try {
    openDatabase(dataDir).close();
    const db = new Database(file, { readonly: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      const foreignKeys = db.pragma('foreign_key_check') as unknown[];
      const version = schemaVersion(db);
      if (integrity !== 'ok') return { name: 'database', status: 'fail', detail: `${file}: integrity check says ${String(integrity)}` };
      if (foreignKeys.length > 0) return { name: 'database', status: 'fail', detail: `${file}: ${foreignKeys.length} broken reference(s)` };
      return { name: 'database', status: 'pass', detail: `${file} is intact (schema version ${version} of ${MIGRATIONS.length})` };
    } finally {
      db.close();
    }
  } catch (error) {
    return { name: 'database', status: 'fail', detail: (error as Error).message };
  }
}

async function checkKeychain(secrets: SecretStore): Promise<CheckResult> {
  try {
    await secrets.probe();
    return { name: 'keychain', status: 'pass', detail: 'the OS keychain answers' };
  } catch (error) {
    return { name: 'keychain', status: 'fail', detail: (error as Error).message };
  }
}

export function electronBinaryPath(projectRoot: string): string | null {
  try {
    const dir = path.join(projectRoot, 'node_modules', 'electron');
    const relative = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const binary = path.join(dir, 'dist', relative);
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function checkElectron(projectRoot: string): CheckResult {
  const binary = electronBinaryPath(projectRoot);
  return binary
    ? { name: 'electron', status: 'pass', detail: binary }
    : {
        name: 'electron',
        status: 'warn',
        detail: 'the Electron binary is not installed (get it with `node node_modules/electron/install.js` where github.com is reachable); `npm run web` works without it',
      };
}

export async function runDoctor(options: { dataDir: string; secrets: SecretStore; projectRoot: string }): Promise<CheckResult[]> {
  const results = [checkDataDir(options.dataDir)];
  results.push(results[0]!.status === 'pass' ? checkDatabase(options.dataDir) : { name: 'database', status: 'fail', detail: 'skipped: the data dir is not usable' });
  results.push(await checkKeychain(options.secrets));
  results.push(checkElectron(options.projectRoot));
  for (const tool of OPTIONAL_TOOLS) {
    const found = findExecutable(tool.command);
    results.push(
      found
        ? { name: tool.command, status: 'pass', detail: found }
        : { name: tool.command, status: 'warn', detail: `not installed; needed only for ${tool.purpose}` },
    );
  }
  return results;
}
