import { describe, expect, it } from 'vitest';
import { call, callError, useCores } from '../helpers/core';
import { usePostgres } from '../helpers/postgres';
import { rosterYaml } from '../helpers/review-seed';
import { printedSessions, useLeadAndRavi } from '../helpers/team-store-lab';

/**
 * The lead's app checks again what it pulls: a record changed in the team store behind the database's
 * back (a superuser with the triggers off) is refused by the lead's app, and nothing of that pull is kept.
 */
const postgres = usePostgres();
const cores = useCores();
const { lead, ravi } = useLeadAndRavi(postgres, cores);

const ravisSessions = () => lead().db.prepare("SELECT count(*) FROM review_sessions WHERE engineer = 'ravi@example.com'").pluck().get() as number;

describe('a lead\'s pull from the team store', () => {
  it('an engineer pulled live: a bundle of theirs is refused, naming the team store, and no session is kept twice', async () => {
    await lead().team.sync();
    expect(ravisSessions()).toBe(3);
    // A roster naming Ravi, so the bundle is one the lead would otherwise verify and accept.
    const [me, him] = [(await lead().services.accountability.identity())!, (await ravi().services.accountability.identity())!];
    await lead().services.accountability.importRoster(await lead().services.accountability.signRoster(rosterYaml('Team', [
      { name: me.name, email: me.email, role: 'lead', publicKey: me.publicKey }, { name: him.name, email: him.email, role: 'engineer', publicKey: him.publicKey },
    ])));
    const bundle = await call<{ text: string }>(ravi(), 'log.bundle', {});
    const refused = await callError(lead(), 'review.import', { text: bundle.text });
    expect(refused.message).toMatch(/Bundle refused \(live from the team store\): Ravi Nair <ravi@example.com>'s log comes to this data dir live from the team store .*Nothing was imported/);
    expect(ravisSessions()).toBe(3);
  });

  it('refuses a record altered in the store behind the database\'s rules, and keeps nothing of that pull', async () => {
    await printedSessions(ravi(), 1);
    await ravi().team.sync();
    const admin = await postgres().connect();
    try {
      await admin.query('ALTER TABLE switchboard.log_records DISABLE TRIGGER log_records_insert_only');
      await admin.query("UPDATE switchboard.log_records SET summary = 'nothing happened here' WHERE seq = (SELECT max(seq) FROM switchboard.log_records WHERE kind = 'ended')");
      await admin.query('ALTER TABLE switchboard.log_records ENABLE TRIGGER log_records_insert_only');
    } finally {
      await admin.end();
    }
    await expect(lead().team.sync()).rejects.toThrow(/does not hash to what it says; nothing of this pull was kept/);
    expect(ravisSessions()).toBe(3);
  });
});
