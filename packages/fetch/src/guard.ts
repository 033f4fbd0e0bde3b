import { BlockList, isIP, isIPv4 } from 'node:net';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';

/**
 * Network guard: decides whether the fetcher may open a connection to an
 * address. It runs inside the connector, after DNS resolution, on the exact
 * address the socket then connects to, for every connection (so every
 * redirect hop): there is no gap between the check and the use.
 */

/** Ranges a crawler must never reach unless explicitly allowed. */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const BLOCKED_V6: Array<[string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['100::', 64], // discard
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): translated by the operator's own gateway
  ['2001::', 32], // Teredo: tunnels to an IPv4 address the guard cannot see
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local (includes fd00:ec2::254, AWS metadata over IPv6)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const blocked = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of BLOCKED_V6) blocked.addSubnet(net, prefix, 'ipv6');

/** Parse an IPv6 address into eight 16-bit groups (no zone id). */
function ipv6Groups(address: string): number[] | null {
  let addr = address.toLowerCase();
  const zone = addr.indexOf('%');
  if (zone !== -1) addr = addr.slice(0, zone);
  // Embedded dotted IPv4 tail: rewrite it as two hex groups.
  const lastColon = addr.lastIndexOf(':');
  const tail = addr.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return null;
    const o = tail.split('.').map(Number) as [number, number, number, number];
    addr = `${addr.slice(0, lastColon + 1)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [head = '', rest] = addr.split('::') as [string, string | undefined];
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = parse(head);
  const r = rest === undefined ? [] : parse(rest);
  if (rest === undefined) return h.length === 8 ? h : null;
  const zeros = 8 - h.length - r.length;
  if (zeros < 0) return null;
  return [...h, ...new Array<number>(zeros).fill(0), ...r];
}

/** The IPv4 address embedded in an IPv4-mapped, IPv4-translated, NAT64 or 6to4 IPv6 address, if any. */
export function embeddedIPv4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  const g = ipv6Groups(address);
  if (!g || g.length !== 8) return null;
  const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zero = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped)
  if (zero(0, 5) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  // ::ffff:0:a.b.c.d (IPv4-translated, RFC 2765 / SIIT)
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6]!, g[7]!);
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix)
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return v4(g[6]!, g[7]!);
  // 2002:AABB:CCDD::/48 (6to4)
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return null;
}

/** True when the address is loopback, private, link-local, CGNAT, multicast, reserved or metadata. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address: refuse
  if (family === 4) return blocked.check(address, 'ipv4');
  const v4 = embeddedIPv4(address);
  if (v4 !== null) return blocked.check(v4, 'ipv4');
  const zone = address.indexOf('%');
  return blocked.check(zone === -1 ? address : address.slice(0, zone), 'ipv6');
}

/** Raised inside the connector when the guard refuses an address. */
export class BlockedAddressError extends Error {
  readonly code = 'GAZETTE_BLOCKED_ADDRESS';
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`refusing to connect to ${hostname} (${address}): address is not public`);
    this.name = 'BlockedAddressError';
  }
}

export interface NetworkGuard {
  /** May a connection to `address` (resolved from `hostname`) be opened? */
  allows(hostname: string, address: string): boolean;
}

/**
 * Build a guard. `allow` entries are hostnames (`localhost`, exact,
 * case-insensitive; `*.example.org` for subdomains), IP addresses or CIDRs
 * (`127.0.0.1`, `10.0.0.0/8`, `::1/128`). An allowed hostname may resolve to
 * anything; any other host must resolve to a public address or an allowed one.
 */
/**
 * Why an allow-list entry is invalid, or null when it is a hostname (`localhost`,
 * `*.example.org`), an IP address or a CIDR with a prefix length in range.
 */
export function allowEntryProblem(raw: string): string | null {
  const entry = raw.trim().toLowerCase();
  if (!entry) return null;
  const [addr = '', prefix, extra] = entry.split('/');
  if (extra !== undefined) return `${raw}: more than one "/"`;
  const bare = addr.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (prefix !== undefined) {
    if (family === 0) return `${raw}: a CIDR needs an IP address before the "/"`;
    const max = family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)
      return `${raw}: the prefix length must be a whole number from 0 to ${max}`;
    return null;
  }
  if (family !== 0) return null;
  const host = entry.startsWith('*.') ? entry.slice(2) : entry;
  if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/.test(host))
    return `${raw}: not a hostname, "*.domain", IP address or CIDR`;
  return null;
}

/** An allow-list entry that is neither a hostname, an address nor a valid CIDR. */
export class InvalidAllowEntryError extends Error {
  readonly reason = 'invalid-config';
  constructor(readonly problems: string[]) {
    super(`invalid network guard allow list: ${problems.join('; ')}`);
    this.name = 'InvalidAllowEntryError';
  }
}

export function createNetworkGuard(allow: readonly string[] = []): NetworkGuard {
  const problems = allow.map(allowEntryProblem).filter((p): p is string => p !== null);
  if (problems.length > 0) throw new InvalidAllowEntryError(problems);
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const list = new BlockList();
  for (const raw of allow) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const [addr = '', prefix] = entry.split('/');
    const bare = addr.replace(/^\[|\]$/g, '');
    const family = isIP(bare);
    if (family !== 0) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix !== undefined) list.addSubnet(bare, Number(prefix), type);
      else list.addAddress(bare, type);
      continue;
    }
    if (entry.startsWith('*.')) suffixes.push(entry.slice(1));
    else hosts.add(entry.replace(/\.$/, ''));
  }
  const allowedAddress = (address: string): boolean => {
    const family = isIP(address);
    if (family === 4) return list.check(address, 'ipv4');
    if (family === 6) {
      const v4 = embeddedIPv4(address);
      return list.check(address, 'ipv6') || (v4 !== null && list.check(v4, 'ipv4'));
    }
    return false;
  };
  return {
    allows(hostname, address) {
      const host = hostname.toLowerCase().replace(/\.$/, '');
      if (hosts.has(host) || suffixes.some((s) => host.endsWith(s))) return true;
      if (allowedAddress(address)) return true;
      return !isBlockedAddress(address);
    },
  };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `net.connect`/`tls.connect` that resolves the name once,
 * drops every address the guard refuses, and hands the socket only checked
 * addresses (so the socket connects to exactly what was checked).
 */
export function guardedLookup(guard: NetworkGuard) {
  return function lookup(
    hostname: string,
    options: LookupOneOptions | LookupAllOptions | number,
    callback: LookupCallback,
  ): void {
    const opts = typeof options === 'number' ? { family: options } : options;
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const ok = addresses.filter((a) => guard.allows(hostname, a.address));
      if (ok.length === 0) {
        return callback(new BlockedAddressError(hostname, addresses[0]?.address ?? '?'), []);
      }
      if ('all' in opts && opts.all) return callback(null, ok);
      const first = ok[0]!;
      return callback(null, first.address, first.family);
    });
  };
}
