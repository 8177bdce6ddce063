/**
 * What an allow-list may cover. An allow-list vouches for the answers a host's name resolves to, so
 * a range that takes in the whole Internet, the machine itself, a cloud metadata service or a
 * multicast group would let a poisoned DNS answer (or a careless entry) send a session anywhere.
 * The same judge runs on every way in (form, API, profile import) and again in the policy, so an
 * entry stored before these rules existed is still never used.
 */
import { checkAddress } from './address';
import { ipToBigInt, parseAllowEntry, type Cidr } from './cidr';

/** The narrowest a range may be widened to: a /16 of IPv4, a /48 of IPv6 (one customer site). */
export const WIDEST_PREFIX = { ipv4: 16, ipv6: 48 } as const;

interface SpecialRange { cidr: Cidr; what: string; loopback?: true }

/** A fixed range of the table below, written in its usual form (not an engineer's entry, so not parsed as one). */
function range(kind: Cidr['kind'], text: string): Cidr {
  const [ip, prefix] = text.split('/') as [string, string];
  return { kind, base: ipToBigInt(kind, ip), prefix: Number(prefix), text };
}
const v4 = (text: string): Cidr => range('ipv4', text);
const v6 = (text: string): Cidr => range('ipv6', text);

/** Checked in order; the first range an entry touches names the problem. */
const SPECIAL_RANGES: SpecialRange[] = [
  { cidr: v4('0.0.0.0/8'), what: 'the unspecified range 0.0.0.0/8 ("this network"; 0.0.0.0 reaches this machine)' },
  { cidr: v4('127.0.0.0/8'), what: 'the loopback range 127.0.0.0/8 (this machine)', loopback: true },
  { cidr: v4('169.254.0.0/16'), what: 'the link-local range 169.254.0.0/16 (where cloud metadata services such as 169.254.169.254 answer)' },
  { cidr: v4('224.0.0.0/4'), what: 'the multicast range 224.0.0.0/4' },
  { cidr: v4('255.255.255.255/32'), what: 'the broadcast address 255.255.255.255' },
  { cidr: v4('240.0.0.0/4'), what: 'the reserved range 240.0.0.0/4 (which holds the broadcast address 255.255.255.255)' },
  { cidr: v6('::/128'), what: 'the unspecified address :: (it reaches this machine)' },
  { cidr: v6('::1/128'), what: 'the loopback address ::1 (this machine)', loopback: true },
  { cidr: v6('::ffff:0:0/96'), what: 'the IPv4-mapped range ::ffff:0:0/96 (list the IPv4 addresses themselves)' },
  { cidr: v6('fe80::/10'), what: 'the link-local range fe80::/10' },
  { cidr: v6('ff00::/8'), what: 'the multicast range ff00::/8' },
];

/** "covers" when the entry is wider than the special range, "is" when it is that range, else "is in". */
function relation(entry: Cidr, special: Cidr): string {
  if (entry.prefix < special.prefix) return 'covers';
  return entry.prefix === special.prefix ? 'is' : 'is in';
}

/** True when one range holds any address of the other. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.kind !== b.kind) return false;
  const bits = a.kind === 'ipv4' ? 32n : 128n;
  const shift = bits - BigInt(Math.min(a.prefix, b.prefix));
  return a.base >> shift === b.base >> shift;
}

/** A host's own address is loopback when it is a loopback IP or the name localhost (RFC 6761). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const checked = checkAddress(address);
  if (!checked.ok) return false;
  if (checked.address.kind === 'dns') return checked.address.value === 'localhost' || checked.address.value.endsWith('.localhost');
  const entry = parseAllowEntry(checked.address.value);
  return entry.ok && SPECIAL_RANGES.some((special) => special.loopback && cidrsOverlap(special.cidr, entry.cidr));
}

function addressCount(cidr: Cidr): string {
  const bits = (cidr.kind === 'ipv4' ? 32 : 128) - cidr.prefix;
  return bits <= 32 ? (2 ** bits).toLocaleString('en-US') : `2^${bits}`;
}

/** The special range `cidr` touches that no allow-list may include, or null. */
function forbiddenRange(cidr: Cidr, hostIsLoopback: boolean): SpecialRange | null {
  for (const special of SPECIAL_RANGES) {
    if (!cidrsOverlap(special.cidr, cidr)) continue;
    if (special.loopback && hostIsLoopback && cidr.prefix >= special.cidr.prefix) continue;
    return special;
  }
  return null;
}

const LOOPBACK_NOTE = '; loopback is allowed only for a host whose own address is loopback';

/**
 * Why an allow-list may not hold `cidr`, in words, or null when it may. Loopback is allowed only
 * when the host's own address is loopback (a lab or a test machine).
 */
export function allowRangeProblem(cidr: Cidr, hostIsLoopback: boolean): string | null {
  const family = cidr.kind === 'ipv4' ? 'IPv4' : 'IPv6';
  if (cidr.prefix === 0) return `"${cidr.text}" is every ${family} address; list the host's own addresses instead`;
  const widest = WIDEST_PREFIX[cidr.kind];
  const tooWide = cidr.prefix < widest ? `is wider than /${widest} (${addressCount(cidr)} addresses)` : null;
  const special = forbiddenRange(cidr, hostIsLoopback);
  if (special) {
    const also = tooWide ? `${tooWide} and ` : '';
    return `"${cidr.text}" ${also}${relation(cidr, special.cidr)} ${special.what}, which an allow-list may not include${special.loopback ? LOOPBACK_NOTE : ''}`;
  }
  if (tooWide) return `"${cidr.text}" ${tooWide}; an allow-list holds the host's own addresses, a /${widest} at the widest`;
  return null;
}

export interface AllowIssue { index: number; message: string }

/** Every entry of a host's allow-list that is malformed or too wide, with its position. */
export function allowListIssues(allow: readonly string[], hostAddress: string | undefined): AllowIssue[] {
  const loopback = isLoopbackAddress(hostAddress);
  return allow.flatMap((text, index) => {
    const parsed = parseAllowEntry(text);
    const message = parsed.ok ? allowRangeProblem(parsed.cidr, loopback) : parsed.reason;
    return message ? [{ index, message }] : [];
  });
}

/**
 * Why a host's own IP-literal address can never be trusted (it is an allow-list of one when its
 * list is empty), or null. A DNS name is judged by what it resolves to, at connect time.
 */
export function hostAddressProblem(address: string | undefined): string | null {
  if (!address) return null;
  const checked = checkAddress(address);
  if (!checked.ok || checked.address.kind === 'dns') return null;
  const own = parseAllowEntry(checked.address.value);
  if (!own.ok) return own.reason;
  const special = forbiddenRange(own.cidr, isLoopbackAddress(address));
  return special ? `${address} ${relation(own.cidr, special.cidr)} ${special.what}; a trusted host cannot have that address` : null;
}
