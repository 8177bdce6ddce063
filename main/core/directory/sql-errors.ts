import { ApiError } from '../../../contract/errors';

/** Turns a unique-index violation into the conflict a person can act on; rethrows anything else. */
export function rethrowConflict(error: unknown, message: string): never {
  if (error instanceof Error && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
    throw new ApiError('CONFLICT', message);
  }
  throw error;
}

export function notFound(what: string, id: number | string): ApiError {
  return new ApiError('NOT_FOUND', `${what} ${typeof id === 'number' ? `#${id}` : `"${id}"`} does not exist (it may have been deleted).`);
}
