import type { VpnClient } from '../../../contract/domain/vocabulary';
import { ApiError, type FieldIssue } from '../../../contract/errors';
import type { CheckedProfile, VpnProfileStore } from '../launchers/vpn-profile-store';
import { createHost, type HostInput } from './hosts';
import type { Db } from '../store/database';
import type { SiteInput } from './sites';

type VpnInput = NonNullable<SiteInput['vpn']>;

interface VpnRow { client: VpnClient; profile_path: string; profile_sha256: string | null }

/**
 * Sets (or clears) a site's VPN profile. A new or changed profile file is read, refused if it has
 * hooks (naming the line), and kept as Switchboard's own copy under its SHA-256 — sessions use that
 * copy. The same file and client as before keep the copy already checked (while it exists), so
 * editing a site's other fields does not need the original file any more. The gateway must be a
 * host of the site.
 */
export function setSiteVpn(db: Db, profiles: VpnProfileStore, siteId: number, vpn: SiteInput['vpn'], prechecked?: CheckedProfile): void {
  if (!vpn) {
    db.prepare('DELETE FROM vpn_profiles WHERE site_id = ?').run(siteId);
    return;
  }
  const gateway = db.prepare('SELECT 1 FROM hosts WHERE site_id = ? AND name = ? AND deleted_at IS NULL').get(siteId, vpn.gateway);
  if (!gateway) {
    throw new ApiError('INVALID_INPUT', `The VPN gateway "${vpn.gateway}" is not a host of this site; add the host first (or create the site with its gateway).`, [
      { path: 'vpn.gateway', message: `"${vpn.gateway}" is not a host of this site` },
    ]);
  }
  const current = db.prepare('SELECT client, profile_path, profile_sha256 FROM vpn_profiles WHERE site_id = ?').get(siteId) as VpnRow | undefined;
  const unchanged = current?.profile_sha256 && current.client === vpn.client && current.profile_path === vpn.profile && profiles.has(vpn.client, current.profile_sha256);
  const sha256 = unchanged ? current.profile_sha256! : keepProfile(profiles, prechecked ?? withPath('vpn.profile', () => profiles.check(vpn.client, vpn.profile)));
  db.prepare(
    `INSERT INTO vpn_profiles (site_id, client, profile_path, gateway_host, profile_sha256) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (site_id) DO UPDATE SET client = excluded.client, profile_path = excluded.profile_path,
       gateway_host = excluded.gateway_host, profile_sha256 = excluded.profile_sha256`,
  ).run(siteId, vpn.client, vpn.profile, vpn.gateway, sha256);
}

/**
 * A new site's VPN gateway, created as its first host in the site's own transaction, so a site with
 * a VPN can be made in one step. It is an ordinary trusted host: the policy checks it as any other.
 */
export function createSiteGateway(db: Db, siteId: number, vpnGateway: string | undefined, host: HostInput): number {
  if (!vpnGateway) {
    throw new ApiError('INVALID_INPUT', 'A gateway host is created only together with the VPN profile that names it; turn on the VPN profile or leave the gateway out.', [
      { path: 'gatewayHost', message: 'no VPN profile names this gateway' },
    ]);
  }
  if (host.name !== vpnGateway) {
    throw new ApiError('INVALID_INPUT', `The new gateway host is named "${host.name}", but the VPN profile names "${vpnGateway}"; use one name for both.`, [
      { path: 'gatewayHost.name', message: `the VPN profile names "${vpnGateway}"` },
    ]);
  }
  return createHost(db, siteId, host);
}

function keepProfile(profiles: VpnProfileStore, checked: CheckedProfile): string {
  profiles.keep(checked);
  return checked.sha256;
}

/** Re-labels a profile refusal with the form field (or import path) it belongs to. */
function withPath<T>(at: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'INVALID_INPUT') throw error;
    throw new ApiError('INVALID_INPUT', error.message, [{ path: at, message: error.message }]);
  }
}

/**
 * Checks every VPN profile an import names before anything is written, so a refused one leaves
 * the data dir as it was: one issue per refused profile, at its place in the import file, and the
 * checked profiles (in the order given) for the import to keep without reading them again.
 */
export function checkImportedVpnProfiles(
  profiles: VpnProfileStore, sites: { at: (string | number)[]; vpn: VpnInput }[], issueAt: (at: (string | number)[], message: string) => FieldIssue,
): { issues: FieldIssue[]; checked: (CheckedProfile | null)[] } {
  const issues: FieldIssue[] = [];
  const checked = sites.map(({ at, vpn }) => {
    try {
      return profiles.check(vpn.client, vpn.profile);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      issues.push(issueAt([...at, 'vpn', 'profile'], error.message));
      return null;
    }
  });
  return { issues, checked };
}
