import { describe, expect, it } from 'vitest';
import { LOG_KIND_RECORDS, LOG_KINDS, LOG_RECORD_KINDS } from '../../contract/domain/log-kinds';
import { EVENT_KINDS, listedEventKinds } from '../../main/core/session-log/types';

describe('log kinds', () => {
  it('puts every record kind under exactly one filter value', () => {
    const listed = LOG_KINDS.flatMap((k) => LOG_KIND_RECORDS[k]);
    expect([...listed].sort()).toEqual([...LOG_RECORD_KINDS].sort());
  });

  it('lists every event kind that is not a step of a session when no kind is given', () => {
    const sessionSteps = ['started', 'ended', 'interrupted', 'summary', 'transfer'];
    expect([...listedEventKinds(undefined)].sort()).toEqual(EVENT_KINDS.filter((k) => !sessionSteps.includes(k)).sort());
  });

  it.each([
    ['session', ['attempt']],
    ['policy-change', ['policy-change']],
    ['approval', ['approval']],
    ['team', ['identity', 'roster']],
    ['review', ['review', 'viewing', 'bundle']],
  ] as const)('%s lists %j', (kind, events) => {
    expect(listedEventKinds(kind)).toEqual(events);
  });
});
