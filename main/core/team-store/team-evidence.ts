import type { ClientBase } from 'pg';
import type { Identities } from '../accountability/identity';
import type { TeamRoster } from '../accountability/team-roster';
import type { Db } from '../store/database';
import { pushCheckpoints, readLastWitness, witnessCheckpoints, type LastWitness } from './team-checkpoints';
import { pullRecordings, pushRecordings } from './team-recordings';

/** What a sync did besides the records: recordings and checkpoints both ways, and what needs a person's eye. */
export interface EvidenceSynced {
  recordings: { pushed: number; bytes: number; pulled: number };
  checkpoints: { pushed: number; witnessed: number };
  lastWitness: LastWitness | null;
  /** Recordings not pushed or refused on pull, checkpoints not witnessed, cosignatures that did not check out. */
  warnings: string[];
}

/**
 * The part of a sync after this data dir's records are in the store (up to `head`): its recordings and
 * signed checkpoints go up; a lead brings down the recordings of the sessions it pulled and cosigns each
 * engineer's newest checkpoint those records verify; everyone reads back what a lead witnessed of theirs.
 */
export async function syncEvidence(client: ClientBase, db: Db, head: number, roster: TeamRoster, identities: Identities, isLead: boolean): Promise<EvidenceSynced> {
  const pushed = await pushRecordings(client, db, head);
  const checkpointsPushed = await pushCheckpoints(client, db, head);
  const warnings = [...pushed.warnings];
  let pulled = 0;
  let witnessed = 0;
  if (isLead) {
    const recordings = await pullRecordings(client, db);
    const witnessing = await witnessCheckpoints(client, db, roster, identities);
    ({ pulled } = recordings);
    ({ witnessed } = witnessing);
    warnings.push(...recordings.warnings, ...witnessing.warnings);
  }
  const witness = await readLastWitness(client, db, roster);
  warnings.push(...witness.warnings);
  return {
    recordings: { pushed: pushed.pushed, bytes: pushed.bytes, pulled }, checkpoints: { pushed: checkpointsPushed, witnessed },
    lastWitness: witness.lastWitness, warnings,
  };
}
