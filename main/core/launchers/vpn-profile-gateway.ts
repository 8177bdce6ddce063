/**
 * The profile a VPN client is started with, with its gateway forced to the IP the policy approved:
 * every OpenVPN `remote` line names that IP (keeping its port and protocol), WireGuard's one
 * Endpoint becomes IP:port. openconnect and openfortivpn take the gateway on their command line
 * (vpn.ts), so their profile is used as it is. Pure: text in, text out.
 */
import { checkAddress } from '../../../contract/domain/address';
import type { VpnClient } from '../../../contract/domain/vocabulary';
import { ApiError } from '../../../contract/errors';
import { readVpnProfile, type ProfileEndpoint } from './vpn-profile-rules';

export interface ForcedProfile {
  text: string;
  /** What the client connects to, as a person reads it: "203.0.113.7 port 1194 (udp)". */
  gateway: string;
  /** The gateway(s) the original file named, for the log ("vpn.acme.example"). */
  named: string[];
}

function checkIp(ip: string): 'ipv4' | 'ipv6' {
  const result = checkAddress(ip);
  if (!result.ok || result.address.kind === 'dns' || result.address.value !== ip) {
    throw new ApiError('INTERNAL', `The approved VPN gateway must be an IP address, not ${JSON.stringify(ip)}.`);
  }
  return result.address.kind;
}

function describe(ip: string, endpoint: ProfileEndpoint | undefined, defaultPort: string): string {
  const port = endpoint?.port !== undefined ? `port ${endpoint.port}` : defaultPort;
  return `${ip} ${port}${endpoint?.proto ? ` (${endpoint.proto})` : ''}`;
}

export function forceVpnGateway(client: VpnClient, text: string, ip: string): ForcedProfile {
  const kind = checkIp(ip);
  if (client === 'openconnect' || client === 'forticlient') return { text, gateway: ip, named: [] };
  const reading = readVpnProfile(client, text);
  if (reading.problems.length > 0) {
    const first = reading.problems[0]!;
    throw new ApiError('INVALID_INPUT', `The stored VPN profile is not acceptable (line ${first.line}: ${first.message}); set the profile again.`);
  }
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const byLine = new Map(reading.endpoints.map((e) => [e.line, e]));
  const named = [...new Set(reading.endpoints.map((e) => e.host))];
  if (client === 'openvpn') {
    const out = lines.map((line, i) => {
      const endpoint = byLine.get(i + 1);
      return endpoint ? ['remote', ip, ...(endpoint.port !== undefined ? [String(endpoint.port)] : []), ...(endpoint.proto ? [endpoint.proto] : [])].join(' ') : line;
    });
    if (reading.endpoints.length === 0) {
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      out.splice(out.length - 1, 0, `remote ${ip}`);
    }
    const shown = reading.endpoints.length === 0 ? [describe(ip, undefined, 'on the profile\'s port')] : [...new Set(reading.endpoints.map((e) => describe(ip, e, 'on the profile\'s port')))];
    return { text: out.join('\n'), gateway: shown.join(', '), named };
  }
  const endpoint = reading.endpoints[0]!;
  const hostPort = `${kind === 'ipv6' ? `[${ip}]` : ip}:${endpoint.port}`;
  const out = lines.map((line, i) => (i + 1 === endpoint.line ? `Endpoint = ${hostPort}` : line));
  return { text: out.join('\n'), gateway: hostPort, named };
}
