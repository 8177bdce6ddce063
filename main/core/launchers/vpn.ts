/**
 * VPN launch commands: the installed client with an argument list, never a shell. Every value that
 * becomes an argument is checked here so it can only ever be read as the thing it claims to be: the
 * profile is an absolute path to an existing regular file, the gateway a canonical address.
 *
 *   openvpn      openvpn --config <profile>
 *   wireguard    wg-quick up <profile.conf>   (disconnect: wg-quick down <profile.conf>)
 *   openconnect  openconnect --config <profile> <gateway>
 *   forticlient  openfortivpn --config <profile> <gateway>
 *
 * openvpn and wg-quick take the gateway from the profile itself (`remote` / `Endpoint`); the gateway
 * is still validated so a session cannot start with an untrusted or malformed one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkAddress } from '../../../contract/domain/address';
import { VPN_CLIENTS } from '../../../contract/domain/vocabulary';
import { ApiError } from '../../../contract/errors';
import { findExecutable } from '../system/find-executable';
import { VPN_CLIENT_PROGRAMS, type VpnClient } from './vpn-clients';

export type { VpnClient };
export { VpnProcess, type VpnExit, type VpnStartOptions } from './vpn-process';

export interface VpnCommand {
  file: string;
  args: string[];
  /** Undoes a client that configures the tunnel and exits (wg-quick down); run by VpnProcess.disconnect(). */
  teardown?: { file: string; args: string[] };
}

const WG_INTERFACE = /^[a-zA-Z0-9_=+.-]{1,15}$/;

function invalid(message: string): never {
  throw new ApiError('INVALID_INPUT', message);
}

function checkClient(client: VpnClient): void {
  if (typeof client !== 'string' || !(VPN_CLIENTS as readonly string[]).includes(client)) {
    invalid(`${JSON.stringify(String(client))} is not a VPN client; use one of ${VPN_CLIENTS.join(', ')}`);
  }
}

/** An absolute path to an existing regular file that cannot be mistaken for an option. */
export function checkProfilePath(profilePath: string): string {
  if (typeof profilePath !== 'string' || profilePath.length === 0) invalid('a VPN profile path is required');
  const shown = JSON.stringify(profilePath);
  if (/[\u0000-\u001f\u007f]/.test(profilePath)) invalid(`VPN profile path ${shown} contains a NUL, newline or other control character`);
  if (profilePath.startsWith('-')) invalid(`VPN profile path ${shown} starts with "-" and would be read as an option`);
  if (!path.isAbsolute(profilePath)) invalid(`VPN profile path ${shown} is not absolute; resolve it against the profile file first`);
  if (path.basename(profilePath).startsWith('-')) invalid(`VPN profile file name ${shown} starts with "-"; rename the file`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(profilePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    invalid(code === 'ENOENT' || code === 'ENOTDIR' ? `VPN profile ${shown} does not exist` : `VPN profile ${shown} cannot be read (${code ?? 'error'})`);
  }
  if (stat.isDirectory()) invalid(`VPN profile ${shown} is a directory, not a file`);
  if (!stat.isFile()) invalid(`VPN profile ${shown} is not a regular file`);
  return profilePath;
}

function checkGateway(gatewayAddress: string): { value: string; kind: 'ipv4' | 'ipv6' | 'dns' } {
  if (typeof gatewayAddress !== 'string') invalid('a VPN gateway address is required');
  const result = checkAddress(gatewayAddress);
  if (!result.ok) invalid(`VPN gateway: ${result.reason}`);
  if (result.address.value !== gatewayAddress) {
    invalid(`VPN gateway ${JSON.stringify(gatewayAddress)} is not in canonical form; write it as ${result.address.value}`);
  }
  if (result.address.value.startsWith('-')) invalid(`VPN gateway ${JSON.stringify(gatewayAddress)} starts with "-"`);
  return result.address;
}

export function vpnCommand(client: VpnClient, profilePath: string, gatewayAddress: string): VpnCommand {
  checkClient(client);
  const profile = checkProfilePath(profilePath);
  const gateway = checkGateway(gatewayAddress);
  const file = VPN_CLIENT_PROGRAMS[client].file;
  switch (client) {
    case 'openvpn':
      return { file, args: ['--config', profile] };
    case 'wireguard': {
      const base = path.basename(profile);
      if (!base.endsWith('.conf')) invalid(`a WireGuard profile must be a file ending in ".conf" (wg-quick requires it), not ${JSON.stringify(base)}`);
      if (!WG_INTERFACE.test(base.slice(0, -'.conf'.length))) {
        invalid(`WireGuard names the interface after the file: ${JSON.stringify(base)} must be 1–15 letters, digits, "_=+.-" before ".conf"`);
      }
      return { file, args: ['up', profile], teardown: { file, args: ['down', profile] } };
    }
    case 'openconnect':
      return { file, args: ['--config', profile, gateway.kind === 'ipv6' ? `[${gateway.value}]` : gateway.value] };
    case 'forticlient':
      if (gateway.kind === 'ipv6') invalid('openfortivpn does not accept an IPv6 gateway on its command line; use a DNS name or an IPv4 address');
      return { file, args: ['--config', profile, gateway.value] };
  }
}

/** Full path of the client's program on PATH (or `envPath`), or null when it is not installed. */
export function findVpnClient(client: VpnClient, envPath?: string): string | null {
  checkClient(client);
  return findExecutable(VPN_CLIENT_PROGRAMS[client].file, envPath);
}
