import { beforeAll, describe, expect, it } from 'vitest';
import { useCores, type TestCore } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { printedSessions, teamStoreMember } from '../helpers/team-store-lab';

/**
 * The lead's app checks again what it pulls: a record changed in the team store behind the database's
 * back (a superuser with the triggers off) is refused by the lead's app, and nothing of that pull is kept.
 */
const postgres = usePostgres();
const cores = useCores();
let lead: TestCore;
let ravi: TestCore;

beforeAll(async () => {
  lead = await teamStoreMember(cores, 'Lena Lead', 'lena@example.com', 'lead');
  await lead.team.init(postgres().superuserUrl, null);
  ravi = await teamStoreMember(cores, 'Ravi Nair', 'ravi@example.com', 'engineer');
  const added = await lead.team.addMember({ name: 'Ravi Nair', email: 'ravi@example.com', role: 'engineer' });
  await ravi.team.join(`postgresql://127.0.0.1:${postgres().port}/postgres?sslrootcert=${postgres().caFile}`, 'Ravi Nair', added.join_secret);
  await printedSessions(ravi, 3);
  await ravi.team.sync();
}, 60_000);

describe('a lead\'s pull from the team store', () => {
  it('refuses a record altered in the store behind the database\'s rules, and keeps nothing of that pull', async () => {
    const admin = await postgres().connect();
    try {
      await admin.query('ALTER TABLE switchboard.log_records DISABLE TRIGGER log_records_insert_only');
      await admin.query("UPDATE switchboard.log_records SET summary = 'nothing happened here' WHERE seq = (SELECT max(seq) FROM switchboard.log_records WHERE kind = 'ended')");
      await admin.query('ALTER TABLE switchboard.log_records ENABLE TRIGGER log_records_insert_only');
    } finally {
      await admin.end();
    }
    await expect(lead.team.sync()).rejects.toThrow(/does not hash to what it says; nothing of this pull was kept/);
    expect(lead.db.prepare("SELECT count(*) FROM review_sessions WHERE engineer = 'ravi@example.com'").pluck().get()).toBe(0);
  });
});
