import fs from 'node:fs';

/** The whole machine's CPU time so far, from /proc/stat, in seconds: busy (every process and the kernel) and idle (iowait counted as idle). */
export function machineCpu() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
  const hz = 100; // USER_HZ on Linux
  return { busy: (user + nice + system + irq + softirq + steal) / hz, idle: (idle + iowait) / hz };
}

/** What the whole machine spent between two `machineCpu()` readings: busy CPU seconds and the busy share (0–1) of all CPUs. */
export function machineCpuSince(before, after = machineCpu()) {
  const busy = after.busy - before.busy;
  const idle = after.idle - before.idle;
  return { machineCpuSeconds: busy, machineBusy: busy / Math.max(busy + idle, 1e-9) };
}

/** Runs `work` and adds what the whole machine spent meanwhile: `machineCpuSeconds` and `machineBusy`. */
export async function withMachineCpu(work) {
  const before = machineCpu();
  const result = await work();
  return { ...result, ...machineCpuSince(before) };
}
