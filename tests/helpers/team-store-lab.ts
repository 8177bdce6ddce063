import { stringify } from 'yaml';
import type { CoreOptions } from '../../main/core';
import { openTicket } from '../../main/core/tickets/tickets';
import { call, type TestCore } from './core';

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
