import { checkIpLiteral, formatIPv6, parseIPv6Groups } from './address';

export type Cidr = { kind: 'ipv4' | 'ipv6'; base: bigint; prefix: number; text: string };

/** An IP literal (already checked) as the number CIDR arithmetic works on. */
export function ipToBigInt(kind: 'ipv4' | 'ipv6', value: string): bigint {
  if (kind === 'ipv4') {
    return value.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  }
  const groups = parseIPv6Groups(value) ?? [];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

const PREFIX = /^(0|[1-9][0-9]{0,2})$/;

/** An allow-list entry: an IP literal (a /32 or /128) or a CIDR with its host bits clear. */
export function parseAllowEntry(text: string): { ok: true; cidr: Cidr } | { ok: false; reason: string } {
  const slash = text.indexOf('/');
  const ipText = slash === -1 ? text : text.slice(0, slash);
  const ip = checkIpLiteral(ipText);
  if (!ip.ok) return { ok: false, reason: ip.reason };
  const bits = ip.ip.kind === 'ipv4' ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!PREFIX.test(prefixText) || Number(prefixText) > bits) {
      return { ok: false, reason: `"${text}": the prefix length must be a whole number from 0 to ${bits}` };
    }
    prefix = Number(prefixText);
  }
  const base = ipToBigInt(ip.ip.kind, ip.ip.value);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((base & hostMask) !== 0n) {
    const network = base & ~hostMask;
    const networkText = formatIp(ip.ip.kind, network);
    return { ok: false, reason: `"${text}" has host bits set; did you mean ${networkText}/${prefix}?` };
  }
  return { ok: true, cidr: { kind: ip.ip.kind, base, prefix, text } };
}

function formatIp(kind: 'ipv4' | 'ipv6', value: bigint): string {
  if (kind === 'ipv4') {
    return [24n, 16n, 8n, 0n].map((shift) => Number((value >> shift) & 255n)).join('.');
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  return formatIPv6(groups);
}

export function cidrContains(cidr: Cidr, ip: { kind: 'ipv4' | 'ipv6'; value: string }): boolean {
  if (cidr.kind !== ip.kind) return false;
  const bits = cidr.kind === 'ipv4' ? 32 : 128;
  const hostMask = (1n << BigInt(bits - cidr.prefix)) - 1n;
  return (ipToBigInt(ip.kind, ip.value) & ~hostMask) === cidr.base;
}
