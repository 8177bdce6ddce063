import path from 'node:path';
import type { ApiHandlers } from '../../contract/api';
import type { CallResult } from '../../contract/errors';
import type { AppInfo } from '../../contract/models';
import { createHandlers } from './api/handlers';
import { dispatch } from './api/dispatch';
import { Credentials } from './credentials/credentials';
import { purgeTrash } from './directory/trash';
import { KeytarSecretStore } from './keychain/keytar-secret-store';
import type { SecretStore } from './keychain/secret-store';
import { DATABASE_FILE, openDatabase, type Db } from './store/database';

export { resolveDataDir } from './paths';
export { ApiError } from '../../contract/errors';

export const APP_VERSION = '0.1.0';

export interface CoreOptions { dataDir: string; mode: 'electron' | 'web' | 'cli'; secretStore?: SecretStore }

export interface Core {
  readonly dataDir: string;
  readonly db: Db;
  readonly handlers: ApiHandlers;
  readonly credentials: Credentials;
  dispatch(method: string, input: unknown): Promise<CallResult<unknown>>;
  close(): void;
}

/** Opens the data dir (migrating its database) and wires every service; all entry points start here. */
export function openCore(options: CoreOptions): Core {
  const db = openDatabase(options.dataDir);
  purgeTrash(db);
  const secrets = options.secretStore ?? new KeytarSecretStore();
  const credentials = new Credentials(db, secrets);
  const appInfo = async (): Promise<AppInfo> => {
    let keychain = { available: true, message: 'The OS keychain is available.' };
    try {
      await secrets.probe();
    } catch (error) {
      keychain = { available: false, message: (error as Error).message };
    }
    return {
      version: APP_VERSION,
      dataDir: options.dataDir,
      databasePath: path.join(options.dataDir, DATABASE_FILE),
      mode: options.mode === 'electron' ? 'electron' : 'web',
      keychain,
    };
  };
  const handlers = createHandlers({ db, credentials, appInfo });
  return {
    dataDir: options.dataDir,
    db,
    handlers,
    credentials,
    dispatch: (method, input) => dispatch(handlers, method, input),
    close: () => db.close(),
  };
}
