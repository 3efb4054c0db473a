import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import tls from 'node:tls';
import { pageKind } from './classify.ts';
import { GuardRefusal, type Resolver, bareHost, loopbackAllowed, resolveGuarded, systemResolver } from './guard.ts';

/**
 * The safe fetcher (docs/adr/0019-ssrf-guard-and-rdap-bootstrap.md): fetches an outside page (a phishing site to
 * re-check or capture) and refuses anything that is not a public address — for literal hosts, after DNS resolution
 * (the connection goes to the very address that was checked, through a custom `lookup`, so there is no rebinding
 * gap) and on every redirect hop. It classifies the outcome rather than throwing.
 */

export const USER_AGENTS = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; SO-51D) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
} as const;
export type UserAgentProfile = keyof typeof USER_AGENTS;

export type FetchOutcome =
  | 'refused' // the guard refused the target (private, loopback, … address; or a scheme other than http/https)
  | 'nxdomain'
  | 'connection_failed'
  | 'timeout'
  | 'http_error'
  | 'suspended'
  | 'parked'
  | 'changed'
  | 'up';

export interface SafeFetchOptions {
  /** Injected in tests; the system resolver otherwise. */
  resolver?: Resolver;
  /** Lets loopback through — honoured only in a test process (VITEST / NODE_ENV=test), ignored elsewhere. */
  allowLoopbackInTests?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  profile?: UserAgentProfile;
  /** Egress proxy (http://host:port); defaults to RENKEI_EGRESS_PROXY. `null` forces a direct connection. */
  proxy?: string | null;
  /** The content hash captured earlier: a different hash now is `changed`. */
  previousSha256?: string | null;
}

export interface SafeFetchResult {
  outcome: FetchOutcome;
  url: string;
  finalUrl: string;
  /** Every URL requested, in order (redirect hops). */
  hops: string[];
  status: number | null;
  contentType: string | null;
  body: Buffer | null;
  /** The body was cut at maxBytes. */
  truncated: boolean;
  sha256: string | null;
  /** The address connected to (or refused). */
  address: string | null;
  error: string | null;
}

export const FETCH_DEFAULTS = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 } as const;

interface Hop {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
}

function proxyFrom(o: SafeFetchOptions): URL | null {
  const raw = o.proxy === undefined ? process.env.RENKEI_EGRESS_PROXY : o.proxy;
  return raw ? new URL(raw) : null;
}

function readBody(res: http.IncomingMessage, maxBytes: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    res.on('data', (c: Buffer) => {
      if (truncated) return;
      const room = maxBytes - size;
      if (c.length > room) {
        chunks.push(c.subarray(0, room));
        size = maxBytes;
        truncated = true;
        resolve({ body: Buffer.concat(chunks), truncated });
        res.destroy();
        return;
      }
      chunks.push(c);
      size += c.length;
    });
    res.on('end', () => resolve({ body: Buffer.concat(chunks), truncated }));
    res.on('error', (e) => (truncated ? undefined : reject(e)));
  });
}

