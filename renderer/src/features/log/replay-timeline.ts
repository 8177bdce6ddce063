/**
 * The pure half of replay: an asciicast's events on a timeline whose idle stretches are capped
 * (as asciinema's idle_time_limit does), what to write to reach a point on it, and the typed input
 * grouped for display. No DOM, no xterm: the player applies the steps.
 */

export type ReplayEvent = [number, string, string];

/** What the replay terminal must do, in order: write output (batched) or resize. */
export type ReplayStep = { kind: 'write'; data: string } | { kind: 'resize'; cols: number; rows: number };

/** Typed input near in time, shown together (keystrokes arrive one by one). */
export interface InputGroup { time: number; text: string }

export interface Timeline {
  /** Seconds on the replay clock of each event (idle gaps capped), never decreasing. */
  times: number[];
  duration: number;
  inputs: InputGroup[];
}

/** Output batched into writes of at most this many characters, so one seek is a handful of writes. */
export const MAX_BATCH_CHARS = 1 << 20;

/** Typed input more than this apart (seconds) starts a new group; so does Enter. */
const INPUT_GROUP_GAP = 2;

export function buildTimeline(events: readonly ReplayEvent[], maxIdle: number): Timeline {
  const times: number[] = [];
  let clock = 0;
  let previous = 0;
  for (const [time] of events) {
    clock += Math.min(Math.max(time - previous, 0), maxIdle);
    previous = time;
    times.push(clock);
  }
  const inputs: InputGroup[] = [];
  let open: InputGroup | null = null;
  events.forEach(([, type, data], i) => {
    if (type !== 'i') return;
    const time = times[i]!;
    if (!open || time - open.time > INPUT_GROUP_GAP) {
      open = { time, text: '' };
      inputs.push(open);
    }
    open.text += data;
    if (/[\r\n]$/.test(data)) open = null;
  });
  return { times, duration: clock, inputs };
}

/** How many events have happened by `time` (the index of the first one still to come). */
export function eventsUpTo(times: readonly number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (times[mid]! <= time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** "80x24" → cells, or null for anything else (readAsciicast already refuses malformed resizes). */
export function parseSize(data: string): { cols: number; rows: number } | null {
  const match = /^(\d+)x(\d+)$/.exec(data);
  if (!match) return null;
  const cols = Number(match[1]);
  const rows = Number(match[2]);
  return cols > 0 && rows > 0 ? { cols, rows } : null;
}

/**
 * The steps that replay events [from, to): consecutive output joined into large writes, resizes in
 * between, typed input ("i") and unknown types left out — input is shown beside the terminal,
 * never written into it (it was never on the remote screen unless the host echoed it).
 */
export function stepsBetween(events: readonly ReplayEvent[], from: number, to: number, maxBatch = MAX_BATCH_CHARS): ReplayStep[] {
  const steps: ReplayStep[] = [];
  let pending = '';
  const flush = () => {
    if (pending) steps.push({ kind: 'write', data: pending });
    pending = '';
  };
  for (let i = from; i < Math.min(to, events.length); i++) {
    const [, type, data] = events[i]!;
    if (type === 'o') {
      if (pending.length + data.length > maxBatch) flush();
      pending += data;
    } else if (type === 'r') {
      const size = parseSize(data);
      if (!size) continue;
      flush();
      steps.push({ kind: 'resize', ...size });
    }
  }
  flush();
  return steps;
}

/** Typed text made visible: Enter as ⏎, other control characters as ^X, escape sequences as ␛. */
export function showInput(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => {
    if (c === '\r' || c === '\n') return '⏎';
    if (c === '\x1b') return '␛';
    if (c === '\x7f') return '⌫';
    if (c === '\t') return '⇥';
    return `^${String.fromCharCode(c.charCodeAt(0) + 64)}`;
  });
}

/** 75.4 → "1:15"; an hour or more → "1:02:03"; with `tenths` (short recordings) 5.46 → "0:05.4". */
export function formatClock(seconds: number, tenths = false): string {
  const clamped = Math.max(0, seconds);
  const whole = Math.floor(clamped);
  const s = whole % 60;
  const m = Math.floor(whole / 60) % 60;
  const h = Math.floor(whole / 3600);
  const two = (n: number) => String(n).padStart(2, '0');
  const fraction = tenths ? `.${Math.floor((clamped - whole) * 10)}` : '';
  return h > 0 ? `${h}:${two(m)}:${two(s)}${fraction}` : `${m}:${two(s)}${fraction}`;
}
