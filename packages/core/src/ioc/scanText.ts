import { isAsciiAlnum, isDigit, isHostUnit, isLocalPartUnit, isUrlPathUnit } from './chars.ts';
import { type Hit, hit } from './hit.ts';
import { checkDomain, checkIpv4 } from './host.ts';
import { hasMark } from './refang.ts';
import { trimGluedHost } from './scanUrls.ts';

const VERSION_WORDS = /(?:version|ver\.?|v|バージョン|firmware|build|release)\s*[:#]?\s*$/i;

/** Strips a leading non-ASCII run from a first label glued to ASCII (`アクセス先はexample` → `example`). */
function leadingCut(seg: string): number {
  const dot = seg.indexOf('.');
  const first = dot < 0 ? seg : seg.slice(0, dot);
  let lastNonAscii = -1;
  for (let i = 0; i < first.length; i++) if (first.charCodeAt(i) >= 128) lastNonAscii = i;
  if (lastNonAscii < 0 || lastNonAscii === first.length - 1) return 0;
  return lastNonAscii + 1;
}

/** Skips span-covered text: returns the index of the span that ends after i, or spans.length. */
function advanceSpan(spans: ReadonlyArray<[number, number]>, k: number, i: number): number {
  while (k < spans.length && spans[k]![1] <= i) k++;
  return k;
}

/**
 * Domains, IPv4 addresses, e-mail addresses and scheme-less URLs (`example.com/path`) outside the URL spans.
 * Walks maximal runs of host characters and dots once each: linear. An e-mail's local part is read backwards
 * from '@' for at most 64 characters.
 */
export function scanText(t: string, marks: readonly number[], spans: ReadonlyArray<[number, number]>): Hit[] {
  const hits: Hit[] = [];
  let k = 0;
  let i = 0;
  while (i < t.length) {
    k = advanceSpan(spans, k, i);
    const span = spans[k];
    if (span && i >= span[0]) {
      i = span[1];
      continue;
    }
    const c = t.charCodeAt(i);
    if (!(isHostUnit(c) || c === 46)) {
      i++;
      continue;
    }
    const limit = span ? span[0] : t.length;
    let start = i;
    // A run ends where ASCII letters or digits meet non-ASCII letters inside a label (Japanese glued to a domain);
    // at a '.' or '-' the script may change (テスト.example.com).
    let prevKind = -1;
    let hasDot = false;
    while (i < limit) {
      const u = t.charCodeAt(i);
      if (u === 46) {
        prevKind = -1;
        hasDot = true;
      } else if (u === 45) prevKind = -1;
      else if (isHostUnit(u)) {
        const kind = u < 128 ? 0 : 1;
        if (prevKind >= 0 && kind !== prevKind) break;
        prevKind = kind;
      } else break;
      i++;
    }
    let end = i;
    if (!hasDot) continue; // not a domain, address or IP
    const afterAt = start > 0 && t.charCodeAt(start - 1) === 64;
    if (!afterAt) start += leadingCut(t.slice(start, end));
    while (start < end && (t.charCodeAt(start) === 46 || t.charCodeAt(start) === 45)) start++;
    let seg = t.slice(start, end);
    const cut = trimGluedHost(seg);
    if (cut < seg.length) {
      seg = seg.slice(0, cut);
      end = start + cut;
    }
    while (seg.endsWith('.')) {
      seg = seg.slice(0, -1);
      end--;
    }
    if (!seg.includes('.') || end <= start) continue;
    // A local part of an e-mail address: the domain after '@' is handled with the address.
    if (t.charCodeAt(end) === 64 && !afterAt) continue;
    const defanged = hasMark(marks, start, end);
    if (afterAt) {
      emitEmail(t, marks, start, end, seg, hits);
      continue;
    }
    const v4 = checkIpv4(seg);
    if (v4) {
      if (!isVersionLike(t, start, end)) {
        hits.push(hit('ipv4', v4, start, end, defanged));
        schemeless(t, marks, start, end, v4, v4, true, hits);
      }
      continue;
    }
    if (/^[0-9.]+$/.test(seg)) continue;
    const d = checkDomain(seg, { lenient: defanged, standalone: true });
    if (!d) continue;
    hits.push(hit('domain', d.ascii, start, end, defanged, d.unicode));
    const pathEnd = schemeless(t, marks, start, end, d.ascii, d.unicode, false, hits);
    if (pathEnd > i) i = pathEnd;
  }
  return hits;
}

function isVersionLike(t: string, start: number, end: number): boolean {
  const before = t.slice(Math.max(0, start - 16), start);
  if (VERSION_WORDS.test(before)) return true;
  // 1.2.3.4.5 or 1.2.3.4-beta: part of a longer version string.
  const next = t.charCodeAt(end);
  return next === 45 && isAsciiAlnum(t.charCodeAt(end + 1)) && !isDigit(t.charCodeAt(end + 1));
}

function emitEmail(t: string, marks: readonly number[], start: number, end: number, domain: string, hits: Hit[]): void {
  const at = start - 1;
  let l = at;
  while (l > 0 && at - l < 64 && isLocalPartUnit(t.charCodeAt(l - 1))) l--;
  while (l < at && t.charCodeAt(l) === 46) l++;
  if (l === at) return;
  const local = t.slice(l, at);
  if (local.endsWith('.') || local.includes('..')) return;
  const defanged = hasMark(marks, l, end);
  const d = checkDomain(domain, { lenient: defanged });
  if (!d) return;
  hits.push(hit('email', `${local}@${d.ascii}`, l, end, defanged, `${local}@${d.unicode}`));
}

/**
 * `example.com/path` or `192.0.2.1:8080/x` without a scheme: reported as an http URL (as iocextract does) when a
 * path follows. A CIDR suffix (`/24`) is not a path. Returns the end of the URL, or `end` when there is none.
 */
function schemeless(
  t: string,
  marks: readonly number[],
  start: number,
  end: number,
  host: string,
  display: string,
  isIp: boolean,
  hits: Hit[],
): number {
  let p = end;
  let port = '';
  if (t.charCodeAt(p) === 58) {
    let q = p + 1;
    while (q < t.length && q - p <= 6 && isDigit(t.charCodeAt(q))) q++;
    if (q > p + 1 && t.charCodeAt(q) === 47) {
      port = t.slice(p, q);
      p = q;
    }
  }
  if (t.charCodeAt(p) !== 47) return end;
  let q = p;
  while (q < t.length && isUrlPathUnit(t.charCodeAt(q))) q++;
  while (q > p + 1 && '.,;:!?*\'")]}'.includes(t[q - 1]!)) q--;
  const path = t.slice(p, q);
  if (isIp && /^\/[0-9]{1,3}$/.test(path)) return end;
  if (path.startsWith('//')) return end;
  const defanged = hasMark(marks, start, q);
  hits.push(hit('url', `http://${host}${port}${path}`, start, q, defanged, `http://${display}${port}${path}`));
  return q;
}
