import { describe, expect, it } from 'vitest';
import { describeForwardPorts, forwardPortsOf } from '../../contract/domain/forward-ports';

/** Which ports of a host a local forward may reach, and under which method the policy checks it. */
describe('forwardPortsOf', () => {
  const DB = ['5432 database ssh', '3306 database ssh', '1433 database ssh', '1521 database ssh'];
  it.each([
    { what: 'no endpoints', host: {}, ports: [] },
    { what: 'an HTTPS console only', host: { https: { port: 8443 } }, ports: ['8443 https https'] },
    { what: 'SSH only: its port and the database ports', host: { ssh: { port: 22 } }, ports: ['22 ssh ssh', ...DB] },
    { what: 'both: HTTPS console first', host: { https: { port: 443 }, ssh: { port: 2222 } }, ports: ['443 https https', '2222 ssh ssh', ...DB] },
    { what: 'an SSH port on a database port is listed once, as SSH', host: { ssh: { port: 5432 } }, ports: ['5432 ssh ssh', ...DB.slice(1)] },
    { what: 'an HTTPS console on the SSH port is listed once, as HTTPS', host: { https: { port: 22 }, ssh: { port: 22 } }, ports: ['22 https https', ...DB] },
  ])('$what', ({ host, ports }) => {
    expect(forwardPortsOf(host).map((p) => `${p.port} ${p.kind} ${p.method}`)).toEqual(ports);
  });

  it('names what a host offers in a refusal', () => {
    expect(describeForwardPorts('web01', forwardPortsOf({ https: { port: 443 } }))).toBe('web01 can be forwarded to on 443 (HTTPS console).');
    expect(describeForwardPorts('pbx01', [])).toBe('pbx01 has no SSH or HTTPS endpoint, so nothing on it can be forwarded to.');
  });
});
