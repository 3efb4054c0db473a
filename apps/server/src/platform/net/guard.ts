import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** One resolved address of a host name. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses; throws an error with code `ENOTFOUND` when the name does not exist. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

/** Whether this is a test process (vitest, or NODE_ENV=test as the browser tests start the server). */
export function isTestProcess(): boolean {
  return process.env.VITEST === 'true' || process.env.NODE_ENV === 'test';
}

let parsedHosts: { raw: string; map: Map<string, string> } | null = null;
/**
 * The test-only host map `RENKEI_TEST_HOSTS=host=address,host=address`: lets a browser test use real-looking host
 * names served by a local server. Empty outside a test process (the variable is then ignored); entries whose
 * address is not an IP address are skipped. Names are lower-cased, a trailing dot dropped.
 */
export function testHosts(): ReadonlyMap<string, string> {
  const raw = isTestProcess() ? (process.env.RENKEI_TEST_HOSTS ?? '') : '';
  if (parsedHosts?.raw === raw) return parsedHosts.map;
  const map = new Map<string, string>();
  for (const pair of raw.split(',')) {
    const [host, address] = pair.split('=').map((x) => x.trim());
    if (host && address && ipaddr.isValid(address)) map.set(host.toLowerCase().replace(/\.$/, ''), address);
  }
  parsedHosts = { raw, map };
  return map;
}

const hostKey = (host: string) => host.toLowerCase().replace(/\.$/, '');

export const systemResolver: Resolver = async (host) => {
  const mapped = testHosts().get(hostKey(host));
  if (mapped) return [{ address: ipaddr.process(mapped).toString(), family: mapped.includes(':') ? 6 : 4 }];
  const all = await dnsLookup(host, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Why an address is refused, or null when it is a public unicast address. Loopback may be let through in tests. */
export function refusalOf(address: string, allowLoopback = false): string | null {
  if (!ipaddr.isValid(address)) return 'invalid_address';
  let ip = ipaddr.parse(address);
  // IPv4-mapped, NAT64 well-known and 6to4 forms carry an IPv4 address: judge the embedded one.
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else {
      const r = v6.range();
      if (r === 'rfc6052' || r === 'rfc6145') {
        const b = v6.toByteArray().slice(12);
        ip = new ipaddr.IPv4(b);
      } else if (r === '6to4') {
        const b = v6.toByteArray().slice(2, 6);
        ip = new ipaddr.IPv4(b);
      } else if (r === 'teredo') return 'teredo';
    }
  }
  const range = ip.range();
  if (allowLoopback && range === 'loopback') return null;
  // Everything that ipaddr.js does not call plain `unicast` is refused: private (RFC 1918), loopback, link-local
  // (cloud metadata 169.254.169.254), CGNAT 100.64/10, multicast, broadcast, unspecified, reserved and test nets,
  // benchmarking 198.18/15, unique-local fc00::/7, site-local, Teredo, documentation 2001:db8::/32, AMT, AS112 …
  return range === 'unicast' ? null : range;
}

/** Whether the test-only loopback allowance may take effect: never in a production process. */
export function loopbackAllowed(requested: boolean | undefined): boolean {
  if (!requested) return false;
  return isTestProcess();
}

/** A refusal by the guard: the target (literal or resolved) is not a public address. */
export class GuardRefusal extends Error {
  readonly code = 'EGUARD';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`refused ${host} → ${address} (${reason})`);
  }
}

/** Strips the brackets of an IPv6 literal host. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Resolves `host` and checks every address it has (a name with one private address among public ones is refused
 * as a whole: a rebinding setup often mixes them). Literal addresses are checked without DNS.
 */
export async function resolveGuarded(
  host: string,
  resolver: Resolver,
  allowLoopback: boolean,
): Promise<ResolvedAddress[]> {
  const h = bareHost(host);
  if (ipaddr.isValid(h)) {
    const reason = refusalOf(h, allowLoopback);
    if (reason) throw new GuardRefusal(h, h, reason);
    return [{ address: ipaddr.process(h).toString(), family: h.includes(':') ? 6 : 4 }];
  }
  // A name of the test host map (test processes only) may point at loopback, where the test's local server listens.
  const allow = allowLoopback || testHosts().has(hostKey(h));
  const all = await resolver(h);
  if (all.length === 0) throw Object.assign(new Error(`no address for ${h}`), { code: 'ENOTFOUND' });
  for (const a of all) {
    const reason = refusalOf(a.address, allow);
    if (reason) throw new GuardRefusal(h, a.address, reason);
  }
  return all;
}
