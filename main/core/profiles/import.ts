import { ApiError, type FieldIssue } from '../../../contract/errors';
import type { ImportSummary } from '../../../contract/models';
import { createCustomer, findCustomerIdByName } from '../directory/customers';
import { rememberedPin } from '../directory/host-key-pin-store';
import { createHost } from '../directory/hosts';
import { createSite } from '../directory/sites';
import { checkImportedVpnProfiles, setSiteVpn } from '../directory/site-vpn';
import type { VpnProfileStore } from '../launchers/vpn-profile-store';
import { createNote } from '../notes/notes';
import type { Db } from '../store/database';
import { profileIssue } from './parse';
import type { ProfileFile, ProfileHost } from './schema';

export function toHostInput(host: ProfileHost) {
  return {
    name: host.name,
    address: host.address,
    allow: host.allow,
    role: host.role,
    ssh: host.ssh && { port: host.ssh.port, user: host.ssh.user, hostKey: host.ssh.host_key, credential: host.ssh.credential, agent: host.ssh.agent, jump: host.ssh.jump },
    https: host.https && { port: host.https.port, path: host.https.path, certSha256: host.https.cert_sha256 },
    vnc: host.vnc && {
      port: host.vnc.port, credential: host.vnc.credential, viewOnly: host.vnc.view_only, jump: host.vnc.jump, clipboard: host.vnc.clipboard, tlsCertSha256: host.vnc.tls_cert_sha256,
    },
    anydesk: host.anydesk,
    teamviewer: host.teamviewer,
  };
}

/**
 * A host in the trash keeps its pinned SSH key, and importing it again takes the pin over
 * (directory/hosts.ts). A file naming a different key for it would be a silent swap, so the import
 * is refused, naming the host and both fingerprints; replacing a pin is `switchboard hosts repin`.
 */
function refusePinChanges(db: Db, file: ProfileFile): void {
  const issues: FieldIssue[] = [];
  file.customers.forEach((customer, ci) => customer.sites.forEach((site, si) => site.hosts.forEach((host, hi) => {
    const offered = host.ssh?.host_key;
    const pinned = offered && rememberedPin(db, customer.name, site.name, host.name);
    if (!pinned || pinned.fingerprint === offered) return;
    issues.push(profileIssue(file, ['customers', ci, 'sites', si, 'hosts', hi, 'ssh', 'host_key'],
      `${pinned.label} is pinned to ${pinned.fingerprint} (kept from its copy in the trash), but the file names ${offered}`));
  })));
  if (issues.length === 0) return;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new ApiError(
    'PROFILE_INVALID',
    `${issues[0]!.message}${more}. A pin is not changed by an import: leave host_key out to keep the pin, then replace it with \`switchboard hosts repin\` `
      + '(a ticket and a reason, recorded in the session log). Nothing was imported.',
    issues,
  );
}

/**
 * All or nothing: one transaction, and a name clash with what is already stored or a VPN profile
 * with hooks stops it before any write. Each VPN profile is kept as a checked copy in the data dir.
 */
export function importProfile(db: Db, file: ProfileFile, vpnProfiles: VpnProfileStore): ImportSummary & { customerIds: number[] } {
  const clashes: FieldIssue[] = file.customers.flatMap((c, i) =>
    findCustomerIdByName(db, c.name) === undefined ? [] : [profileIssue(file, ['customers', i, 'name'], `a customer named "${c.name}" already exists here`)],
  );
  if (clashes.length > 0) {
    throw new ApiError('PROFILE_INVALID', `${clashes[0]!.message}; delete or rename it first. Nothing was imported.`, clashes);
  }
  refusePinChanges(db, file);
  const vpnSites = file.customers.flatMap((c, ci) => c.sites.flatMap((site, si) => (site.vpn ? [{ at: ['customers', ci, 'sites', si], vpn: site.vpn, site }] : [])));
  const { issues: refused, checked } = checkImportedVpnProfiles(vpnProfiles, vpnSites, (at, message) => profileIssue(file, at, message));
  // Kept as checked here: the transaction below does not read the files again.
  const checkedProfileOf = new Map(vpnSites.map(({ site }, i) => [site, checked[i] ?? undefined]));
  if (refused.length > 0) {
    const more = refused.length > 1 ? ` (and ${refused.length - 1} more)` : '';
    throw new ApiError('PROFILE_INVALID', `${refused[0]!.message}${more} Nothing was imported.`, refused);
  }
  const summary = { customers: 0, sites: 0, hosts: 0, notes: 0, customerIds: [] as number[] };
  db.transaction(() => {
    for (const customer of file.customers) {
      const customerId = createCustomer(db, {
        name: customer.name, package: customer.package, timezone: customer.timezone,
        workdays: customer.workdays, holidays: customer.holidays, contacts: customer.contacts,
      });
      summary.customers++;
      summary.customerIds.push(customerId);
      for (const site of customer.sites) {
        const siteId = createSite(db, customerId, {
          name: site.name, seats: site.seats, peakCalls: site.peak_calls, components: site.components,
          productVersion: site.product_version, approvedMethods: site.approved_methods,
          retention: site.retention && { ameyodbDays: site.retention.ameyodb_days, reportsdbDays: site.retention.reportsdb_days },
          files: site.files,
        });
        summary.sites++;
        for (const host of site.hosts) {
          createHost(db, siteId, toHostInput(host), { skipJumpCheck: true });
          summary.hosts++;
        }
        if (site.vpn) setSiteVpn(db, vpnProfiles, siteId, site.vpn, checkedProfileOf.get(site));
        for (const note of site.notes) {
          createNote(db, siteId, undefined, note);
          summary.notes++;
        }
      }
    }
  })();
  return summary;
}
