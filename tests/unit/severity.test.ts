import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import { classifySeverity, type ImpactInput, type Severity } from '../../main/core/tickets/severity';

const acd = (impact: Partial<ImpactInput>): ImpactInput => ({ seats: 100, component: 'acd', ...impact });

describe("classifySeverity: the guide's examples", () => {
  it.each<[string, ImpactInput, Severity, string]>([
    ['21 of 100 cannot take calls', acd({ cannotTakeCalls: 21 }), 'critical', 'cannot_take_calls'],
    ['only 80 of 100 can log in', acd({ cannotLogin: 20 }), 'critical', 'cannot_login'],
    ['only 79 of 100 can log in', acd({ cannotLogin: 21, component: 'ivr' }), 'critical', 'cannot_login'],
    ['81 of 400 calls rejected', acd({ calls: 400, callsRejected: 81, component: 'dialer' }), 'critical', 'calls_rejected'],
    ['3 of 100 cannot take calls', acd({ cannotTakeCalls: 3 }), 'major', 'cannot_take_calls'],
    ['19 of 100 cannot take calls', acd({ cannotTakeCalls: 19 }), 'major', 'cannot_take_calls'],
    ['3 of 100 cannot log in', acd({ cannotLogin: 3, component: 'voice_logger' }), 'major', 'cannot_login'],
    ['19 of 100 cannot log in', acd({ cannotLogin: 19 }), 'major', 'cannot_login'],
    ['9 of 400 calls rejected', acd({ calls: 400, callsRejected: 9 }), 'major', 'calls_rejected'],
    ['79 of 400 calls rejected', acd({ calls: 400, callsRejected: 79 }), 'major', 'calls_rejected'],
  ])('%s → %s', (_, input, severity, source) => {
    const result = classifySeverity(input);
    expect(result.severity).toBe(severity);
    expect(result.lossSource).toBe(source);
  });
});

describe('classifySeverity: the boundaries Switchboard decides', () => {
  it.each<[string, ImpactInput, Severity, number]>([
    ['exactly 20% of seats cannot take calls', acd({ cannotTakeCalls: 20 }), 'critical', 0.2],
    ['exactly 20% of calls rejected', acd({ calls: 400, callsRejected: 80 }), 'critical', 0.2],
    ['just under 20% (1999 of 10000)', acd({ seats: 10000, cannotTakeCalls: 1999 }), 'major', 0.1999],
    ['exactly 2% cannot take calls', acd({ cannotTakeCalls: 2 }), 'minor', 0.02],
    ['exactly 2% of calls rejected', acd({ calls: 400, callsRejected: 8 }), 'minor', 0.02],
    ['2.25% of calls rejected', acd({ calls: 400, callsRejected: 9 }), 'major', 0.0225],
    ['reports at 50%', acd({ component: 'reports', cannotTakeCalls: 50 }), 'major', 0.5],
    ['reports at 5%', acd({ component: 'reports', cannotLogin: 5 }), 'major', 0.05],
    ['reports at 1%', acd({ component: 'reports', cannotLogin: 1 }), 'minor', 0.01],
    ['other at 90%', acd({ component: 'other', cannotTakeCalls: 90 }), 'minor', 0.9],
    ['everything down', acd({ cannotTakeCalls: 100, cannotLogin: 100 }), 'critical', 1],
    ['a one-seat setup down', acd({ seats: 1, cannotTakeCalls: 1 }), 'critical', 1],
  ])('%s → %s', (_, input, severity, loss) => {
    const result = classifySeverity(input);
    expect(result.severity).toBe(severity);
    expect(result.loss).toBeCloseTo(loss, 10);
  });

  it.each<[string, ImpactInput]>([
    ['nothing measured', acd({})],
    ['all measured counts zero', acd({ calls: 400, cannotTakeCalls: 0, cannotLogin: 0, callsRejected: 0 })],
    ['calls offered but none rejected', acd({ calls: 400 })],
  ])('%s → minor with no loss source', (_, input) => {
    const result = classifySeverity(input);
    expect(result).toMatchObject({ severity: 'minor', loss: 0, lossSource: 'none' });
    expect(result.steps.at(-1)).toBe('no production loss measured → minor');
  });

  it('takes the largest of the three ratios, whichever it is', () => {
    const result = classifySeverity(acd({ calls: 400, cannotTakeCalls: 5, cannotLogin: 10, callsRejected: 100 }));
    expect(result).toMatchObject({ severity: 'critical', loss: 0.25, lossSource: 'calls_rejected' });
    expect(classifySeverity(acd({ calls: 400, cannotTakeCalls: 5, cannotLogin: 10, callsRejected: 20 }))).toMatchObject({ loss: 0.1, lossSource: 'cannot_login' });
  });
});

