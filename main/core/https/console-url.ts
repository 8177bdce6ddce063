import { checkIpLiteral } from '../../../contract/domain/address';
import { ApiError } from '../../../contract/errors';
import type { Host, PolicyDecision } from '../../../contract/models';

export interface ConsoleUrl {
  /** What the console window loads: the approved IP, never the host's name. */
  url: string;
  /** The console's own origin (scheme, IP and port; port 443 is implied, as URL serialises it). */
  origin: string;
  /** The Host header the browser sends for `url`: the IP (and port unless 443), not the host's name. */
  hostHeader: string;
}

const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

const refuse = (message: string, path: string): never => {
  throw new ApiError('INVALID_INPUT', message, [{ path, message }]);
};

/**
 * The console URL for an allowed HTTPS decision. The browser connects to the IP the policy resolved,
 * so the certificate's name will not match it: the host's pinned SHA-256 is what vouches for it.
 */
export function consoleUrl(host: Host, decision: PolicyDecision): ConsoleUrl {
  const https = host.https;
  if (!https) return refuse(`${host.name} has no HTTPS endpoint configured.`, 'https');
  if (!decision.allowed) return refuse(`The policy did not allow this connection: ${decision.reasons.join('; ')}`, 'decision.allowed');
  if (decision.method !== 'https') return refuse(`The decision is for ${decision.method}, not an HTTPS console.`, 'decision.method');
  if (decision.host !== host.name) return refuse(`The decision is for ${decision.host ?? 'no host'}, not ${host.name}.`, 'decision.host');
  if (!decision.address) return refuse(`The decision for ${host.name} carries no approved address.`, 'decision.address');
  const ip = checkIpLiteral(decision.address);
  if (!ip.ok) return refuse(`The approved address is not an IP: ${ip.reason}.`, 'decision.address');
  if (!Number.isInteger(https.port) || https.port < 1 || https.port > 65535) return refuse(`${host.name}'s HTTPS port ${https.port} is not a TCP port.`, 'https.port');
  const path = https.path ?? '/';
  if (!PATH.test(path) || path.startsWith('//')) return refuse(`${host.name}'s console path "${path}" is not a plain URL path.`, 'https.path');

  const authority = `${ip.ip.kind === 'ipv6' ? `[${ip.ip.value}]` : ip.ip.value}:${https.port}`;
  const parsed = new URL(`https://${authority}${path}`);
  if (parsed.hostname.replace(/^\[|\]$/g, '') !== ip.ip.value || parsed.protocol !== 'https:') {
    return refuse(`The console URL for ${host.name} would not stay on ${ip.ip.value}.`, 'decision.address');
  }
  return { url: parsed.href, origin: parsed.origin, hostHeader: parsed.host };
}
