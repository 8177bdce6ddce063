import net from 'node:net';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../../contract/errors';
import type { Host } from '../../../contract/models';
import type { Credentials } from '../credentials/credentials';
import type { AccessPolicy } from '../services/access-policy';
import type { ConnectionRequest } from '../policy/authorize';
import { authMethods, jumpChain } from '../sessions/ssh-session';
import { SshConnection, type SshHop } from '../ssh/ssh-connection';
import type { Db } from '../store/database';

export interface VncTransportDeps { db: Db; credentials: Credentials; policy: AccessPolicy; connectTimeoutMs?: number }

/** The byte stream to a VNC server, and what closes everything under it (the jump host's SSH too). */
export interface VncTransport { stream: Duplex; close(): void; jump: { host: string; address: string; port: number } | null }

const NET_WORDS: Record<string, string> = {
  ECONNREFUSED: 'refused the connection (nothing listens on that port, or a firewall rejects it)',
  EHOSTUNREACH: 'is unreachable (no route to the host)',
  ENETUNREACH: 'is unreachable (no route to its network)',
  ETIMEDOUT: 'did not answer in time',
  ECONNRESET: 'reset the connection',
};

/** Plain TCP to the approved IP; a failure says which host and what happened, in words. */
export function connectTcp(address: string, port: number, label: string, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const fail = (error: NodeJS.ErrnoException) => {
      socket.destroy();
      const words = NET_WORDS[error.code ?? ''] ?? `failed (${error.message})`;
      reject(new ApiError('VNC_HANDSHAKE_FAILED', `${label} ${words}.`));
    };
    socket.setTimeout(timeoutMs, () => fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.removeListener('error', fail);
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

/**
 * The stream to the target's VNC port at the IP the policy approved: straight from this machine, or
 * through the endpoint's SSH jump host (and that host's own jumps), each hop decided by the policy too
 * and verified by its pinned host key. Nothing listens anywhere: the jump host opens the TCP stream.
 */
export async function openVncTransport(
  deps: VncTransportDeps, request: Omit<ConnectionRequest, 'engineer' | 'method'>, hosts: Host[], target: Host, address: string,
): Promise<VncTransport> {
  const vnc = target.vnc!;
  const label = `${target.name} (${address.includes(':') ? `[${address}]` : address}:${vnc.port})`;
  const timeoutMs = deps.connectTimeoutMs ?? 20_000;
  if (!vnc.jump) {
    const socket = await connectTcp(address, vnc.port, label, timeoutMs);
    return { stream: socket, close: () => socket.destroy(), jump: null };
  }
  const hops = await jumpHops(deps, request, hosts, target);
  const connection = await SshConnection.open({ hops, readyTimeoutMs: timeoutMs });
  try {
    const stream = await connection.tunnel(address, vnc.port);
    const last = hops[hops.length - 1]!;
    return { stream, close: () => connection.close(), jump: { host: last.host, address: last.address, port: last.port } };
  } catch (error) {
    connection.close();
    throw error;
  }
}

/** The SSH hops to the target's VNC jump host (its own jumps first), each decided by the policy and pinned. */
async function jumpHops(deps: VncTransportDeps, request: Omit<ConnectionRequest, 'engineer' | 'method'>, hosts: Host[], target: Host): Promise<SshHop[]> {
  const jumpHost = hosts.find((h) => h.name === target.vnc!.jump);
  if (!jumpHost?.ssh) throw new ApiError('INVALID_INPUT', `${target.name}'s VNC jump host "${target.vnc!.jump}" is not a host of this site with an SSH endpoint.`);
  const hops: SshHop[] = [];
  for (const host of [...jumpChain(hosts, jumpHost), jumpHost]) {
    // The viewer has no host-key dialog: a jump host is used only once its key is pinned.
    if (!host.ssh!.hostKey) {
      throw new ApiError('INVALID_INPUT', `The jump host ${host.name} has no pinned SSH host key yet. Open an SSH terminal to ${host.name} once and confirm its key, then connect VNC again.`);
    }
    const decision = await deps.policy.check({ ...request, target: host.name, method: 'ssh' });
    if (!decision.allowed) throw new ApiError('INVALID_INPUT', `Jump host ${host.name} is refused: ${decision.reasons.join(' ')}`);
    hops.push({
      host: host.name, address: decision.address!, port: host.ssh!.port, username: host.ssh!.user ?? os.userInfo().username,
      auth: authMethods(deps, host, { confirmHostKey: async () => false }),
      hostKey: { pinned: host.ssh!.hostKey, confirmNew: async () => false },
    });
  }
  return hops;
}

/** The jump host the plan shows (decided, not connected), or null for a direct connection. */
export async function decideVncJump(
  deps: VncTransportDeps, request: Omit<ConnectionRequest, 'engineer' | 'method'>, hosts: Host[], target: Host,
): Promise<VncTransport['jump']> {
  if (!target.vnc!.jump) return null;
  const last = (await jumpHops(deps, request, hosts, target)).at(-1)!;
  return { host: last.host, address: last.address, port: last.port };
}
