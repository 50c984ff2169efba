// The private-network guard: which addresses a resource URL may make us connect to.
// Checked on the literal host of every hop AND on every address DNS returns at connect time,
// so neither a redirect nor a name that (re)binds to 127.0.0.1 can reach the auditor's own network.
import dns from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';

interface V4Range { base: number; bits: number; why: string }

const V4_RANGES: V4Range[] = [
  r4('0.0.0.0', 8, '"this network" (0.0.0.0/8)'),
  r4('10.0.0.0', 8, 'private (10.0.0.0/8)'),
  r4('100.64.0.0', 10, 'carrier-grade NAT (100.64.0.0/10)'),
  r4('127.0.0.0', 8, 'loopback (127.0.0.0/8)'),
  r4('169.254.0.0', 16, 'link-local (169.254.0.0/16)'),
  r4('172.16.0.0', 12, 'private (172.16.0.0/12)'),
  r4('192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'),
  r4('192.168.0.0', 16, 'private (192.168.0.0/16)'),
  r4('198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'),
  r4('224.0.0.0', 4, 'multicast (224.0.0.0/4)'),
  r4('240.0.0.0', 4, 'reserved (240.0.0.0/4)'),
];

function r4(addr: string, bits: number, why: string): V4Range {
  return { base: v4ToInt(addr)!, bits, why };
}

function v4ToInt(addr: string): number | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

function inV4(n: number, r: V4Range): boolean {
  const size = 2 ** (32 - r.bits);
  return Math.floor(n / size) === Math.floor(r.base / size);
}

