import { checkAddress, formatIPv6, isIPv4MappedOrCompatible, parseCanonicalIPv4, parseIPv6Groups } from '../../../contract/domain/address';
import { allowListIssues, hostAddressProblem } from '../../../contract/domain/allow-range';
import { cidrContains, parseAllowEntry, type Cidr } from '../../../contract/domain/cidr';
import type { Host } from '../../../contract/models';

export type TargetMatch = { ok: true; host: Host; how: string } | { ok: false; reason: string };

/**
 * Finds the trusted host a typed target names: a host name of the site, or the host's recorded
 * address typed out. Addresses must be canonical; a typed name is compared as lower-case punycode,
 * so a look-alike in another script is a different name, and is said to be one. A typed IP is
 * never matched through an allow-list: the list vouches for what a host's name resolves to, it does
 * not open every address in it.
 */
export function matchTarget(hosts: Host[], typed: string): TargetMatch {
  const byName = hosts.find((h) => h.name.toLowerCase() === typed.toLowerCase());
  if (byName) return { ok: true, host: byName, how: `"${typed}" is the trusted host ${byName.name}` };
  const checked = checkAddress(typed);
  if (!checked.ok) return { ok: false, reason: `"${typed}" is not a usable address: ${checked.reason}` };
  const canonical = checked.address.value;
  const nonAscii = /[^\x00-\x7f]/.test(typed);
  if (nonAscii && !canonical.split('.').some((label) => label.startsWith('xn--'))) {
    return { ok: false, reason: `"${typed}" is written with look-alike characters (it reads as ${canonical}); type the name in plain ASCII.` };
  }
  const byAddress = hosts.find((h) => h.address === canonical);
  if (byAddress) {
    const what = checked.address.kind === 'dns' ? 'address' : 'recorded IP address';
    return { ok: true, host: byAddress, how: `${canonical} is the ${what} of the trusted host ${byAddress.name}` };
  }
  if (checked.address.kind !== 'dns') {
    const ip = { kind: checked.address.kind, value: canonical };
    const listing = hosts.find((h) => parsedAllowList(h).some((entry) => cidrContains(entry, ip)));
    if (listing) {
      return {
        ok: false,
        reason:
          `${canonical} is not the recorded address of any trusted host of this site. It lies in ${listing.name}'s allow-list (${listing.allow.join(', ')}), ` +
          `but an allow-list only vouches for what ${listing.address ?? listing.name} resolves to; it does not open the addresses in it. Connect to ${listing.name} by name.`,
      };
    }
  }
  const lookAlike = nonAscii ? ` It contains non-ASCII characters (it is ${canonical}), so it is not the host it may look like.` : '';
  return { ok: false, reason: `"${typed}" is not a trusted host of this site.${lookAlike}` };
}

function parsedAllowList(host: Host): Cidr[] {
  return host.allow.flatMap((text) => {
    const parsed = parseAllowEntry(text);
    return parsed.ok ? [parsed.cidr] : [];
  });
}

/**
 * The host's allow-list, judged again by the rules of the forms (data stored before a rule existed,
 * or written around the forms, is never used); an IP-literal address with an empty list allows itself.
 */
export function allowListOf(host: Host): { ok: true; entries: Cidr[] } | { ok: false; reason: string } {
  const addressProblem = hostAddressProblem(host.address);
  if (addressProblem) return { ok: false, reason: `${host.name} cannot be trusted: ${addressProblem}.` };
  const issues = allowListIssues(host.allow, host.address);
  if (issues.length > 0) {
    const entries = issues.map((issue) => `entry ${issue.index + 1}: ${issue.message}`).join('; ');
    return { ok: false, reason: `${host.name}'s allow-list is refused, so no address can be trusted for it (${entries}). Correct the host's allow-list.` };
  }
  const literal = host.address ? checkAddress(host.address) : undefined;
  const texts = host.allow.length > 0 ? host.allow : literal?.ok && literal.address.kind !== 'dns' ? [literal.address.value] : [];
  return { ok: true, entries: parsedAllowList({ ...host, allow: texts }) };
}

export type ResolvedCheck = { ok: true; address: string; reason: string } | { ok: false; reason: string };

/**
 * Every answer must be a canonical IP inside the allow-list; the first one is where the session goes.
 * `fromName` is false when the answer is the host's own IP literal (nothing was looked up).
 */
export function checkResolvedAddresses(host: Host, answers: string[], fromName = true): ResolvedCheck {
  const allowed = allowListOf(host);
  if (!allowed.ok) return allowed;
  const allow = allowed.entries;
  if (allow.length === 0) return { ok: false, reason: `${host.name} has no allow-list, so no address it resolves to can be trusted. Add its IPs or CIDRs.` };
  if (answers.length === 0) return { ok: false, reason: `${host.address} did not resolve to any address.` };
  const accepted: string[] = [];
  for (const answer of answers) {
    const ip = canonicalIp(answer);
    if (!ip) return { ok: false, reason: `${host.address} resolved to "${answer}", which is not a plain IP address; refusing.` };
    if (ip.mapped) return { ok: false, reason: `${host.address} resolved to ${answer}, an IPv4 address dressed as IPv6; refusing.` };
    if (!allow.some((entry) => cidrContains(entry, ip))) {
      const where = fromName ? `${host.address} resolved to ${ip.value}, which is` : `${host.name}'s own address ${ip.value} is`;
      return { ok: false, reason: `${where} outside ${host.name}'s allow-list (${host.allow.join(', ') || host.address}).` };
    }
    accepted.push(ip.value);
  }
  const address = accepted[0]!;
  const how = fromName ? `${host.address} resolved to ${accepted.join(', ')} just now, inside the allow-list` : `${address} is ${host.name}'s own address`;
  return { ok: true, address, reason: `${how}; the session connects to ${address}` };
}

function canonicalIp(text: string): { kind: 'ipv4' | 'ipv6'; value: string; mapped: boolean } | null {
  if (parseCanonicalIPv4(text)) return { kind: 'ipv4', value: text, mapped: false };
  const groups = parseIPv6Groups(text);
  if (!groups) return null;
  return { kind: 'ipv6', value: formatIPv6(groups), mapped: isIPv4MappedOrCompatible(groups) };
}
