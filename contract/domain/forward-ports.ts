/**
 * Which ports of a trusted host an SSH local forward may lead to, and under which access method the
 * policy checks the host. The window offers exactly these; the core refuses anything else.
 *
 * - the host's HTTPS console port: checked as HTTPS (the method must be approved for the site);
 * - the host's SSH port: checked as SSH;
 * - a well-known database port on a host with an SSH endpoint: checked as SSH. A site's databases
 *   (ameyodb, reportsdb) live on its servers, which engineers already reach over SSH; the list is
 *   fixed so a forward can never be aimed at an arbitrary service.
 */
import type { Method } from './vocabulary';

export const FORWARD_DATABASE_PORTS: readonly { port: number; label: string }[] = [
  { port: 5432, label: 'PostgreSQL' },
  { port: 3306, label: 'MySQL / MariaDB' },
  { port: 1433, label: 'SQL Server' },
  { port: 1521, label: 'Oracle' },
];

export type ForwardKind = 'https' | 'ssh' | 'database';

export interface ForwardPort { port: number; kind: ForwardKind; label: string; method: Extract<Method, 'https' | 'ssh'> }

interface ForwardableHost { ssh?: { port: number } | undefined; https?: { port: number } | undefined }

/** The ports a forward may reach on `host`, in the order the window lists them (one entry per port). */
export function forwardPortsOf(host: ForwardableHost): ForwardPort[] {
  const ports: ForwardPort[] = [];
  const add = (entry: ForwardPort) => {
    if (!ports.some((p) => p.port === entry.port)) ports.push(entry);
  };
  if (host.https) add({ port: host.https.port, kind: 'https', label: 'HTTPS console', method: 'https' });
  if (host.ssh) {
    add({ port: host.ssh.port, kind: 'ssh', label: 'SSH', method: 'ssh' });
    for (const db of FORWARD_DATABASE_PORTS) add({ port: db.port, kind: 'database', label: db.label, method: 'ssh' });
  }
  return ports;
}

/** A sentence naming what `host` does offer, for a refusal. */
export function describeForwardPorts(hostName: string, ports: readonly ForwardPort[]): string {
  if (ports.length === 0) return `${hostName} has no SSH or HTTPS endpoint, so nothing on it can be forwarded to.`;
  return `${hostName} can be forwarded to on ${ports.map((p) => `${p.port} (${p.label})`).join(', ')}.`;
}
