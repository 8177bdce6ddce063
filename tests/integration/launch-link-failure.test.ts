import { describe, expect, it } from 'vitest';
import { ApiError } from '../../contract/errors';
import type { ConnectResultView, Customer, SessionEventView, Site } from '../../contract/models';
import type { ExternalOpener } from '../../main/core/launchers/external-opener';
import { ScriptedResolver } from '../helpers/access';
import { call, customerFields, hostFields, siteFields, useCores } from '../helpers/core';

/** The system opener as it fails when no application handles the scheme (SystemExternalOpener's own message). */
class FailingOpener implements ExternalOpener {
  async open(url: string): Promise<void> {
    const scheme = url.slice(0, url.indexOf(':') + 1);
    throw new ApiError('LAUNCHER_UNAVAILABLE', `the system could not open the ${scheme} link (xdg-open exited with code 4); is the application for it installed?`);
  }
}

/**
 * A launcher that fails (no AnyDesk installed) is not a dead end (issue 8 §4): the connect result says
 * why, and carries the partner ID and the link for the engineer to copy; the log records the failure.
 */
describe('a deep link the system cannot open', () => {
  const newCore = useCores();

  it.each([
    { method: 'anydesk', partnerId: '123456789', url: 'anydesk:123456789' },
    { method: 'teamviewer', partnerId: '987654321', url: 'teamviewer10://control?device=987654321' },
  ])('$method: the result offers the ID and the link, and the session ends failed', async ({ method, partnerId, url }) => {
    const core = newCore({ engineer: 'asha', opener: new FailingOpener(), resolver: new ScriptedResolver({}) });
    const customer = await call<Customer>(core, 'customers.create', customerFields('Acme Telecom'));
    const site = await call<Site>(core, 'sites.create', { customerId: customer.id, fields: { ...siteFields('mumbai-prod'), approvedMethods: ['anydesk', 'teamviewer'] } });
    await call(core, 'hosts.create', { siteId: site.id, fields: hostFields('agent-pc-07', { anydesk: '123456789', teamviewer: '987654321' }) });
    await call(core, 'tickets.open', { siteId: site.id, ref: 'EXO-7', type: 'incident', component: 'acd', impact: {} });

    const result = await call<ConnectResultView>(core, 'launches.open', { siteId: site.id, ticket: 'EXO-7', target: 'agent-pc-07', method });
    expect(result.decision.allowed).toBe(true);
    expect(result.launch).toEqual({ kind: 'link', url, opened: false, partnerId, failure: expect.stringMatching(/is the application for it installed\?/) });

    const { events } = await call<{ events: SessionEventView[] }>(core, 'log.get', { sessionId: result.sessionId });
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([['attempt', 'allowed'], ['ended', 'failed']]);
    expect(events[1]!.detail).toMatchObject({ url, code: 'LAUNCHER_UNAVAILABLE' });
  });
});
