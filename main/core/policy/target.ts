import { checkAddress, formatIPv6, isIPv4MappedOrCompatible, parseCanonicalIPv4, parseIPv6Groups } from '../../../contract/domain/address';
import { cidrContains, parseAllowEntry } from '../../../contract/domain/cidr';
import type { Host } from '../../../contract/models';

/** `ip` is set when the engineer typed an IP from the host's allow-list: the session goes there, no lookup. */
export type TargetMatch = { ok: true; host: Host; how: string; ip?: string } | { ok: false; reason: string };

/**
 * Finds the trusted host a typed target names: a host name of the site, or the host's address
 * typed out. Addresses must be canonical; a typed name is compared as lower-case punycode, so a
 * look-alike in another script is a different name, and is said to be one.
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
  if (byAddress) return { ok: true, host: byAddress, how: `${canonical} is the address of the trusted host ${byAddress.name}` };
  if (checked.address.kind !== 'dns') {
    const ip = { kind: checked.address.kind, value: canonical };
    const byAllow = hosts.find((h) => allowListOf(h).some((entry) => cidrContains(entry, ip)));
    if (byAllow) return { ok: true, host: byAllow, how: `${canonical} is on the allow-list of the trusted host ${byAllow.name}`, ip: canonical };
  }
  const lookAlike = nonAscii ? ` It contains non-ASCII characters (it is ${canonical}), so it is not the host it may look like.` : '';
  return { ok: false, reason: `"${typed}" is not a trusted host of this site.${lookAlike}` };
}

/** The host's allow-list; an IP-literal address with an empty list allows itself. */
export function allowListOf(host: Host) {
  const literal = host.address ? checkAddress(host.address) : undefined;
  const entries = host.allow.length > 0 ? host.allow : literal?.ok && literal.address.kind !== 'dns' ? [literal.address.value] : [];
  return entries.flatMap((text) => {
    const parsed = parseAllowEntry(text);
    return parsed.ok ? [parsed.cidr] : [];
  });
}

export type ResolvedCheck = { ok: true; address: string; reason: string } | { ok: false; reason: string };

/** Every answer must be a canonical IP inside the allow-list; the first one is where the session goes. */
export function checkResolvedAddresses(host: Host, answers: string[]): ResolvedCheck {
  const allow = allowListOf(host);
  if (allow.length === 0) return { ok: false, reason: `${host.name} has no allow-list, so no address it resolves to can be trusted. Add its IPs or CIDRs.` };
  if (answers.length === 0) return { ok: false, reason: `${host.address} did not resolve to any address.` };
  const accepted: string[] = [];
  for (const answer of answers) {
    const ip = canonicalIp(answer);
    if (!ip) return { ok: false, reason: `${host.address} resolved to "${answer}", which is not a plain IP address; refusing.` };
    if (ip.mapped) return { ok: false, reason: `${host.address} resolved to ${answer}, an IPv4 address dressed as IPv6; refusing.` };
    if (!allow.some((entry) => cidrContains(entry, ip))) {
      return { ok: false, reason: `${host.address} resolved to ${ip.value}, which is outside ${host.name}'s allow-list (${host.allow.join(', ') || host.address}).` };
    }
    accepted.push(ip.value);
  }
  const address = accepted[0]!;
  const how = host.address === address ? `${address} is ${host.name}'s own address` : `${host.address} resolved to ${accepted.join(', ')}, inside the allow-list`;
  return { ok: true, address, reason: `${how}; the session connects to ${address}` };
}

function canonicalIp(text: string): { kind: 'ipv4' | 'ipv6'; value: string; mapped: boolean } | null {
  if (parseCanonicalIPv4(text)) return { kind: 'ipv4', value: text, mapped: false };
  const groups = parseIPv6Groups(text);
  if (!groups) return null;
  return { kind: 'ipv6', value: formatIPv6(groups), mapped: isIPv4MappedOrCompatible(groups) };
}
