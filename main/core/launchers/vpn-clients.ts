/** Which program each VPN client kind runs, and how to install it (Debian/Ubuntu package names). */
import type { VpnClient } from '../../../contract/domain/vocabulary';

export type { VpnClient };

export interface VpnClientProgram {
  /** Executable name looked up on PATH. */
  file: string;
  /** Install hint shown when the executable is missing. */
  install: string;
}

export const VPN_CLIENT_PROGRAMS: Readonly<Record<VpnClient, VpnClientProgram>> = Object.freeze({
  openvpn: { file: 'openvpn', install: 'apt-get install openvpn' },
  wireguard: { file: 'wg-quick', install: 'apt-get install wireguard-tools' },
  openconnect: { file: 'openconnect', install: 'apt-get install openconnect' },
  // FortiClient's own Linux CLI only connects named profiles stored in its GUI, not a profile file;
  // openfortivpn speaks the same FortiGate SSL-VPN protocol and takes a config file and a gateway.
  forticlient: { file: 'openfortivpn', install: 'apt-get install openfortivpn' },
});

export function programForFile(file: string): VpnClientProgram | undefined {
  return Object.values(VPN_CLIENT_PROGRAMS).find((program) => program.file === file);
}
