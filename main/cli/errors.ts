import { ApiError } from '../core';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad usage or bad input: exit 2 with the message on stderr. */
export class UsageError extends Error {}

/** A check failed or nothing matched: exit 1. */
export class CheckFailed extends Error {}

export function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    console.error(`switchboard: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof CheckFailed) {
    if (error.message) console.error(`switchboard: ${error.message}`);
    return EXIT.failed;
  }
  if (error instanceof ApiError) {
    console.error(`switchboard: ${error.message}`);
    // A profile file's problems say where they are in words (customer 1 (Acme), site 2 …); the
    // machine path would only repeat it in brackets.
    const located = error.code === 'PROFILE_INVALID';
    for (const issue of error.issues ?? []) console.error(located ? `  - ${issue.message}` : `  ${issue.path || '(file)'}: ${issue.message}`);
    return ['INVALID_INPUT', 'PROFILE_INVALID', 'CONFLICT', 'NOT_FOUND', 'IN_USE', 'CREDENTIAL_NOT_FOUND'].includes(error.code) ? EXIT.usage : EXIT.failed;
  }
  console.error(`switchboard: unexpected error: ${(error as Error).stack ?? String(error)}`);
  return EXIT.failed;
}
