import v8 from 'node:v8';

let tuned = false;

/**
 * Turns off V8's incremental marking in the process that hosts the core.
 *
 * Why: moving bytes over SSH allocates a fresh buffer per SSH packet in ssh2 (and per socket read in
 * Node), hundreds of MB/s of short-lived ArrayBuffers. On the core's small heap (~20 MB) V8 answers that
 * external memory by starting incremental marking again and again: a full mark-compact every ~30 ms
 * during an SFTP transfer, half of the main thread's time (bench/sftp.mjs with --trace-gc: ~120
 * mark-compacts per 512 MB uploaded, the heap never above 17 MB). Without incremental marking those
 * buffers are still freed by the young-generation scavenges, and a mark-compact runs only when the old
 * generation really fills: 3–5 per GiB, each a 13–17 ms pause at this heap size. The window is a
 * separate process, so a pause of that size delays no keystroke echo by more than a frame.
 * docs/performance.md ("File transfers") has the numbers with and without.
 */
export function tuneGarbageCollector(): void {
  if (tuned) return;
  tuned = true;
  v8.setFlagsFromString('--no-incremental-marking');
}
