/** How an SLA clock reads in a table cell: the words, the bar, the colour of the risk. */
import type { SlaClockView } from '../../../contract/models';
import type { Severity } from '../../../contract/domain/vocabulary';

const MINUTE = 60_000;

/** 65 min → "1 h 5 min"; 3 days → "3 d 0 h"; under a minute → "< 1 min". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  if (minutes < 1) return '< 1 min';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return mins ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

export function clockText(clock: SlaClockView): string {
  switch (clock.state) {
    case 'running':
      return clock.remainingMs === null ? 'running' : `${formatDuration(clock.remainingMs)} left`;
    case 'paused':
      return clock.remainingMs === null ? 'paused' : `paused · ${formatDuration(clock.remainingMs)} left`;
    case 'met':
      return 'met';
    case 'breached': {
      const over = clock.remainingMs !== null ? -clock.remainingMs : clock.budgetMs !== null ? clock.usedMs - clock.budgetMs : null;
      return over !== null && over > 0 ? `breached ${formatDuration(over)} ago` : 'breached';
    }
    case 'stopped':
      return 'stopped';
    case 'not_applicable':
      return 'n/a';
  }
}

/** green < 50 %, yellow < 75 %, orange < 100 %, red when breached. */
export function riskColor(clock: SlaClockView): string {
  if (clock.state === 'breached') return 'red';
  if (clock.state === 'met') return 'teal';
  if (clock.state === 'stopped' || clock.state === 'not_applicable') return 'gray';
  const f = clock.fractionUsed ?? 0;
  if (f >= 1) return 'red';
  if (f >= 0.75) return 'orange';
  if (f >= 0.5) return 'yellow';
  return 'green';
}

/** The bar's fill in percent, or null when the clock has no budget to measure against. */
export function clockPercent(clock: SlaClockView): number | null {
  if (clock.state === 'breached') return 100;
  if (clock.fractionUsed === null || clock.state === 'not_applicable') return null;
  return Math.max(0, Math.min(100, clock.fractionUsed * 100));
}

export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = { critical: 'red', major: 'orange', minor: 'gray' };

export const CLOCK_LABELS: Readonly<Record<SlaClockView['name'], string>> = {
  first_response: 'First response',
  resolution: 'Resolution',
  rca: 'RCA',
};

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
