import { ApiError } from '../../../contract/errors';
import type { SlaClock, SlaClocks } from './sla';

export type SupportLevel = 'L1' | 'L2' | 'L3';

/** Share of a budget used after which the ticket is suggested to go one level up. */
export const ESCALATION_THRESHOLD = 0.75;

const NEXT_LEVEL: Record<SupportLevel, SupportLevel | null> = { L1: 'L2', L2: 'L3', L3: null };
const CLOCK_LABELS: Record<SlaClock['name'], string> = { first_response: 'First response', resolution: 'Resolution', rca: 'RCA' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The next level up when a first-response or resolution clock that is still counting has used at
 * least ESCALATION_THRESHOLD of its budget (or is past it). A clock already ended — even late — is
 * history, not a risk; the RCA clock is not about the fix, so it never escalates.
 */
export function suggestEscalation(level: SupportLevel, clocks: SlaClocks): { to: SupportLevel; reason: string } | null {
  if (!(level in NEXT_LEVEL)) throw new ApiError('INVALID_INPUT', `"${String(level)}" is not a support level (L1, L2 or L3).`);
  const to = NEXT_LEVEL[level];
  if (!to) return null;
  const atRisk = [clocks.resolution, clocks.firstResponse]
    .filter((c) => c.budgetMs !== null && c.fractionUsed !== null && !c.endedAt)
    // A clock paused over a weekend or holiday is as much at risk as on the Friday before it.
    .filter((c) => c.state === 'breached' || ((c.state === 'running' || c.state === 'paused') && (c.fractionUsed ?? 0) >= ESCALATION_THRESHOLD))
    .sort((a, b) => (b.fractionUsed ?? 0) - (a.fractionUsed ?? 0));
  const clock = atRisk[0];
  if (!clock || clock.budgetMs === null || clock.fractionUsed === null) return null;
  // Floor, so 74.99% never reads as 75%; the epsilon keeps 0.29 × 100 = 28.999… at 29.
  const percent = Math.floor(clock.fractionUsed * 100 + 1e-9);
  const detail = `(${formatDuration(clock.usedMs)} of ${formatBudget(clock.budgetMs)})`;
  const label = CLOCK_LABELS[clock.name];
  const reason = clock.state === 'breached' ? `${label} SLA breached: ${percent}% used ${detail}` : `${label} SLA ${percent}% used ${detail}`;
  return { to, reason };
}

/** "2 h 24 min", "45 min", "1 d 3 h" — rounded down, so a clock never looks further along than it is. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms > 0 && ms < MINUTE) return '< 1 min';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

/** Budgets read as the guide states them: "24 h", "48 h", "30 min". */
export function formatBudget(ms: number): string {
  return ms > 0 && ms % HOUR === 0 ? `${ms / HOUR} h` : formatDuration(ms);
}