describe('classifySeverity shows its computation', () => {
  it('lists each measured ratio and the decision', () => {
    expect(classifySeverity(acd({ cannotTakeCalls: 25, cannotLogin: 10 })).steps).toEqual([
      '25 of 100 agents cannot take calls = 25.0%',
      '10 of 100 agents cannot log in = 10.0%',
      'largest loss 25.0% ≥ 20% and ACD is a major component → critical',
    ]);
  });

  it.each<[ImpactInput, string]>([
    [acd({ calls: 400, callsRejected: 9, component: 'ivr' }), 'largest loss 2.3% is above 2% and below 20% and IVR is a major component → major'],
    [acd({ component: 'reports', cannotTakeCalls: 50 }), 'largest loss 50.0% ≥ 20%, but a Reports failure is at most major → major'],
    [acd({ component: 'other', cannotTakeCalls: 90 }), 'largest loss 90.0%, but the failing component is not ACD, IVR, reports, dialer or voice logger → minor'],
    [acd({ cannotTakeCalls: 2 }), 'largest loss 2.0% is not above 2% → minor'],
  ])('%j → %s', (input, decision) => {
    expect(classifySeverity(input).steps.at(-1)).toBe(decision);
  });

  it('never rounds a percentage across a threshold', () => {
    const steps = classifySeverity(acd({ seats: 10000, cannotTakeCalls: 1999, calls: 100000, callsRejected: 2001 })).steps;
    expect(steps[0]).toBe('1999 of 10000 agents cannot take calls = 19.99%');
    expect(steps[1]).toBe('2001 of 100000 calls rejected = 2.001%');
  });
});

describe('classifySeverity refuses impossible measurements with a sentence', () => {
  it.each<[string, ImpactInput, RegExp]>([
    ['zero seats', { seats: 0, component: 'acd' }, /seats must be a whole number greater than zero/],
    ['fractional seats', { seats: 10.5, component: 'acd' }, /seats must be a whole number/],
    ['negative count', acd({ cannotTakeCalls: -1 }), /cannot take calls must be a whole number, zero or more/],
    ['fractional count', acd({ cannotLogin: 2.5 }), /cannot log in must be a whole number/],
    ['NaN count', acd({ cannotLogin: Number.NaN }), /cannot log in must be a whole number/],
    ['more than seats cannot take calls', acd({ cannotTakeCalls: 101 }), /101 agents cannot take calls, but the setup has only 100 seats/],
    ['more than seats cannot log in', acd({ cannotLogin: 150 }), /150 agents cannot log in, but the setup has only 100 seats/],
    ['rejected without calls', acd({ callsRejected: 5 }), /Rejected calls need the number of calls offered/],
    ['rejected with zero calls', acd({ calls: 0, callsRejected: 0 }), /Rejected calls need the number of calls offered/],
    ['more rejected than calls', acd({ calls: 400, callsRejected: 401 }), /401 calls rejected, but only 400 calls were offered/],
    ['negative calls', acd({ calls: -4 }), /number of calls must be a whole number/],
    ['unknown component', acd({ component: 'pbx' as never }), /"pbx" is not a known component/],
  ])('%s', (_, input, message) => {
    let error: unknown;
    try {
      classifySeverity(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
  });
});
