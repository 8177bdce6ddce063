import { isVncRecording } from '../../contract/vnc-recording-format';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../main/core/store/database';
import { canonicalJson, GENESIS_HASH, hashRow } from '../../main/core/session-log/hash-chain';
import { EVENT_COLUMNS, type SessionEventRow } from '../../main/core/session-log/types';
import { generateKeyPair, publicKeyText } from '../../main/core/transparency/ed25519';
import type { TestCore } from './core';

/**
 * Fills a lead's data dir with imported sessions the way `review import` stores them
 * (accountability/bundle-import.ts `store` and `foldSession`): the engineer's records as chained rows
 * in imported_events, recordings as <sha256>.cast under imported-recordings/ in imported_recordings,
 * one review_sessions row per session with customer and site apart, and imported_logs per engineer.
 * For the review tests, which need many sessions at chosen times faster than signed bundles give them.
 */

export interface SeedEngineer { name: string; email: string; publicKey: string }

export function seedEngineer(name: string, email: string): SeedEngineer {
  return { name, email, publicKey: publicKeyText(generateKeyPair().publicKey) };
}

export interface SeedSession {
  engineer: SeedEngineer;
  startedAt: string;
  /** Default: five minutes after the start; null: no end imported yet. */
  endedAt?: string | null;
  ticket?: string | null;
  /** "Customer/site", as the records write it. */
  site?: string;
  host?: string;
  method?: string;
  decision?: 'allow' | 'deny';
  outcome?: string;
  exception?: boolean;
  /** A recording (an asciicast text, or a VNC recording's bytes), stored and named by the 'ended' record. */
  recording?: string | Buffer;
  sessionId?: string;
}

const seqs = new Map<string, { seq: number; hash: string }>();

export function seedSessions(core: TestCore, sessions: readonly SeedSession[]): number[] {
  const { db } = core;
  const ids: number[] = [];
  db.transaction(() => {
    for (const s of sessions) ids.push(seedOne(db, core.dataDir, s));
  })();
  return ids;
}

function seedOne(db: Db, dataDir: string, s: SeedSession): number {
  const key = s.engineer.publicKey;
  const sessionId = s.sessionId ?? randomUUID();
  const site = s.site ?? 'Acme/Pune';
  const decision = s.decision ?? 'allow';
  const endedAt = s.endedAt === undefined ? new Date(Date.parse(s.startedAt) + 300_000).toISOString() : s.endedAt;
  const outcome = s.outcome ?? (decision === 'deny' ? 'denied' : endedAt ? 'completed' : 'connected');
  let sha: string | null = null;
  if (s.recording !== undefined) {
    sha = createHash('sha256').update(s.recording).digest('hex');
    const folder = path.join(dataDir, 'imported-recordings');
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    // Named as a bundle import names them (accountability/bundle-import.ts).
    const file = path.join(folder, `${sha}${typeof s.recording !== 'string' && isVncRecording(s.recording) ? '.vncrec' : '.cast'}`);
    fs.writeFileSync(file, s.recording, { mode: 0o600 });
    db.prepare('INSERT OR IGNORE INTO imported_recordings (sha256, bytes, file, imported_at) VALUES (?, ?, ?, ?)').run(sha, Buffer.byteLength(s.recording), file, new Date().toISOString());
  }
  const base = { session_id: sessionId, engineer: s.engineer.email, ticket: s.ticket === undefined ? 'INC-1' : s.ticket, ticket_id: null, site, site_id: null, host: s.host ?? 'pbx1', method: s.method ?? 'ssh', target: null, address: null, bytes_in: null, bytes_out: null, summary: null };
  const attempt = {
    ...base, kind: 'attempt', at: s.startedAt, decision, reasons: decision === 'deny' ? 'ssh is not approved for this site' : 'ssh approved; host trusted',
    outcome: decision === 'deny' ? 'denied' : 'allowed', detail: s.exception ? canonicalJson({ approval: { id: 1, signedBy: 'lead' } }) : null,
  };
  const rows = [append(db, key, attempt)];
  if (decision === 'allow' && endedAt) {
    rows.push(append(db, key, {
      ...base, kind: 'ended', at: endedAt, decision: null, reasons: null, outcome,
      detail: sha ? canonicalJson({ recording: `/home/x/recordings/${sessionId}.cast`, recordingSha256: sha }) : null,
    }));
  }
  const [customer, ...rest] = site.split('/');
  db.prepare(`
    INSERT INTO imported_logs (engineer_key, engineer, engineer_name, origin, first_seq, size, root_hash, frontier, checkpoint_note, cosigned_note, accepted_at, bundles)
    VALUES (@key, @email, @name, @origin, 1, @size, 'root', '[]', 'note', NULL, @now, 1)
    ON CONFLICT (engineer_key) DO UPDATE SET size = excluded.size
  `).run({ key, email: s.engineer.email, name: s.engineer.name, origin: `switchboard.local/log/${key.slice(8, 20)}`, size: seqs.get(key)!.seq, now: new Date().toISOString() });
  const info = db.prepare(`
    INSERT INTO review_sessions_all (engineer_key, engineer, session_id, started_at, ended_at, ticket, customer, site, host, method, decision, outcome, exception, recording_sha256)
    VALUES (@key, @engineer, @sessionId, @startedAt, @endedAt, @ticket, @customer, @site, @host, @method, @decision, @outcome, @exception, @recording)
  `).run({
    key, engineer: s.engineer.email, sessionId, startedAt: s.startedAt, endedAt: decision === 'allow' ? endedAt : null, ticket: base.ticket,
    customer: customer!, site: rest.join('/') || null, host: base.host, method: base.method, decision, outcome: rows.at(-1)!.outcome,
    exception: s.exception ? 1 : 0, recording: sha,
  });
  return Number(info.lastInsertRowid);
}

