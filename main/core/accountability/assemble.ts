import { scopedSecrets } from '../keychain/scoped-secret-store';
import type { SecretStore } from '../keychain/secret-store';
import type { SessionLog } from '../session-log/session-log';
import type { Db } from '../store/database';
import { storeId } from '../store/store-meta';
import { CheckpointScheduler } from './checkpoint-scheduler';
import { Checkpoints } from './checkpoints';
import { Identities } from './identity';
import { LogTree } from './log-tree';
import { Accountability } from './service';
import { TeamRoster } from './team-roster';

/**
 * Wires identity, roster, the log's Merkle tree and its signed checkpoints to a data dir's log: the
 * tree follows every append (inside its transaction), the scheduler signs after each record that ends
 * something. `engineer` is the identity's e-mail, which log records name, when the data dir has one.
 */
export function assembleAccountability(db: Db, log: SessionLog, keychain: SecretStore): { service: Accountability; engineer: () => string | undefined; identities: Identities; roster: TeamRoster } {
  const id = storeId(db);
  const identities = new Identities(db, scopedSecrets(keychain, id, 'identity'), log);
  const roster = new TeamRoster(db, log, identities);
  // Not caught up here: start-up must not grow with the log. A tree that is behind (an upgraded data
  // dir, records from a process that did not keep it) is caught up when a checkpoint is next signed,
  // and an append never fails because of the cache.
  const tree = new LogTree(db);
  log.listen({ linked: (row) => { if (tree.size() === row.seq - 1) tree.add(row); } });
  const checkpoints = new Checkpoints(db, tree, identities, scopedSecrets(keychain, id, 'checkpoint'));
  const scheduler = new CheckpointScheduler(checkpoints, identities);
  log.listen({ appended: (event) => scheduler.appended(event) });
  return { service: new Accountability({ db, log, identities, roster, checkpoints, scheduler }), engineer: () => identities.current()?.email, identities, roster };
}
