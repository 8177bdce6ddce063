/** The guide's vocabulary: access methods, functional components, weekdays, support packages. */

export const METHODS = ['ssh', 'https', 'vnc', 'vpn', 'teamviewer', 'anydesk', 'webex', 'teams'] as const;
export type Method = (typeof METHODS)[number];
/** Microsoft Lync's successor is Teams; profile files may still say lync. */
export const METHOD_ALIASES: Readonly<Record<string, Method>> = { lync: 'teams' };

export const METHOD_LABELS: Readonly<Record<Method, string>> = {
  ssh: 'SSH',
  https: 'HTTPS',
  vnc: 'VNC',
  vpn: 'VPN',
  teamviewer: 'TeamViewer',
  anydesk: 'AnyDesk',
  webex: 'Cisco Webex',
  teams: 'Microsoft Teams',
};

export const COMPONENTS = ['acd', 'ivr', 'dialer', 'voice_logger', 'reports'] as const;
export type Component = (typeof COMPONENTS)[number];
export const COMPONENT_LABELS: Readonly<Record<Component, string>> = {
  acd: 'ACD',
  ivr: 'IVR',
  dialer: 'Dialer',
  voice_logger: 'Voice logger',
  reports: 'Reports',
};

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const PACKAGES = ['premium'] as const;
export type SupportPackage = (typeof PACKAGES)[number];

export const VPN_CLIENTS = ['openvpn', 'wireguard', 'openconnect', 'forticlient'] as const;
export type VpnClient = (typeof VPN_CLIENTS)[number];

export const CREDENTIAL_KINDS = ['password', 'private_key'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const NOTE_BODY_MAX_BYTES = 256 * 1024;
export const NOTE_TITLE_MAX = 200;
