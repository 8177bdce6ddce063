import { checkAddress } from '../../../contract/domain/address';
import type { Method } from '../../../contract/domain/vocabulary';
import { METHOD_LABELS } from '../../../contract/domain/vocabulary';
import type { Host, PolicyDecision, Site } from '../../../contract/models';
import { getSite } from '../directory/sites';
import { anydeskLink, meetingLink, teamviewerLink } from '../launchers/deep-links';
import type { Db } from '../store/database';
import { findTicketIdByRef, getTicket } from '../tickets/tickets';
import type { ActiveApproval } from '../approvals/exception-approvals';
import type { AddressResolver } from './resolver';
import { checkResolvedAddresses, matchTarget } from './target';

export interface ConnectionRequest {
  engineer: string;
  ticket: string;
  siteId: number;
  target: string;
  method: Method;
  presenterConfirmed?: boolean;
}

/** Lead-signed exceptions in force (absent: none are honoured). */
export interface ExceptionSource { active(siteId: number, method: Method, now: Date): ActiveApproval[] }

export interface PolicyDeps { db: Db; resolver: AddressResolver; now: () => Date; approvals?: ExceptionSource }

/** A failed rule; any other error thrown while deciding is a denial too (deny by default). */
class Denied extends Error {}
const deny = (reason: string): never => {
  throw new Denied(reason);
};

const ADDRESS_METHODS: ReadonlySet<Method> = new Set(['ssh', 'https', 'vnc', 'vpn']);

function endpointReason(site: Site, host: Host, method: Method): string {
  switch (method) {
    case 'ssh': return host.ssh ? `${host.name} has an SSH endpoint (port ${host.ssh.port})` : deny(`${host.name} has no SSH endpoint configured.`);
    case 'https': return host.https ? `${host.name} has an HTTPS console (port ${host.https.port})` : deny(`${host.name} has no HTTPS endpoint configured.`);
    case 'vnc': return host.vnc ? `${host.name} has a VNC endpoint (port ${host.vnc.port})` : deny(`${host.name} has no VNC endpoint configured.`);
    case 'vpn':
      if (!site.vpn) return deny(`${site.customerName}/${site.name} has no VPN profile.`);
      return site.vpn.gateway === host.name ? `${host.name} is the site's VPN gateway` : deny(`${host.name} is not the site's VPN gateway (${site.vpn.gateway} is).`);
    case 'teamviewer':
      if (!host.teamviewer) return deny(`${host.name} has no TeamViewer ID on record.`);
      teamviewerLink(host.teamviewer);
      return `${host.name} has TeamViewer ID ${host.teamviewer}`;
    case 'anydesk':
      if (!host.anydesk) return deny(`${host.name} has no AnyDesk ID on record.`);
      anydeskLink(host.anydesk);
      return `${host.name} has AnyDesk ID ${host.anydesk}`;
    default:
      return deny(`${METHOD_LABELS[method]} does not connect to a host.`);
  }
}

/**
 * The one decision for every connection. Deny by default: each rule must pass, in order, and the
 * first that fails is the reason given. An allowed address-based decision carries the IP the name
 * resolved to now; the session connects to that IP and never looks the name up again.
 */
export async function authorizeConnection(request: ConnectionRequest, deps: PolicyDeps): Promise<PolicyDecision> {
  const reasons: string[] = [];
  const decision: PolicyDecision = { allowed: false, reasons, address: null, host: null, target: request.target, method: request.method, ticketId: null, site: null };
  try {
    let site: Site;
    try {
      site = getSite(deps.db, request.siteId);
    } catch {
      return deny(`Site #${request.siteId} does not exist.`);
    }
    decision.site = `${site.customerName}/${site.name}`;

    const ticketId = findTicketIdByRef(deps.db, request.ticket);
    if (ticketId === undefined) deny(`There is no ticket "${request.ticket}". Open it first: no session without a ticket.`);
    const ticket = getTicket(deps.db, ticketId!, deps.now());
    decision.ticketId = ticket.id;
    if (ticket.siteId !== site.id) deny(`Ticket ${ticket.ref} belongs to ${ticket.customerName}/${ticket.siteName}, not ${decision.site}.`);
    if (ticket.status !== 'open') deny(`Ticket ${ticket.ref} is ${ticket.status}; reopen it to connect.`);
    reasons.push(`Ticket ${ticket.ref} is open for ${decision.site}`);

    const label = METHOD_LABELS[request.method];
    let exceptions: ActiveApproval[] | null = null;
    if (site.approvedMethods.includes(request.method)) {
      reasons.push(`${label} is approved for ${decision.site}`);
    } else {
      exceptions = deps.approvals?.active(site.id, request.method, deps.now()) ?? [];
      if (exceptions.length === 0) deny(`${label} is not approved for ${decision.site}, and there is no exception approval for it signed by a lead of the team roster and still valid.`);
    }
    const allowException = (host: string | null) => {
      if (!exceptions) return;
      const approval = exceptions.find((a) => a.host === null || a.host === host);
      if (!approval) return deny(`${label} is not approved for ${decision.site}; its exception approval covers only ${[...new Set(exceptions.map((a) => a.host))].join(', ')}, not ${host ?? 'a meeting link'}.`);
      decision.approval = {
        id: approval.id, approvedBy: approval.lead.name, leadFingerprint: approval.lead.fingerprint, ticket: approval.ticket, host: approval.host,
        reason: approval.reason, validUntil: approval.validUntil, sha256: approval.sha256,
      };
      reasons.push(`${label} is allowed by an exception signed by ${approval.lead.name} (${approval.lead.fingerprint}) until ${approval.validUntil}${approval.host ? ` for ${approval.host}` : ''} (${approval.reason}; approval ${approval.id})`);
    };

    if (request.method === 'webex' || request.method === 'teams') {
      allowException(null);
      meetingLink(request.method, request.target);
      reasons.push(`The meeting link is on ${label}'s own https domain`);
      if (!request.presenterConfirmed) deny(`Confirm that the customer is presenting before joining a ${label} meeting.`);
      reasons.push('The engineer confirmed that the customer is presenting');
      decision.allowed = true;
      return decision;
    }

    const match = matchTarget(site.hosts, request.target);
    if (!match.ok) return deny(match.reason);
    const host = match.host;
    decision.host = host.name;
    allowException(host.name);
    reasons.push(match.how, endpointReason(site, host, request.method));

    if (ADDRESS_METHODS.has(request.method)) {
      if (!host.address) deny(`${host.name} has no address on record.`);
      const literal = checkAddress(host.address!);
      const isLiteral = literal.ok && literal.address.kind !== 'dns';
      const answers = isLiteral
        ? [literal.address.value]
        : await deps.resolver.resolve(host.address!).catch((error: Error) => deny(`${host.address} could not be resolved: ${error.message}`));
      const resolved = checkResolvedAddresses(host, answers, !isLiteral);
      if (!resolved.ok) deny(resolved.reason);
      if (resolved.ok) {
        decision.address = resolved.address;
        reasons.push(resolved.reason);
      }
    }
    decision.allowed = true;
    return decision;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    decision.allowed = false;
    decision.address = null;
    decision.reasons = [error.message];
    return decision;
  }
}
