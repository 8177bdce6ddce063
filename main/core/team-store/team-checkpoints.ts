import type { ClientBase } from 'pg';
import type { Identities } from '../accountability/identity';
import { LogTree } from '../accountability/log-tree';
import { noteKeyName } from '../accountability/people';
import { memberVerifier } from '../accountability/roster';
import type { TeamRoster } from '../accountability/team-roster';
import { cosignerAmong } from '../accountability/witness';
import type { Db } from '../store/database';
import { parseCheckpoint, type Checkpoint } from '../transparency/checkpoint';
import { cosign } from '../transparency/cosignature';
import { CompactRange, leafHash } from '../transparency/merkle';
import { openNote, verifiedBy } from '../transparency/signed-note';
import { asSyncError } from './team-recordings';

/** The newest checkpoint of this data dir's log a lead cosigned in the team store, as `team status` shows it. */
export interface LastWitness { size: number; by: string; byEmail: string; at: string }

const LAST_WITNESS_META = 'team_last_witness';

/**
 * Pushes this data dir's signed checkpoints (the local `checkpoints` table) that cover no more than what
 * the store has of its chain (`head`) and that the store lacks. The note goes as signed; size and root are
 * copied beside it for queries, and the lead's app reads them from the note, not from those columns.
 */
export async function pushCheckpoints(client: ClientBase, db: Db, head: number): Promise<number> {
  try {
    const have = new Set((await client.query<{ size: string }>('SELECT size FROM switchboard.checkpoints WHERE login = current_user')).rows.map((r) => Number(r.size)));
    // One per size (PRIMARY KEY (login, size)): the first signed, as the log's own order has them.
    const local = db.prepare('SELECT size, root_hash AS root, note FROM checkpoints WHERE size >= 1 AND size <= ? ORDER BY id').all(head) as { size: number; root: string; note: string }[];
    let pushed = 0;
    for (const c of local) {
      if (have.has(c.size)) continue;
      have.add(c.size);
      const inserted = await client.query('INSERT INTO switchboard.checkpoints (size, root_hash, signed_note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [c.size, c.root, c.note]);
      pushed += inserted.rowCount ?? 0;
    }
    return pushed;
  } catch (error) {
    throw asSyncError(error, 'push checkpoints');
  }
}

/**
 * A lead's witnessing: for each engineer whose records this data dir pulled from the store, their newest
 * checkpoint that those records reach is cosigned (C2SP tlog-cosignature) — but only if it carries a valid
 * signature of that person's key in the roster and its root is the RFC 6962 Merkle root this app computes
 * itself from the records 1..size it pulled and checked. The cosignature goes into the store's
 * checkpoint_cosignatures, which the database lets only leads insert into.
 */
export async function witnessCheckpoints(client: ClientBase, db: Db, roster: TeamRoster, identities: Identities): Promise<{ witnessed: number; warnings: string[] }> {
  const result = { witnessed: 0, warnings: [] as string[] };
  const logs = db.prepare("SELECT engineer_key AS key, engineer AS email, origin, size FROM imported_logs WHERE origin LIKE 'team-store/%'").all() as { key: string; email: string; origin: string; size: number }[];
  if (logs.length === 0) return result;
  const me = identities.require();
  let pem: string | null = null;
  try {
    for (const log of logs) {
      const login = log.origin.slice('team-store/'.length);
      const row = (await client.query<{ size: string; signed_note: string; mine: boolean }>(
        `SELECT c.size, c.signed_note, EXISTS (SELECT 1 FROM switchboard.checkpoint_cosignatures w WHERE w.login = c.login AND w.size = c.size AND w.lead_login = current_user) AS mine
         FROM switchboard.checkpoints c WHERE c.login = $1 AND c.size <= $2 ORDER BY c.size DESC LIMIT 1`, [login, log.size])).rows[0];
      if (!row || row.mine) continue;
      const size = Number(row.size);
      const member = roster.current()?.roster.members.find((m) => m.email.toLowerCase() === log.email.toLowerCase());
      if (!member) {
        result.warnings.push(`${log.email}'s checkpoint of ${size} records was not witnessed: ${log.email} is not in this data dir's roster, so their signature cannot be checked.`);
        continue;
      }
      let checkpoint: Checkpoint;
      try {
        checkpoint = parseCheckpoint(openNote(row.signed_note).text);
      } catch (error) {
        result.warnings.push(`${member.name}'s checkpoint of ${size} records in the team store cannot be read (${(error as Error).message}); not witnessed.`);
        continue;
      }
      if (!verifiedBy(row.signed_note, memberVerifier(member))) {
        result.warnings.push(`${member.name}'s checkpoint of ${size} records in the team store does not carry a valid signature of their key (${member.fingerprint}); not witnessed.`);
        continue;
      }
      if (checkpoint.size !== size) {
        result.warnings.push(`${member.name}'s checkpoint stored as ${size} records signs ${checkpoint.size}; not witnessed.`);
        continue;
      }
      const root = pulledRoot(db, log.key, size);
      if (!root || !root.equals(checkpoint.rootHash)) {
        result.warnings.push(`${member.name}'s checkpoint of ${size} records does not match the records pulled from the team store (${root ? 'another Merkle root' : 'records missing'}): their log and what the store holds differ. Not witnessed.`);
        continue;
      }
      pem ??= await identities.privateKeyPem(me);
      const cosigned = cosign(row.signed_note, noteKeyName(me.email), pem, new Date());
      await client.query('INSERT INTO switchboard.checkpoint_cosignatures (login, size, cosignature) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [login, size, cosigned]);
      result.witnessed += 1;
    }
  } catch (error) {
    throw asSyncError(error, 'witness checkpoints');
  }
  return result;
}

/** The RFC 6962 root of an imported engineer's records 1..size, from their hashes; null if one is missing. */
function pulledRoot(db: Db, key: string, size: number): Buffer | null {
  const tree = new CompactRange();
  const rows = db.prepare('SELECT seq, hash FROM imported_events WHERE engineer_key = ? AND seq <= ? ORDER BY seq').iterate(key, size) as IterableIterator<{ seq: number; hash: string }>;
  for (const row of rows) {
    if (row.seq !== tree.size + 1) return null;
    tree.append(leafHash(Buffer.from(row.hash, 'hex')));
  }
  return tree.size === size ? tree.root() : null;
}

/**
 * Reads back the newest cosignature of this data dir's checkpoints and keeps it for `team status` — only
 * once it checks out here: its checkpoint is one this data dir signed (same text as a stored one), a lead
 * of this data dir's roster cosigned it, and the log still produces the root that was witnessed.
 */
export async function readLastWitness(client: ClientBase, db: Db, roster: TeamRoster): Promise<{ lastWitness: LastWitness | null; warnings: string[] }> {
  const warnings: string[] = [];
  let rows: { size: string; cosignature: string; lead_login: string }[];
  try {
    rows = (await client.query<{ size: string; cosignature: string; lead_login: string }>(
      'SELECT size, cosignature, lead_login FROM switchboard.checkpoint_cosignatures WHERE login = current_user ORDER BY size DESC, received_at DESC LIMIT 20')).rows;
  } catch (error) {
    throw asSyncError(error, 'read the leads\' cosignatures');
  }
  const kept = lastWitness(db);
  const leads = roster.leads();
  const tree = new LogTree(db);
  for (const row of rows) {
    const size = Number(row.size);
    if (kept && kept.size >= size) break;
    let body: string;
    try {
      body = openNote(row.cosignature).text;
    } catch {
      warnings.push(`The cosignature by ${row.lead_login} of checkpoint ${size} cannot be read; ignored.`);
      continue;
    }
    const signedHere = (db.prepare('SELECT note FROM checkpoints WHERE size = ?').pluck().all(size) as string[]).some((note) => openNote(note).text === body);
    const by = cosignerAmong(row.cosignature, leads);
    if (!signedHere || !by) {
      warnings.push(`The cosignature by ${row.lead_login} of checkpoint ${size} does not check out here (${!signedHere ? 'it is not a checkpoint this data dir signed' : 'no lead of this data dir\'s roster made it'}); ignored.`);
      continue;
    }
    tree.catchUp();
    if (tree.size() < size || !tree.root(size).equals(parseCheckpoint(body).rootHash)) {
      warnings.push(`The log no longer produces the root ${by.lead.name} witnessed at ${size} records: it was cut or rewritten since (run "switchboard log verify").`);
      continue;
    }
    const witness: LastWitness = { size, by: by.lead.name, byEmail: by.lead.email, at: by.at.toISOString() };
    db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(LAST_WITNESS_META, JSON.stringify(witness));
    return { lastWitness: witness, warnings };
  }
  return { lastWitness: kept, warnings };
}

/** What the last sync found a lead witnessed of this data dir's log (null: nothing yet). */
export function lastWitness(db: Db): LastWitness | null {
  const text = db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck().get(LAST_WITNESS_META) as string | undefined;
  return text ? (JSON.parse(text) as LastWitness) : null;
}
