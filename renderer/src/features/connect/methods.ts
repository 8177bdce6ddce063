import type { Host, Site } from '../../../../contract/models';
import { METHODS, type Method } from '../../../../contract/domain/vocabulary';

export const MEETING_METHODS: readonly Method[] = ['webex', 'teams'];
export const isMeeting = (m: Method | null | undefined): boolean => m === 'webex' || m === 'teams';

/** The ways this host can be reached, as its record configures them. */
export function hostMethods(site: Site, host: Host): Method[] {
  const out: Method[] = [];
  if (host.ssh) out.push('ssh');
  if (host.https) out.push('https');
  if (host.vnc) out.push('vnc');
  if (site.vpn?.gateway === host.name) out.push('vpn');
  if (host.anydesk) out.push('anydesk');
  if (host.teamviewer) out.push('teamviewer');
  return out;
}

/** Every method, the site's approved ones first (others need a recorded exception). */
export function methodsFor(site: Site, host?: Host): Method[] {
  if (host) return hostMethods(site, host);
  return [...site.approvedMethods, ...METHODS.filter((m) => !site.approvedMethods.includes(m))];
}
