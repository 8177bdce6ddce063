import { openCore, resolveDataDir, type Core } from '../core';

export interface CliContext {
  dataDir: string;
  /** Opened on first use, so `--help` and usage errors never touch the database. */
  core(): Core;
  /** Waits for what the core still writes (a checkpoint being signed), then closes it. */
  close(): Promise<void>;
}

export function createContext(dataDirFlag: string | undefined): CliContext {
  const dataDir = resolveDataDir({ flag: dataDirFlag });
  let core: Core | undefined;
  return {
    dataDir,
    core: () => (core ??= openCore({ dataDir, mode: 'cli' })),
    close: async () => { await core?.close(); },
  };
}
