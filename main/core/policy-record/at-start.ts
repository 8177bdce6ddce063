import type { Db } from '../store/database';
import { drainPolicyJournal, recordPolicyChange } from './recorder';

/**
 * At each start of the core: first a change to the policy that nobody recorded (raw SQL on the database,
 * a path that forgot, a crash between change and record cannot happen — they share a transaction) is
 * put on the record as `unattributed`, by the engineer who opened the data dir; then the trash is
 * purged and what that removes is recorded as `purge`. An empty journal costs one read.
 */
export function recordPolicyAtStart(db: Db, engineer: string, purge: () => void): void {
  drainPolicyJournal(db, { engineer, via: 'unattributed' });
  recordPolicyChange(db, { engineer, via: 'purge' }, purge);
}
