import { describe, expect, it } from 'vitest';
import type { ConnectResultView, Customer, SessionEventView, SessionRecordView, Site } from '../../contract/models';
import { RecordingOpener, ScriptedResolver } from '../helpers/access';
import { call, callError, customerFields, hostFields, siteFields, useCores } from '../helpers/core';

/**
 * Two engineers on one data dir (one laptop's store, or later the team's): every event says who
 * wrote it, and only the engineer who ran a session may write its closing summary.
 */
describe('closing summaries and their authors', () => {
  const newCore = useCores();

  /** asha's core with a site whose AnyDesk host she launches on an open ticket; ravi's core on the same data dir. */
  async function launchedByAsha() {
    const asha = newCore({ engineer: 'asha', opener: new RecordingOpener(), resolver: new ScriptedResolver({}) });
    const ravi = newCore({ dataDir: asha.dataDir, engineer: 'ravi', opener: new RecordingOpener(), resolver: new ScriptedResolver({}) });
    const customer = await call<Customer>(asha, 'customers.create', customerFields('Acme Telecom'));
    const site = await call<Site>(asha, 'sites.create', { customerId: customer.id, fields: { ...siteFields('mumbai-prod'), approvedMethods: ['anydesk'] } });
    await call(asha, 'hosts.create', { siteId: site.id, fields: hostFields('agent-pc-07', { anydesk: '123456789' }) });
    await call(asha, 'tickets.open', { siteId: site.id, ref: 'EXO-7', type: 'incident', component: 'acd', impact: {} });
    const launched = await call<ConnectResultView>(asha, 'launches.open', { siteId: site.id, ticket: 'EXO-7', target: 'agent-pc-07', method: 'anydesk' });
    expect(launched.decision.allowed).toBe(true);
    return { asha, ravi, sessionId: launched.sessionId };
  }

  it('refuses a closing summary from anyone but the session engineer, and writes nothing', async () => {
    const { asha, ravi, sessionId } = await launchedByAsha();
    const before = await call<{ events: SessionEventView[] }>(ravi, 'log.get', { sessionId });

    const refused = await callError(ravi, 'log.summarize', { sessionId, summary: 'Restarted the dialer (not really).' });
    expect(refused.code).toBe('UNAUTHORIZED');
    expect(refused.message).toBe(`Only asha, who ran session ${sessionId}, may write its closing summary (you are ravi); ask them to add it.`);

    const after = await call<{ record: SessionRecordView; events: SessionEventView[] }>(asha, 'log.get', { sessionId });
    expect(after.events).toEqual(before.events);
    expect(after.record.summary).toBeNull();
    expect(await call(asha, 'log.verify', {})).toMatchObject({ ok: true });
  });

  it("takes the session engineer's summary and shows who wrote it, on the record and on every event", async () => {
    const { asha, ravi, sessionId } = await launchedByAsha();
    const record = await call<SessionRecordView>(asha, 'log.summarize', { sessionId, summary: 'Checked the softphone settings.' });
    expect(record).toMatchObject({ engineer: 'asha', summary: 'Checked the softphone settings.', summaryBy: 'asha' });

    // ravi reads it from his own core: the author comes from the log, not from who is looking.
    const seen = await call<{ record: SessionRecordView; events: SessionEventView[] }>(ravi, 'log.get', { sessionId });
    expect(seen.record.summaryBy).toBe('asha');
    expect(new Set(seen.events.map((e) => e.engineer))).toEqual(new Set(['asha']));
    expect(seen.events.at(-1)).toMatchObject({ kind: 'summary', engineer: 'asha', summary: 'Checked the softphone settings.' });
  });
});
