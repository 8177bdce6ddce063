import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { keepServingThroughStrayErrors } from '../../main/core/last-resort';

/** A long-running shell reports a stray error and keeps going, instead of Node's default exit. */
describe('keepServingThroughStrayErrors', () => {
  it('reports an unhandled rejection and an uncaught exception, and does not rethrow either', () => {
    const stand = new EventEmitter();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    keepServingThroughStrayErrors(stand as unknown as NodeJS.Process);
    expect(stand.listenerCount('unhandledRejection')).toBe(1);
    expect(stand.listenerCount('uncaughtException')).toBe(1);
    expect(() => stand.emit('unhandledRejection', new TypeError('protocol._destruct is not a function'))).not.toThrow();
    expect(() => stand.emit('uncaughtException', new Error('boom'))).not.toThrow();
    expect(errors.mock.calls.map((c) => String(c[1]))).toEqual([
      expect.stringMatching(/escaped a session and was not handled \(the process keeps serving the others\)/),
      expect.stringMatching(/exception escaped a session/),
    ]);
    errors.mockRestore();
  });
});
