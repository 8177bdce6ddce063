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
/** The VNC clipboard rule: nothing crosses, the server's clipboard reaches the engineer, or both ways. */
export const VNC_CLIPBOARD = ['off', 'to-engineer', 'both'] as const;
export type VncClipboard = (typeof VNC_CLIPBOARD)[number];
export type VpnClient = (typeof VPN_CLIENTS)[number];

export const CREDENTIAL_KINDS = ['password', 'private_key'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const NOTE_BODY_MAX_BYTES = 256 * 1024;
export const NOTE_TITLE_MAX = 200;

export const SEVERITIES = ['critical', 'major', 'minor'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TICKET_TYPES = ['incident', 'change'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/** What a fault was traced to; only the software's own faults run the turnaround clock. */
export const TICKET_CAUSES = ['unknown', 'software', 'client_hardware_connectivity', 'third_party'] as const;
export type TicketCause = (typeof TICKET_CAUSES)[number];
export const CAUSE_LABELS: Readonly<Record<TicketCause, string>> = {
  unknown: 'Not yet known',
  software: 'Contact-center software',
  client_hardware_connectivity: "Client's hardware or connectivity",
  third_party: 'Third-party application',
};

export const SUPPORT_LEVELS = ['L1', 'L2', 'L3'] as const;
export type SupportLevel = (typeof SUPPORT_LEVELS)[number];

export const TICKET_STATUSES = ['open', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** A ticket may concern a component outside the guide's major ones; its severity is then minor. */
export const TICKET_COMPONENTS = [...COMPONENTS, 'other'] as const;
export type TicketComponent = (typeof TICKET_COMPONENTS)[number];
