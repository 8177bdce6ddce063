// A generated session log for the benchmarks: ~2.8 events per session, like the field (attempt,
// started, ended, and a denial now and then), 40 engineers, 100 customers × 7 sites, 5000 tickets.

/** Appends `records` events through the SessionLog (hash chain and listeners as in the app). */
export function fillSessionLog({ db, sessionLog }, records) {
  db.pragma('synchronous = OFF'); // generation only; the measured runs reopen with the app's settings
  const started = process.hrtime.bigint();
  let written = 0;
  let session = 0;
  const batch = db.transaction((until) => {
    while (written < until) {
      const sessionId = `bench-${session.toString(36).padStart(8, '0')}-session`;
      const site = `Customer ${session % 100}/site-${session % 7}`;
      const at = new Date(Date.UTC(2026, 0, 1) + session * 60_000).toISOString();
      const denied = session % 25 === 0;
      sessionLog.append({ sessionId, kind: 'attempt', at, engineer: `engineer${session % 40}@example.com`, ticket: `EXO-${40000 + (session % 5000)}`, site, host: `pbx${session % 5}`, method: 'ssh', target: `pbx${session % 5}`, address: `10.1.${session % 200}.${session % 250}`, decision: denied ? 'deny' : 'allow', reasons: [denied ? 'not a trusted host of this site' : 'pbx is a trusted host of this site'], outcome: denied ? 'denied' : 'allowed' });
      written++;
      if (!denied && written < until) {
        sessionLog.append({ sessionId, kind: 'started', at, engineer: 'bench', outcome: 'connected', detail: { hostKey: 'SHA256:2m0Qn4cHbTHFA6kf1gGvQz2yC8JQ3wE8b1Vj5n8bq9Y', ownerPid: 1 } });
        written++;
        if (written < until) {
          sessionLog.append({ sessionId, kind: 'ended', at, engineer: 'bench', outcome: 'completed', bytesIn: 1200 + session, bytesOut: 300, detail: { exitCode: 0, recording: `recordings/${sessionId}.cast`, recordingSha256: 'ab'.repeat(32), recordingBytes: 4096 } });
          written++;
        }
      }
      session++;
    }
  });
  while (written < records) batch(Math.min(records, written + 50_000));
  db.pragma('synchronous = FULL');
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, sessions: session };
}

/** Events for about this many sessions (the generator's mix: 24 of 25 sessions have 3 events, the denied one 1). */
export const eventsForSessions = (sessions) => Math.round(sessions * 2.92);

/** An in-memory keychain for benchmarks (the real one is not what is measured). */
export class MemorySecrets {
  map = new Map();
  async get(k) { return this.map.get(k) ?? null; }
  async set(k, v) { this.map.set(k, v); }
  async delete(k) { return this.map.delete(k); }
  async probe() {}
}
