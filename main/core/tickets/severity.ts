import { COMPONENT_LABELS, COMPONENTS, type Component } from '../../../contract/domain/vocabulary';
import { ApiError } from '../../../contract/errors';

export type Severity = 'critical' | 'major' | 'minor';

export interface ImpactInput {
  seats: number;
  calls?: number;
  component: Component | 'other';
  cannotTakeCalls?: number;
  cannotLogin?: number;
  callsRejected?: number;
}

export type LossSource = 'cannot_take_calls' | 'cannot_login' | 'calls_rejected' | 'none';

export interface SeverityResult {
  severity: Severity;
  /** Fraction 0..1 of production lost: the largest of the measured ratios. */
  loss: number;
  lossSource: LossSource;
  /** The computation, for a person. */
  steps: string[];
}

const CRITICAL_COMPONENTS: readonly Component[] = ['acd', 'ivr', 'dialer', 'voice_logger'];
const MAJOR_COMPONENTS: readonly Component[] = ['acd', 'ivr', 'reports', 'dialer', 'voice_logger'];

interface Ratio { source: Exclude<LossSource, 'none'>; part: number; whole: number; what: string }

/*
 * Thresholds are compared on the integers (part × 5 ≥ whole, part × 50 > whole) so that
 * "exactly 20%" and "exactly 2%" are decided exactly, never by floating-point rounding.
 */
const atLeast20 = (r: Ratio) => r.part * 5 >= r.whole;
const above2 = (r: Ratio) => r.part * 50 > r.whole;

export function classifySeverity(input: ImpactInput): SeverityResult {
  const ratios = measuredRatios(input);
  const steps = ratios.map((r) => `${r.part} of ${r.whole} ${r.what} = ${percent(r)}`);
  let worst: Ratio | undefined;
  for (const r of ratios) {
    if (r.part > 0 && (!worst || r.part * worst.whole > worst.part * r.whole)) worst = r;
  }
  if (!worst) {
    steps.push('no production loss measured → minor');
    return { severity: 'minor', loss: 0, lossSource: 'none', steps };
  }

  const loss = `largest loss ${percent(worst)}`;
  const component = input.component;
  const name = component === 'other' ? undefined : COMPONENT_LABELS[component];
  let severity: Severity;
  if (!above2(worst)) {
    severity = 'minor';
    steps.push(`${loss} is not above 2% → minor`);
  } else if (component === 'other' || !MAJOR_COMPONENTS.includes(component)) {
    severity = 'minor';
    steps.push(`${loss}, but the failing component is not ACD, IVR, reports, dialer or voice logger → minor`);
  } else if (atLeast20(worst) && CRITICAL_COMPONENTS.includes(component)) {
    severity = 'critical';
    steps.push(`${loss} ≥ 20% and ${name} is a major component → critical`);
  } else if (atLeast20(worst)) {
    severity = 'major';
    steps.push(`${loss} ≥ 20%, but a ${name} failure is at most major → major`);
  } else {
    severity = 'major';
    steps.push(`${loss} is above 2% and below 20% and ${name} is a major component → major`);
  }
  return { severity, loss: worst.part / worst.whole, lossSource: worst.source, steps };
}

function measuredRatios(input: ImpactInput): Ratio[] {
  if (typeof input !== 'object' || input === null) invalid('The impact must be described (seats, component and what was measured).');
  const { seats, calls, component } = input;
  if (!isCount(seats) || seats === 0) invalid(`The number of seats must be a whole number greater than zero (got ${show(seats)}).`);
  if (component !== 'other' && !COMPONENTS.includes(component)) {
    invalid(`"${show(component)}" is not a known component; use one of ${COMPONENTS.join(', ')} or other.`);
  }
  if (calls != null && !isCount(calls)) invalid(`The number of calls must be a whole number, zero or more (got ${show(calls)}).`);

  const ratios: Ratio[] = [];
  const agents = (source: Ratio['source'], value: number | undefined, what: string, label: string) => {
    if (value == null) return;
    if (!isCount(value)) invalid(`The number of agents who ${label} must be a whole number, zero or more (got ${show(value)}).`);
    if (value > seats) invalid(`${value} agents ${label}, but the setup has only ${seats} seats.`);
    ratios.push({ source, part: value, whole: seats, what });
  };
  agents('cannot_take_calls', input.cannotTakeCalls, 'agents cannot take calls', 'cannot take calls');
  agents('cannot_login', input.cannotLogin, 'agents cannot log in', 'cannot log in');

  const rejected = input.callsRejected;
  if (rejected != null) {
    if (!isCount(rejected)) invalid(`The number of rejected calls must be a whole number, zero or more (got ${show(rejected)}).`);
    if (calls == null || calls === 0) invalid('Rejected calls need the number of calls offered (more than zero) to compute a loss.');
    if (rejected > calls) invalid(`${rejected} calls rejected, but only ${calls} calls were offered.`);
    ratios.push({ source: 'calls_rejected', part: rejected, whole: calls, what: 'calls rejected' });
  }
  return ratios;
}

/** One decimal, or more when one decimal would round across a threshold (19.99% must not read "20.0%"). */
function percent(r: Ratio): string {
  const exact = (r.part / r.whole) * 100;
  for (let digits = 1; digits < 6; digits++) {
    const text = exact.toFixed(digits);
    const shown = Number(text);
    if (shown >= 20 === atLeast20(r) && shown > 2 === above2(r)) return `${text}%`;
  }
  return `${exact}%`;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));

function invalid(message: string): never {
  throw new ApiError('INVALID_INPUT', message);
}