/** One request to a checked address (or through the egress proxy), without following redirects. */
function requestOnce(
  url: URL,
  address: string,
  family: 4 | 6,
  o: Required<Pick<SafeFetchOptions, 'maxBytes' | 'profile'>>,
  proxy: URL | null,
  signal: AbortSignal,
): Promise<Hop> {
  const headers = {
    'user-agent': USER_AGENTS[o.profile],
    accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    'accept-language': 'ja,en;q=0.8',
  };
  // The connection goes to the checked address only: the lookup never asks DNS again.
  const pinned: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else cb(null, address, family);
  };
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = bareHost(url.hostname);
  return new Promise<Hop>((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      readBody(res, o.maxBytes).then(
        (b) => resolve({ status: res.statusCode ?? 0, headers: res.headers, ...b }),
        reject,
      );
    };
    if (proxy && url.protocol === 'http:') {
      const req = http.request(
        {
          host: proxy.hostname,
          port: Number(proxy.port || 80),
          path: url.href,
          headers: { ...headers, host: url.host },
          signal,
        },
        onResponse,
      );
      req.on('error', reject).end();
      return;
    }
    if (proxy) {
      const connect = http.request({
        host: proxy.hostname,
        port: Number(proxy.port || 80),
        method: 'CONNECT',
        path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
        signal,
      });
      connect.on('error', reject);
      connect.on('connect', (res, socket) => {
        if (res.statusCode !== 200) {
          socket.destroy();
          reject(Object.assign(new Error(`proxy CONNECT ${res.statusCode}`), { code: 'ECONNREFUSED' }));
          return;
        }
        const req = https.request(
          {
            host,
            port,
            path: url.pathname + url.search,
            headers,
            signal,
            createConnection: () => tls.connect({ socket, servername: host }),
          },
          onResponse,
        );
        req.on('error', reject).end();
      });
      connect.end();
      return;
    }
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(
      {
        host,
        port,
        path: url.pathname + url.search,
        headers,
        signal,
        lookup: pinned,
        servername: host.includes(':') ? undefined : host,
        agent: false,
      },
      onResponse,
    );
    req.on('error', reject).end();
  });
}

function errorOutcome(e: unknown, timedOut: boolean): { outcome: FetchOutcome; error: string } {
  if (e instanceof GuardRefusal) return { outcome: 'refused', error: e.message };
  const code = (e as { code?: string }).code ?? '';
  if (timedOut || code === 'ETIMEDOUT' || code === 'ABORT_ERR') return { outcome: 'timeout', error: 'timeout' };
  if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME') return { outcome: 'nxdomain', error: code };
  return { outcome: 'connection_failed', error: code || (e as Error).message };
}

export async function safeFetch(rawUrl: string, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const o = {
    timeoutMs: options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs,
    maxBytes: options.maxBytes ?? FETCH_DEFAULTS.maxBytes,
    maxRedirects: options.maxRedirects ?? FETCH_DEFAULTS.maxRedirects,
    profile: options.profile ?? 'desktop',
  };
  const resolver = options.resolver ?? systemResolver;
  const allowLoopback = loopbackAllowed(options.allowLoopbackInTests);
  const proxy = proxyFrom(options);
  const result: SafeFetchResult = {
    outcome: 'connection_failed',
    url: rawUrl,
    finalUrl: rawUrl,
    hops: [],
    status: null,
    contentType: null,
    body: null,
    truncated: false,
    sha256: null,
    address: null,
    error: null,
  };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, o.timeoutMs);
  try {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return { ...result, outcome: 'refused', error: 'invalid_url' };
    }
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return { ...result, outcome: 'refused', error: `scheme ${url.protocol}` };
      if (url.username || url.password) return { ...result, outcome: 'refused', error: 'credentials in URL' };
      result.hops.push(url.href);
      result.finalUrl = url.href;
      const addrs = await resolveGuarded(url.hostname, resolver, allowLoopback);
      const first = addrs[0]!;
      result.address = first.address;
      const res = await requestOnce(url, first.address, first.family, o, proxy, controller.signal);
      result.status = res.status;
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && location) {
        if (hop >= o.maxRedirects) return { ...result, outcome: 'http_error', error: 'too many redirects' };
        url = new URL(location, url);
        continue;
      }
      const contentType = (res.headers['content-type'] as string | undefined) ?? null;
      const sha256 = createHash('sha256').update(res.body).digest('hex');
      Object.assign(result, { contentType, body: res.body, truncated: res.truncated, sha256 });
      if (res.status >= 400) {
        // Hosting companies often answer a suspended account with 403/503 and their own page.
        const kind = pageKind(res.body, contentType ?? undefined);
        return { ...result, outcome: kind ?? 'http_error' };
      }
      const kind = pageKind(res.body, contentType ?? undefined);
      if (kind) return { ...result, outcome: kind };
      const changed = options.previousSha256 != null && options.previousSha256 !== sha256;
      return { ...result, outcome: changed ? 'changed' : 'up' };
    }
  } catch (e) {
    return { ...result, ...errorOutcome(e, timedOut) };
  } finally {
    clearTimeout(timer);
  }
}
