import { stringify } from 'yaml';
import { beforeAll } from 'vitest';
import type { CoreOptions } from '../../main/core';
import { openTicket } from '../../main/core/tickets/tickets';
import { KeytarSecretStore } from '../../main/core/keychain/keytar-secret-store';
import { scopedSecrets } from '../../main/core/keychain/scoped-secret-store';
import { storeId } from '../../main/core/store/store-meta';
import { call, type TestCore } from './core';
import type { TestPostgres } from './postgres';

/** The ticket every team-store lab member works on. */
export const LAB_TICKET = 'INC-1';

/**
 * A person's data dir for team-store tests: an identity, the Acme/Pune site with one AnyDesk host, and an
 * open ticket; no background sync (the tests sync by hand).
 */
export async function teamStoreMember(cores: (options?: Partial<CoreOptions>) => TestCore, name: string, email: string, role: 'engineer' | 'lead'): Promise<TestCore> {
  const core = cores({ engineer: email, teamSyncOff: true });
  await call(core, 'identity.init', { name, email, role });
  await call(core, 'profiles.import', {
    text: stringify({ version: 1, customers: [{ name: 'Acme', package: 'premium', timezone: 'UTC', workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      sites: [{ name: 'Pune', seats: 10, peak_calls: 10, approved_methods: ['anydesk'], hosts: [{ name: 'agent-pc', anydesk: '123456789' }] }] }] }),
    fileName: 'acme.yaml',
  });
  openTicket(core.db, { ref: LAB_TICKET, siteId: core.db.prepare('SELECT id FROM sites').pluck().get() as number, type: 'incident', component: 'other', impact: {} }, email);
  return core;
}

/** `count` sessions made offline (a printed AnyDesk link is a logged session: two records). */
export async function printedSessions(core: TestCore, count: number): Promise<void> {
  const siteId = core.db.prepare('SELECT id FROM sites').pluck().get() as number;
  for (let i = 0; i < count; i++) await call(core, 'launches.open', { siteId, target: 'agent-pc', method: 'anydesk', ticket: LAB_TICKET, print: true });
}

/** The store's URL as a member's laptop keeps it: no password, TLS verified against the test CA. */
export function memberUrl(postgres: TestPostgres): string {
  return `postgresql://127.0.0.1:${postgres.port}/postgres?sslrootcert=${postgres.caFile}`;
}

export interface LabEngineer { core: TestCore; name: string; email: string }

/** Each engineer added by the lead and joined (which is their first sync); returns every member's login by e-mail, the lead's too. */
export async function joinEngineers(postgres: TestPostgres, lead: TestCore, engineers: readonly LabEngineer[]): Promise<Record<string, string>> {
  const logins: Record<string, string> = {};
  for (const { core, name, email } of engineers) {
    const added = await lead.team.addMember({ name, email, role: 'engineer' });
    await core.team.join(memberUrl(postgres), name, added.join_secret);
    logins[email] = added.login;
  }
  const leadEmail = lead.db.prepare('SELECT email FROM identity').pluck().get() as string;
  logins[leadEmail] = lead.team.status().login!;
  return logins;
}

/** A member's own team store password, as the app keeps it in the keychain (to speak SQL as that login). */
export async function keptPassword(core: TestCore): Promise<string> {
  return (await scopedSecrets(new KeytarSecretStore(), storeId(core.db), 'team').get('login'))!;
}

/**
 * A lead who set up the team store, and Ravi, an engineer who joined it and synced three offline sessions;
 * made once for the file (beforeAll). The getters give them to the tests.
 */
export function useLeadAndRavi(postgres: () => TestPostgres, cores: (options?: Partial<CoreOptions>) => TestCore): { lead: () => TestCore; ravi: () => TestCore } {
  let lead: TestCore | null = null;
  let ravi: TestCore | null = null;
  beforeAll(async () => {
    lead = await teamStoreMember(cores, 'Lena Lead', 'lena@example.com', 'lead');
    await lead.team.init(postgres().superuserUrl, null);
    ravi = await teamStoreMember(cores, 'Ravi Nair', 'ravi@example.com', 'engineer');
    await joinEngineers(postgres(), lead, [{ core: ravi, name: 'Ravi Nair', email: 'ravi@example.com' }]);
    await printedSessions(ravi, 3);
    await ravi.team.sync();
  }, 60_000);
  return { lead: () => lead!, ravi: () => ravi! };
}

/**
 * Runs `work` (a sync) while `count()` is read every time the core's thread is free (at each turn of the event
 * loop); resolves with what `work` gave and the counts seen, sorted. A pull that holds the thread for a whole
 * batch shows only whole batches.
 */
export async function countsSeenDuring<T>(count: () => number, work: () => Promise<T>): Promise<{ value: T; seen: number[] }> {
  const seen = new Set<number>();
  let next: NodeJS.Immediate | undefined;
  const sample = () => { seen.add(count()); next = setImmediate(sample); };
  sample();
  const value = await work().finally(() => clearImmediate(next));
  return { value, seen: [...seen].sort((a, b) => a - b) };
}