function append(db: Db, key: string, row: Omit<SessionEventRow, 'seq' | 'prev_hash' | 'hash'>): SessionEventRow {
  const head = seqs.get(key) ?? { seq: 0, hash: GENESIS_HASH };
  const linked = { ...row, seq: head.seq + 1, prev_hash: head.hash };
  const stored: SessionEventRow = { ...linked, hash: hashRow(linked) };
  seqs.set(key, { seq: stored.seq, hash: stored.hash });
  const columns = [...EVENT_COLUMNS, 'hash'];
  db.prepare(`INSERT INTO imported_events_all (engineer_key, ${columns.join(', ')}) VALUES (@engineer_key, ${columns.map((c) => `@${c}`).join(', ')})`).run({ ...stored, engineer_key: key });
  return stored;
}

/** A roster YAML naming a lead and engineers (their keys as the roster writes them). */
export function rosterYaml(team: string, members: { name: string; email: string; role: 'lead' | 'engineer'; publicKey: string }[]): string {
  return `version: 1\nteam: ${team}\nmembers:\n${members.map((m) => `  - { name: ${m.name}, email: ${m.email}, role: ${m.role}, public_key: "${m.publicKey}" }`).join('\n')}\n`;
}

/**
 * Makes `core` a lead: an identity, and a roster it signs naming it lead beside `engineers` (and
 * `others`, e.g. another data dir's identity as engineer). Returns the lead's identity.
 */
export async function becomeLead(core: TestCore, engineers: readonly SeedEngineer[], others: { name: string; email: string; publicKey: string; role: 'lead' | 'engineer' }[] = []) {
  const lead = await core.services.accountability.initIdentity({ name: 'Lena Park', email: 'lena@example.com', role: 'lead' });
  const yaml = rosterYaml('Premium Support EMEA', [
    { name: lead.name, email: lead.email, role: 'lead', publicKey: lead.publicKey },
    ...engineers.map((e) => ({ ...e, role: 'engineer' as const })),
    ...others,
  ]);
  await core.services.accountability.importRoster(await core.services.accountability.signRoster(yaml));
  return lead;
}

/** A small asciicast v2 recording that prints `text`. */
export function castText(text: string): string {
  return `${JSON.stringify({ version: 2, width: 80, height: 24, timestamp: 1_764_000_000 })}\n${JSON.stringify([0.1, 'o', 'login ok\r\n'])}\n${JSON.stringify([0.5, 'o', `${text}\r\n`])}\n`;
}
