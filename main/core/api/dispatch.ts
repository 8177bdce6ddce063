import { contract, type ApiHandlers, type MethodName } from '../../../contract/api';
import { ApiError, formatPath, type CallResult } from '../../../contract/errors';
import { createLogger } from '../logger';

const log = createLogger('api');

const isMethod = (name: unknown): name is MethodName => typeof name === 'string' && Object.hasOwn(contract, name);

/**
 * The one entry point every transport uses (Electron IPC, the browser-mode WebSocket, tests):
 * validate the input against the contract, run the handler, and return errors as data.
 */
export async function dispatch(handlers: ApiHandlers, method: unknown, input: unknown): Promise<CallResult<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `"${String(method)}" is not part of the Switchboard API.` } };
  }
  const parsed = contract[method].input.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    const first = issues[0]!;
    return { ok: false, error: { code: 'INVALID_INPUT', message: first.path ? `${first.path}: ${first.message}` : first.message, issues } };
  }
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.toData() };
    log.error(`${method} failed`, error);
    return { ok: false, error: { code: 'INTERNAL', message: `Something went wrong in "${method}": ${(error as Error).message}` } };
  }
}
