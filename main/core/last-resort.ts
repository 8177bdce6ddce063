import { createLogger } from './logger';

const log = createLogger('last-resort');

/**
 * The process holds every open session: one that throws where nothing catches must not take the
 * others with it. Each part already contains its own failures (ssh/late-callback.ts, the session
 * lifecycle's ends, the fault suites that fail on any stray rejection); this is the net under them
 * for a long-running shell. It reports loudly and keeps serving; it never hides an error from a test,
 * which runs the core without it.
 */
export function keepServingThroughStrayErrors(target: Pick<NodeJS.Process, 'on'> = process): void {
  target.on('unhandledRejection', (reason: unknown) => {
    log.error('an error escaped a session and was not handled (the process keeps serving the others):', reason);
  });
  target.on('uncaughtException', (error: Error) => {
    log.error('an exception escaped a session (the process keeps serving the others):', error);
  });
}
