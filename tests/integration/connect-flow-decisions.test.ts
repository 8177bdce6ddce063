import { describe, expect, it } from 'vitest';
import type { RecentConnection, ShownDecision } from '../../contract/connect-flow';
import type { ConnectResultView, Customer, SessionRecordView, Site, Ticket } from '../../contract/models';
import { RecordingOpener, ScriptedResolver } from '../helpers/access';
import { call, customerFields, hostFields, siteFields, useCores, type TestCore } from '../helpers/core';

/**
 * The window's connect flow (issue 8 §2, §4): a denial the engineer is shown is a denied attempt in the
 * session log, written by the same call that decides (`policy.decide`), once per decision; an allowed
 * answer and `policy.check` log nothing. Recent connections are derived from the engineer's log.
 */
describe('the connect flow: shown denials are logged, recent connections come from the log', () => {
  const newCore = useCores();

  async function setUp(engineer = 'asha', dataDir?: string) {
    const core = newCore({ engineer, opener: new RecordingOpener(), resolver: new ScriptedResolver({}), ...(dataDir ? { dataDir } : {}) });
    if (dataDir) return { core, siteId: 0 };
    const customer = await call<Customer>(core, 'customers.create', customerFields('Acme Telecom'));
    const site = await call<Site>(core, 'sites.create', { customerId: customer.id, fields: { ...siteFields('mumbai-prod'), approvedMethods: ['anydesk', 'teamviewer'] } });
    await call(core, 'hosts.create', { siteId: site.id, fields: hostFields('agent-pc-07', { anydesk: '123456789', teamviewer: '987654321' }) });
    await call(core, 'hosts.create', { siteId: site.id, fields: hostFields('db01', { address: '10.40.1.12', vnc: { port: 5901 } }) });
    await call(core, 'tickets.open', { siteId: site.id, ref: 'EXO-7', type: 'incident', component: 'acd', impact: {} });
    return { core, siteId: site.id };
  }

  const records = (core: TestCore) => call<SessionRecordView[]>(core, 'log.list', { kind: 'session' });

  const DENIALS: { name: string; request: (siteId: number) => Record<string, unknown>; reason: RegExp }[] = [
    { name: 'an untrusted target', request: (siteId) => ({ siteId, ticket: 'EXO-7', target: '10.99.0.7', method: 'anydesk' }), reason: /not a trusted host/ },
    { name: 'a method the site has not approved', request: (siteId) => ({ siteId, ticket: 'EXO-7', target: 'db01', method: 'vnc' }), reason: /not approved/i },
    { name: 'a ticket that does not exist', request: (siteId) => ({ siteId, ticket: 'NOPE-1', target: 'agent-pc-07', method: 'anydesk' }), reason: /NOPE-1/ },
  ];

  it.each(DENIALS)('records one denied attempt for $name, and says which record it is', async ({ request, reason }) => {
    const { core, siteId } = await setUp();
    // The set-up's own records (its customer, site and hosts are policy changes) come before the denial.
    const before = (await call<{ count: number }>(core, 'log.verify', {})).count;
    const shown = await call<ShownDecision>(core, 'policy.decide', request(siteId));
    expect(shown.decision.allowed).toBe(false);
    expect(shown.decision.reasons.join(' ')).toMatch(reason);
    const log = await records(core);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ sessionId: shown.loggedAs, engineer: 'asha', decision: 'deny', outcome: 'denied', reasons: shown.decision.reasons, detail: { shownIn: 'connect-flow' } });
    expect(await call(core, 'log.verify', {})).toMatchObject({ ok: true, count: before + 1 });
  });

  it('logs nothing for an allowed decision, nor for policy.check whatever it decides', async () => {
    const { core, siteId } = await setUp();
    const allowed = await call<ShownDecision>(core, 'policy.decide', { siteId, ticket: 'EXO-7', target: 'agent-pc-07', method: 'anydesk' });
    expect(allowed).toMatchObject({ decision: { allowed: true }, loggedAs: null });
    expect(await call<{ allowed: boolean }>(core, 'policy.check', { siteId, ticket: 'EXO-7', target: '10.99.0.7', method: 'anydesk' })).toMatchObject({ allowed: false });
    expect(await records(core)).toEqual([]);
  });

  it('one call is one decision: deciding again is a second record, never two for one call', async () => {
    const { core, siteId } = await setUp();
    const request = { siteId, ticket: 'EXO-7', target: '10.99.0.7', method: 'anydesk' };
    const first = await call<ShownDecision>(core, 'policy.decide', request);
    const second = await call<ShownDecision>(core, 'policy.decide', request);
    expect(first.loggedAs).not.toBe(second.loggedAs);
    expect((await records(core)).map((r) => r.sessionId).sort()).toEqual([first.loggedAs, second.loggedAs].sort());
  });

  it('offers the last distinct allowed combinations on open tickets, newest first, for this engineer only', async () => {
    const { core, siteId } = await setUp();
    const connect = (target: string, method: string, ticket = 'EXO-7') => call<ConnectResultView>(core, 'launches.open', { siteId, ticket, target, method });
    await connect('agent-pc-07', 'anydesk');
    await connect('agent-pc-07', 'teamviewer');
    await connect('agent-pc-07', 'anydesk');
    await connect('10.99.0.7', 'anydesk');
    await call(core, 'policy.decide', { siteId, ticket: 'EXO-7', target: 'db01', method: 'vnc' });
    const ravi = (await setUp('ravi', core.dataDir)).core;
    await call(ravi, 'launches.open', { siteId, ticket: 'EXO-7', target: 'agent-pc-07', method: 'teamviewer' });

    const recent = await call<RecentConnection[]>(core, 'connections.recent', {});
    expect(recent.map((r) => [r.host, r.method, r.ticket, r.site, r.siteId])).toEqual([
      ['agent-pc-07', 'anydesk', 'EXO-7', 'Acme Telecom/mumbai-prod', siteId],
      ['agent-pc-07', 'teamviewer', 'EXO-7', 'Acme Telecom/mumbai-prod', siteId],
    ]);
    expect(await call<RecentConnection[]>(core, 'connections.recent', { limit: 1 })).toHaveLength(1);

    const [ticket] = await call<Ticket[]>(core, 'tickets.list', { siteId });
    await call(core, 'tickets.act', { id: ticket!.id, action: 'close' });
    expect(await call<RecentConnection[]>(core, 'connections.recent', {})).toEqual([]);
  });
});
