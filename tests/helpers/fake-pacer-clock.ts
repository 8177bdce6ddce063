import type { PacerClock } from '../../renderer/src/api/output-pacer';

/** A fake clock: timers run when `advance` passes their time. */
export function fakeClock() {
  let now = 0;
  let timers: Array<{ at: number; run: () => void; id: number }> = [];
  let nextId = 1;
  const clock: PacerClock = {
    now: () => now,
    setTimeout: (run, ms) => { const id = nextId++; timers.push({ at: now + ms, run, id }); return id; },
    clearTimeout: (id) => { timers = timers.filter((t) => t.id !== id); },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.run();
    }
    now = end;
  };
  return { clock, advance, pending: () => timers.length };
}
