/**
 * Times on a ticket are read in the customer's zone (its SLA clocks count in it); the engineer's own
 * time is one hover away. Both name their zone, so nobody has to guess which clock a time is on.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined, withZoneName: boolean): Intl.DateTimeFormat {
  const key = `${timeZone ?? ''}|${withZoneName}`;
  let f = formatters.get(key);
  if (!f) {
    // dateStyle cannot be combined with timeZoneName, so the fields are spelled out.
    f = new Intl.DateTimeFormat(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit',
      ...(timeZone ? { timeZone } : {}), ...(withZoneName ? { timeZoneName: 'short' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

function validZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    formatter(timeZone, false);
    return timeZone;
  } catch {
    return undefined;
  }
}

/** The engineer's IANA zone ("Europe/Berlin"), or '' when the browser does not say. */
export function engineerTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
  } catch {
    return '';
  }
}

/** "Nov 26, 2026, 2:05 PM GMT+5:30": the instant on the customer's wall clock, zone abbreviation included. */
export function formatCustomerTime(iso: string | null | undefined, timeZone: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(validZone(timeZone), true).format(date);
}

/** "Your time: Nov 26, 2026, 9:35 AM (Europe/Berlin)" — the same instant on the engineer's clock, for a title. */
export function engineerTimeHint(iso: string | null | undefined, zone: string = engineerTimeZone()): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return `Your time: ${formatter(validZone(zone), false).format(date)}${zone ? ` (${zone})` : ''}`;
}
