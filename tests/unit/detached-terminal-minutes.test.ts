import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { detachedTerminalMs } from '../../main/core/wiring';

/** $SWITCHBOARD_DETACHED_TERMINAL_MINUTES: how long a terminal no window shows keeps running. */
describe('detachedTerminalMs', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['1', 60_000],
    ['15', 900_000],
    [' 90 ', 5_400_000],
    ['1440', 86_400_000],
  ])('%j → %j', (value, ms) => {
    expect(detachedTerminalMs(value === undefined ? {} : { SWITCHBOARD_DETACHED_TERMINAL_MINUTES: value })).toBe(ms);
  });

  it.each(['0', '1441', '-5', '2.5', '15m', 'ten', '1e3'])('refuses %j with a sentence naming the variable and the range', (value) => {
    const run = () => detachedTerminalMs({ SWITCHBOARD_DETACHED_TERMINAL_MINUTES: value });
    expect(run).toThrow(ApiError);
    expect(run).toThrow(/SWITCHBOARD_DETACHED_TERMINAL_MINUTES is ".*"; give a whole number of minutes from 1 to 1440/);
  });
});
