import { domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { normalizeText } from '../ioc/normalize.ts';
import { refang } from '../ioc/refang.ts';

/** The parts of a URL or domain that brand scoring looks at. */
export interface UrlParts {
  /** Lower-case A-label host ('' when the input has none). */
  host: string;
  /** The host in Unicode (U-labels decoded from punycode). */
  hostUnicode: string;
  /** The registered label (`example` in `a.example.co.jp`; `name` in `name.duckdns.org`, a free-hosting name). */
  registered: string;
  /** Its Unicode form. */
  registeredUnicode: string;
  /** Labels left of the registered label, Unicode, outermost first (`www`, `amazon-co-jp`). */
  subdomain: string[];
  /** The public suffix (`co.jp`, `duckdns.org`, `com`), '' when unknown. */
  suffix: string;
  /** True for an IPv4 or IPv6 host. */
  isIp: boolean;
  /** Percent-decoded, lower-case path, query and fragment. */
  path: string;
  /** Percent-decoded user-info (`https://amazon.co.jp@evil.example/` puts the brand here). */
  userinfo: string;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Parses one line (URL, defanged URL, bare domain, or host and path) into its parts; undefined when nothing usable. */
export function parseUrlish(input: string): UrlParts | undefined {
  const text = normalizeText(refang(input.trim()).text).trim();
  if (text === '' || /\s/.test(text)) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text.replace(/^\/\//, '')}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host === '') return undefined;
  const hostUnicode = host.includes('xn--') ? domainToUnicode(host) || host : host;
  const info = parseDomain(host, { allowPrivateDomains: true });
  const isIp = info.isIp === true || host.startsWith('[');
  const suffix = isIp ? '' : (info.publicSuffix ?? '');
  const labels = host.split('.');
  const uLabels = hostUnicode.split('.');
  const suffixCount = suffix === '' ? 0 : suffix.split('.').length;
  // an unknown suffix or a bare public suffix: the last label plays the registered label
  const regIndex = isIp ? -1 : Math.max(0, labels.length - suffixCount - 1);
  const registered = regIndex >= 0 && suffixCount < labels.length ? (labels[regIndex] ?? '') : '';
  const registeredUnicode = regIndex >= 0 && suffixCount < labels.length ? (uLabels[regIndex] ?? registered) : '';
  const subdomain = regIndex > 0 ? uLabels.slice(0, regIndex) : [];
  const userinfo = decode([url.username, url.password].filter((x) => x !== '').join(':')).toLowerCase();
  const path = decode(`${url.pathname}${url.search}${url.hash}`).toLowerCase();
  return { host, hostUnicode, registered, registeredUnicode, subdomain, suffix, isIp, path, userinfo };
}
