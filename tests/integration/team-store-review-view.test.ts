import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { connectTeamStore, parseTeamStoreUrl } from '../../main/core/team-store/connection';
import { call, useCores, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { joinEngineers, keptPassword, printedSessions, teamStoreMember } from '../helpers/team-store-lab';
import { rosterYaml } from '../helpers/review-seed';

/**
 * The leads' live review queue kept in PostgreSQL (migration 3): one row per session, folded as records
 * arrive — also when a session's records come in different batches — read in full by a lead, only their
 * own by an engineer, and a lead's review decision sets the session's state.
 */
const postgres = usePostgres();
const cores = useCores();
let lead: TestCore;
let ravi: TestCore;
let asha: TestCore;
const logins: Record<string, string> = {};
const passwords: Record<string, string> = {};

/** Signs in as `who` with their login's password. */
async function as(who: string): Promise<pg.Client> {
  return connectTeamStore(parseTeamStoreUrl(postgres().url('x', 'x')).address, logins[who]!, passwords[who]!);
}

beforeAll(async () => {
  lead = await teamStoreMember(cores, 'Lena Lead', 'lena@example.com', 'lead');
  await lead.team.init(postgres().superuserUrl, null);
  ravi = await teamStoreMember(cores, 'Ravi Nair', 'ravi@example.com', 'engineer');
  asha = await teamStoreMember(cores, 'Asha Rao', 'asha@example.com', 'engineer');
  Object.assign(logins, await joinEngineers(postgres(), lead, [{ core: ravi, name: 'Ravi Nair', email: 'ravi@example.com' }, { core: asha, name: 'Asha Rao', email: 'asha@example.com' }]));
  // Direct SQL as each login, with the password the app keeps in the keychain.
  for (const [email, core] of [['lena@example.com', lead], ['ravi@example.com', ravi], ['asha@example.com', asha]] as const) passwords[email] = await keptPassword(core);
  // 260 of Ravi's sessions (520 records): the batch of 500 ends in the middle of one of them.
  await printedSessions(ravi, 260);
  await printedSessions(asha, 3);
  await ravi.team.sync();
  await asha.team.sync();
}, 120_000);

describe('switchboard.review_sessions', () => {
  it('one row per session, ended ones complete — also a session split across two batches', async () => {
    const client = await as('lena@example.com');
    try {
      const rows = (await client.query('SELECT engineer, count(*)::int AS n, count(ended_at)::int AS ended FROM switchboard.review_sessions GROUP BY engineer ORDER BY engineer')).rows;
      expect(rows).toEqual([{ engineer: 'asha@example.com', n: 3, ended: 3 }, { engineer: 'ravi@example.com', n: 260, ended: 260 }]);
    } finally {
      await client.end();
    }
  });

  it('an engineer reads only their own rows, and cannot write any', async () => {
    const client = await as('asha@example.com');
    try {
      expect((await client.query('SELECT DISTINCT engineer FROM switchboard.review_sessions')).rows).toEqual([{ engineer: 'asha@example.com' }]);
      await expect(client.query("UPDATE switchboard.review_sessions SET state = 'reviewed'")).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.end();
    }
  });

  it('a lead\'s review decision, synced, sets the session\'s state there', async () => {
    // Only a lead of the roster decides: the lead signs a roster of the three and trusts it.
    const key = async (core: TestCore) => (await call<{ identity: { publicKey: string } }>(core, 'identity.get', {})).identity.publicKey;
    const yaml = rosterYaml('Premium Support EMEA', [
      { name: 'Lena Lead', email: 'lena@example.com', role: 'lead', publicKey: await key(lead) },
      { name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer', publicKey: await key(ravi) },
      { name: 'Asha Rao', email: 'asha@example.com', role: 'engineer', publicKey: await key(asha) },
    ]);
    const { signedText } = await call<{ signedText: string }>(lead, 'team.signRoster', { yaml });
    await call(lead, 'team.importRoster', { signedText });
    await lead.team.sync();
    const queued = lead.db.prepare("SELECT id, session_id FROM review_sessions WHERE engineer = 'asha@example.com' ORDER BY id LIMIT 1").get() as { id: number; session_id: string };
    await call(lead, 'review.mark', { id: queued.id, state: 'reviewed' });
    await lead.team.sync();
    const client = await as('lena@example.com');
    try {
      const row = (await client.query('SELECT state, state_by FROM switchboard.review_sessions WHERE session_id = $1', [queued.session_id])).rows[0];
      expect(row).toMatchObject({ state: 'reviewed' });
    } finally {
      await client.end();
    }
  });
});
