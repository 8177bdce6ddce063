/**
 * Strict, canonical-only network addresses. Anything that a resolver or URL parser would
 * silently rewrite (0x7f.1, 2130706433, 127.1, 010.0.0.1, ::ffff:10.0.0.1, trailing dots,
 * userinfo, percent escapes) is rejected with the reason, never normalised behind the
 * engineer's back. DNS names are the one exception: they are stored lower-case, IDN as punycode.
 */

export type CanonicalAddress =
  | { kind: 'ipv4'; value: string }
  | { kind: 'ipv6'; value: string }
  | { kind: 'dns'; value: string };

export type AddressCheck = { ok: true; address: CanonicalAddress } | { ok: false; reason: string };

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const NUMERIC_LABEL = /^(0x[0-9a-f]*|[0-9]+)$/i;

export function parseCanonicalIPv4(text: string): string | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part) || Number(part) > 255) return null;
  }
  return text;
}

/** Parses any valid IPv6 text into its 8 16-bit groups (embedded dotted-quad tails included). */
export function parseIPv6Groups(text: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  let head = text;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseCanonicalIPv4(text.slice(lastColon + 1));
    if (!v4) return null;
    const octets = v4.split('.').map(Number) as [number, number, number, number];
    tail.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
    head = text.slice(0, lastColon + 1);
    if (head.endsWith('::')) head = head;
    else if (head.endsWith(':')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parseHalf = (half: string): number[] | null => {
    if (half === '') return [];
    const groups = half.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parseHalf(halves[0] ?? '');
  const right = halves.length === 2 ? parseHalf(halves[1] ?? '') : [];
  if (!left || !right) return null;
  const known = left.length + right.length + tail.length;
  if (halves.length === 2) {
    if (known > 7) return null;
    return [...left, ...new Array<number>(8 - known).fill(0), ...right, ...tail];
  }
  return known === 8 ? [...left, ...tail] : null;
}

/** RFC 5952 text form: lower-case, no leading zeros, the longest run (≥2) of zero groups as "::". */
export function formatIPv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function isIPv4MappedOrCompatible(groups: number[]): boolean {
  const firstFiveZero = groups.slice(0, 5).every((g) => g === 0);
  return firstFiveZero && (groups[5] === 0xffff || (groups[5] === 0 && (groups[6] !== 0 || (groups[7] ?? 0) > 1)));
}

export function checkIPv6Literal(text: string): AddressCheck {
  const groups = parseIPv6Groups(text);
  if (!groups) return { ok: false, reason: `"${text}" is not a valid IPv6 address` };
  if (isIPv4MappedOrCompatible(groups)) {
    return { ok: false, reason: `"${text}" is an IPv4 address dressed as IPv6; write the IPv4 address itself` };
  }
  const canonical = formatIPv6(groups);
  if (canonical !== text) {
    return { ok: false, reason: `"${text}" is not in canonical form; write it as ${canonical}` };
  }
  return { ok: true, address: { kind: 'ipv6', value: canonical } };
}

function toAsciiHostname(name: string): string | null {
  try {
    const host = new URL(`http://${name}/`).hostname;
    return host === '' ? null : host;
  } catch {
    return null;
  }
}

const LDH_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function checkAddress(input: string): AddressCheck {
  const text = input;
  if (text.length === 0) return { ok: false, reason: 'address is empty' };
  if (text !== text.trim()) return { ok: false, reason: 'address has leading or trailing spaces' };
  if (text.length > 253) return { ok: false, reason: 'address is longer than 253 characters' };
  if (text.includes('@')) return { ok: false, reason: `"${text}" contains "@" (userinfo is not allowed in an address)` };
  if (text.startsWith('[') || text.endsWith(']')) {
    return { ok: false, reason: `"${text}": write an IPv6 address without brackets` };
  }
  if (text.includes(':') && text.includes('%')) {
    return { ok: false, reason: `"${text}" has an IPv6 zone id ("${text.slice(text.indexOf('%'))}"); zone ids pick a local interface for link-local addresses, which are never trusted` };
  }
  if (text.includes(':')) return checkIPv6Literal(text);
  if (/[/\\?#%\s]/.test(text)) return { ok: false, reason: `"${text}" contains characters not allowed in a host address` };
  if (text.endsWith('.')) return { ok: false, reason: `"${text}" ends with a dot; drop the trailing dot` };
  const labels = text.split('.');
  const last = labels[labels.length - 1] ?? '';
  if (NUMERIC_LABEL.test(last)) {
    if (parseCanonicalIPv4(text)) return { ok: true, address: { kind: 'ipv4', value: text } };
    return {
      ok: false,
      reason: `"${text}" is not a canonical dotted-quad IPv4 address (hex, octal, short or integer forms are refused)`,
    };
  }
  if (labels.some((l) => l === '')) return { ok: false, reason: `"${text}" has an empty label` };
  const ascii = toAsciiHostname(text);
  if (!ascii || ascii.endsWith('.')) return { ok: false, reason: `"${text}" is not a valid DNS name` };
  const asciiLabels = ascii.split('.');
  if (!asciiLabels.every((l) => LDH_LABEL.test(l))) {
    return { ok: false, reason: `"${text}" is not a valid DNS name (letters, digits and hyphens only)` };
  }
  if (NUMERIC_LABEL.test(asciiLabels[asciiLabels.length - 1] ?? '')) {
    return { ok: false, reason: `"${text}" looks like an IPv4 address after normalisation` };
  }
  return { ok: true, address: { kind: 'dns', value: ascii } };
}

export type IpLiteral = { kind: 'ipv4' | 'ipv6'; value: string };

export function checkIpLiteral(text: string): { ok: true; ip: IpLiteral } | { ok: false; reason: string } {
  const result = checkAddress(text);
  if (!result.ok) return result;
  if (result.address.kind === 'dns') return { ok: false, reason: `"${text}" is a name, not an IP address` };
  return { ok: true, ip: { kind: result.address.kind, value: result.address.value } };
}
