import { afterAll } from 'vitest';
import type { ApiErrorData } from '../../contract/errors';
import type { CustomerFields, HostFields, SiteFields } from '../../contract/inputs';
import { assembleCore, type Core, type CoreInternals, type CoreOptions } from '../../main/core/wiring';
import { makeTempDir, removeTempDir } from './temp-dir';

/**
 * A core as the shells get it, plus the storage under its services (its SQLite handle, the session
 * log's writer, the keychain-backed credentials) for tests that check or tamper with what is stored.
 */
export type TestCore = Core & CoreInternals;

export function openTestCore(options: CoreOptions): TestCore {
  const { core, internals } = assembleCore(options);
  return Object.assign(core, internals);
}

/**
 * A core on a fresh temp data dir (real SQLite, real keychain unless a store is given), closed and
 * removed after the enclosing block.
 */
export function useCores(): (options?: Partial<CoreOptions>) => TestCore {
  const made: TestCore[] = [];
  afterAll(async () => {
    for (const core of made.splice(0)) {
      await core.close();
      removeTempDir(core.dataDir);
    }
  });
  return (options: Partial<CoreOptions> = {}) => {
    const core = openTestCore({ dataDir: makeTempDir('switchboard-core-'), mode: 'web', ...options });
    made.push(core);
    return core;
  };
}

/** Calls a method and returns its value, failing the test with the error code if it did not succeed. */
export async function call<T = unknown>(core: Core, method: string, input: unknown): Promise<T> {
  const result = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** Calls a method that must fail and returns the error data. */
export async function callError(core: Core, method: string, input: unknown): Promise<ApiErrorData> {
  const result = await core.dispatch(method, input);
  if (result.ok) throw new Error(`${method} succeeded, but an error was expected: ${JSON.stringify(result.value)}`);
  return result.error;
}

export const customerFields = (name: string): CustomerFields => ({
  name, package: 'premium', timezone: 'Asia/Kolkata', workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [], contacts: [],
});

export const siteFields = (name: string): SiteFields => ({
  name, seats: 10, peakCalls: 20, components: ['acd'], approvedMethods: ['ssh'],
});

export const hostFields = (name: string, extra: Partial<HostFields> = {}): HostFields => ({ name, allow: [], ...extra });