/** Expands an IPv6 literal (with optional embedded dotted quad, no zone) into 8 groups. */
function v6Groups(addr: string): number[] | null {
  let a = addr.toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const lastColon = a.lastIndexOf(':');
  const tail = a.slice(lastColon + 1);
  if (tail.includes('.')) {
    const n = v4ToInt(tail);
    if (n === null) return null;
    a = `${a.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * Why an address must not be contacted, or null when it is a public address.
 * Covers the ranges an SSRF would aim at, including IPv6 forms that embed an IPv4 address.
 */
export function privateAddressReason(address: string): string | null {
  const host = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(host);
  if (family === 4) {
    const n = v4ToInt(host)!;
    if (n === 0xffffffff) return 'broadcast (255.255.255.255)';
    for (const r of V4_RANGES) if (inV4(n, r)) return r.why;
    return null;
  }
  if (family !== 6) return `not an IP address (${host})`;
  const g = v6Groups(host);
  if (!g) return `unparseable IPv6 address (${host})`;
  const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeroPrefix = (k: number) => g.slice(0, k).every((x) => x === 0);
  if (zeroPrefix(7) && g[7] === 1) return 'loopback (::1)';
  if (zeroPrefix(8)) return 'unspecified (::)';
  if (zeroPrefix(5) && g[5] === 0xffff) {
    const inner = privateAddressReason(v4Of(g[6], g[7]));
    return inner ? `IPv4-mapped IPv6 of ${inner}` : null;
  }
  // Deprecated IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) both embed an IPv4 target.
  if (zeroPrefix(6)) return `IPv4-compatible IPv6 (::/96)`;
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    const inner = privateAddressReason(v4Of(g[6], g[7]));
    return inner ? `NAT64 IPv6 of ${inner}` : null;
  }
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique local (fc00::/7)';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  if ((g[0] & 0xffc0) === 0xfec0) return 'site-local (fec0::/10)';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast (ff00::/8)';
  if (g[0] === 0x2002) {
    // 6to4 embeds an IPv4 address in bits 16..47.
    const inner = privateAddressReason(v4Of(g[1], g[2]));
    return inner ? `6to4 IPv6 of ${inner}` : null;
  }
  return null;
}

/** Thrown through the socket when every address a name resolves to is refused. */
export class BlockedAddressError extends Error {
  readonly code = 'ODBADGE_BLOCKED_ADDRESS';
  constructor(message: string) {
    super(message);
    this.name = 'BlockedAddressError';
  }
}

type Addr = { address: string; family: number };

/**
 * A predicate for addresses exempt from the guard: exact IPs ("10.1.2.3", "::1") or IPv4 CIDRs ("10.20.0.0/16").
 * Lets an on-premises portal be audited without opening the whole private network.
 */
export function addressExemption(list: readonly string[] | undefined): (address: string) => boolean {
  if (!list?.length) return () => false;
  const exact = new Set<string>();
  const cidrs: V4Range[] = [];
  for (const item of list) {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(item.trim());
    const base = m ? v4ToInt(m[1]) : null;
    if (m && base !== null && Number(m[2]) <= 32) cidrs.push({ base, bits: Number(m[2]), why: item });
    else exact.add(normalise(item.trim()));
  }
  return (address) => {
    const a = normalise(address);
    if (exact.has(a)) return true;
    const n = isIP(a) === 4 ? v4ToInt(a) : null;
    return n !== null && cidrs.some((r) => inV4(n, r));
  };
}

function normalise(address: string): string {
  const a = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const g = isIP(a) === 6 ? v6Groups(a) : null;
  return g ? g.map((x) => x.toString(16)).join(':') : a.toLowerCase();
}

/**
 * Wraps a dns.lookup-compatible function so that private addresses are dropped at connect time.
 * The socket connects only to addresses returned here, so DNS rebinding between check and use is impossible.
 */
export function guardedLookup(
  base: LookupFunction | undefined,
  allowPrivate: boolean,
  exempt: (address: string) => boolean = () => false,
): LookupFunction {
  const resolve = (base ?? (dns.lookup as unknown as LookupFunction));
  const lookup = (hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    const wantAll = options?.all === true;
    const done = (err: NodeJS.ErrnoException | null, list: Addr[]) => {
      if (err) return callback(err, wantAll ? [] : undefined, undefined);
      let kept = list;
      if (!allowPrivate) {
        kept = list.filter((a) => exempt(a.address) || privateAddressReason(a.address) === null);
        if (kept.length === 0) {
          const why = list.map((a) => `${a.address}: ${privateAddressReason(a.address)}`).join('; ');
          return callback(new BlockedAddressError(`${hostname} resolves only to refused addresses (${why || 'none'})`),
            wantAll ? [] : undefined, undefined);
        }
      }
      if (kept.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        e.code = 'ENOTFOUND';
        return callback(e, wantAll ? [] : undefined, undefined);
      }
      if (wantAll) callback(null, kept);
      else callback(null, kept[0].address, kept[0].family);
    };
    // Always ask for every address, so a mixed answer cannot smuggle a private one through `all: false`.
    (resolve as unknown as (h: string, o: dns.LookupOptions, cb: (...a: unknown[]) => void) => void)(
      hostname, { ...options, all: true },
      (err: unknown, addrs: unknown, family: unknown) => {
        if (err) return done(err as NodeJS.ErrnoException, []);
        if (Array.isArray(addrs)) return done(null, addrs as Addr[]);
        if (typeof addrs === 'string') return done(null, [{ address: addrs, family: Number(family) || isIP(addrs) }]);
        done(null, []);
      },
    );
  };
  return lookup as unknown as LookupFunction;
}

/**
 * The guard for a request sent through a proxy. There the proxy resolves the target's name and connects, so the
 * connect-time lookup above never runs: the name is resolved here first, and refused when ANY of its addresses is
 * private (the proxy may pick any of them; directly, the socket would use only the allowed ones). Resolves to the
 * refusal, or null when every address is allowed; rejects with the lookup's error (ENOTFOUND…), or with ETIMEOUT
 * after `timeoutMs`. What this cannot see: the proxy resolving the name again and getting another answer (a DNS
 * rebind between the two lookups, a split-horizon resolver on the proxy) — the proxy's own rules must cover that.
 */
export function refusalBeforeProxy(
  hostname: string, base: LookupFunction | undefined, exempt: (address: string) => boolean, timeoutMs: number,
): Promise<string | null> {
  const resolve = (base ?? (dns.lookup as unknown as LookupFunction)) as unknown as (h: string, o: dns.LookupOptions, cb: (...a: unknown[]) => void) => void;
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(Object.assign(new Error(`getaddrinfo ETIMEOUT ${hostname} (no answer in ${timeoutMs} ms)`), { code: 'ETIMEOUT' })), timeoutMs);
    resolve(hostname, { all: true }, (err: unknown, addrs: unknown, family: unknown) => {
      clearTimeout(timer);
      if (err) return fail(err);
      const list: Addr[] = Array.isArray(addrs) ? addrs : typeof addrs === 'string' ? [{ address: addrs, family: Number(family) || isIP(addrs) }] : [];
      if (!list.length) return fail(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
      const refused = list.filter((a) => !exempt(a.address) && privateAddressReason(a.address) !== null);
      if (!refused.length) return done(null);
      const why = refused.map((a) => `${a.address}: ${privateAddressReason(a.address)}`).join('; ');
      done(`${hostname} resolves to a refused address (${why}); refused before the request went to the proxy (use --allow-private-network to permit)`);
    });
  });
}
