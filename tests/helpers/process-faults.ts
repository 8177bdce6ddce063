import { afterEach, beforeEach } from 'vitest';

/**
 * Collects what would have ended the process (an unhandled rejection, an uncaught exception) during
 * each test, so a test can assert that a remote host's misbehaviour reached none of it.
 */
export function useProcessFaults(): () => unknown[] {
  const faults: unknown[] = [];
  const collect = (error: unknown): void => { faults.push(error); };
  beforeEach(() => {
    faults.length = 0;
    process.on('unhandledRejection', collect);
    process.on('uncaughtException', collect);
  });
  afterEach(() => {
    process.off('unhandledRejection', collect);
    process.off('uncaughtException', collect);
  });
  return () => faults;
}
