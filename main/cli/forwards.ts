import type { Core, ForwardRequest, SshSession } from '../core';
import { UsageError } from './errors';

const SPEC = /^(?:(\d{1,5}):)?([A-Za-z0-9][A-Za-z0-9._-]{0,62}):(\d{1,5})$/;

/** `--forward [LOCALPORT:]HOST:PORT`, repeatable: HOST is a host name of the site, as in its profile. */
export function parseForwardSpecs(specs: readonly string[] | undefined): ForwardRequest[] {
  return (specs ?? []).map((spec) => {
    const match = SPEC.exec(spec);
    if (!match) throw new UsageError(`--forward ${spec}: expected [LOCALPORT:]HOST:PORT, e.g. --forward web01:443 or --forward 8443:web01:443`);
    const [, local, host, port] = match;
    const remotePort = Number(port);
    if (remotePort < 1 || remotePort > 65535) throw new UsageError(`--forward ${spec}: ${port} is not a TCP port`);
    if (local === undefined) return { host: host!, port: remotePort };
    const localPort = Number(local);
    if (localPort < 1024 || localPort > 65535) throw new UsageError(`--forward ${spec}: pick a local port from 1024 to 65535, or leave it out for a free one`);
    return { host: host!, port: remotePort, localPort };
  });
}

/**
 * Opens each forward through the session (same policy and log as the window's) and prints where it
 * listens. Resolves with null, or why one was refused: the caller then ends the session rather than
 * run without a forward the engineer asked for.
 */
export async function openCliForwards(core: Core, sessionId: string, session: SshSession, requests: readonly ForwardRequest[]): Promise<string | null> {
  for (const request of requests) {
    let opened: Awaited<ReturnType<Core['forwards']['open']>>;
    try {
      opened = await core.forwards.open({ sessionId, connection: session.connection }, request);
    } catch (error) {
      return `forward to ${request.host}:${request.port} failed (logged): ${(error as Error).message}`;
    }
    const { decision, forward } = opened;
    if (!forward) return `forward to ${request.host}:${request.port} denied (logged):\n${decision.reasons.map((r) => `  ${r}`).join('\n')}`;
    process.stderr.write(`Forwarding ${forward.localAddress}:${forward.localPort} → ${forward.host}:${forward.port} (${forward.address}, ${forward.label}) until the session ends.\n`);
  }
  return null;
}
