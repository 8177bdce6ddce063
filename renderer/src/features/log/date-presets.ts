/**
 * Quick ranges for the log's From/To filter, as local calendar days (YYYY-MM-DD) in the engineer's
 * own time zone: the filter sends each day's local midnight to the core, so "Today" means today here,
 * not in UTC. Weeks start on Monday (ISO 8601), whatever the browser's locale.
 */
export const DATE_PRESETS = ['today', 'this-week', 'last-7-days', 'this-month'] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

export const DATE_PRESET_LABELS: Readonly<Record<DatePreset, string>> = {
  today: 'Today',
  'this-week': 'This week',
  'last-7-days': 'Last 7 days',
  'this-month': 'This month',
};

/** A local date as YYYY-MM-DD (not toISOString, which would give the UTC date). */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The first and last local day of the preset's range, both included; `to` is always today. */
export function presetRange(preset: DatePreset, now: Date = new Date()): { from: string; to: string } {
  const day = (offset: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);
  const to = localDay(now);
  switch (preset) {
    case 'today':
      return { from: to, to };
    case 'this-week':
      // getDay(): Sunday 0 … Saturday 6; Monday is the start of the week.
      return { from: localDay(day(-((now.getDay() + 6) % 7))), to };
    case 'last-7-days':
      return { from: localDay(day(-6)), to };
    case 'this-month':
      return { from: localDay(new Date(now.getFullYear(), now.getMonth(), 1)), to };
  }
}

/** Which preset a From/To pair is exactly, if any (so the chosen button stays marked). */
export function matchingPreset(range: { from: string; to: string }, now: Date = new Date()): DatePreset | null {
  return DATE_PRESETS.find((p) => {
    const r = presetRange(p, now);
    return r.from === range.from && r.to === range.to;
  }) ?? null;
}
