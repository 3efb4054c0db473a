import { type Brand, type BrandIndex, type BrandName, buildBrandIndex, nameKey, officialBrandOf } from './brands.ts';
import { parseUrlish, type UrlParts } from './parse.ts';
import { editDistance, skeleton } from './skeleton.ts';

/** Where and how a brand showed up. */
export type SignalKind =
  | 'lookalike_domain' // registered label looks exactly like the brand's (TLD swap, homograph, punycode)
  | 'short_lookalike_domain' // the same for a name of three letters or fewer
  | 'official_in_subdomain' // `www.amazon.co.jp.evil.example`, `amazon-co-jp.evil.example`
  | 'fake_domain_in_subdomain' // `rakvten-card.co.jp.evil.example`: a misspelt brand domain in the subdomain
  | 'registered_token' // `amazon-jp.example`, `epos-card-xyz.com`
  | 'registered_typo' // `amazom.com`, `arnazon.com`
  | 'registered_substring' // `myamazonsecure.com`
  | 'subdomain_token' // `epos-card.evil.example`
  | 'subdomain_substring'
  | 'subdomain_typo'
  | 'userinfo' // `https://amazon.co.jp@evil.example/`
  | 'japanese_host' // `アマゾン.example` (IDN)
  | 'path_token' // `evil.example/amazon/login`
  | 'path_substring'
  | 'japanese_path';

/** How much each kind of signal alone says (0..1); named brands need THRESHOLD. Tuned on June 2022 only. */
export const SIGNAL_WEIGHT: Readonly<Record<SignalKind, number>> = {
  lookalike_domain: 0.95,
  short_lookalike_domain: 0.55,
  official_in_subdomain: 0.95,
  fake_domain_in_subdomain: 0.8,
  registered_token: 0.9,
  registered_typo: 0.85,
  registered_substring: 0.8,
  subdomain_token: 0.85,
  subdomain_substring: 0.75,
  subdomain_typo: 0.7,
  userinfo: 0.85,
  japanese_host: 0.9,
  path_token: 0.65,
  path_substring: 0.6,
  japanese_path: 0.65,
};

export const THRESHOLD = 0.6;

export interface Signal {
  kind: SignalKind;
  /** The brand word or name that matched. */
  name: string;
  /** The text it matched in. */
  found: string;
}

export interface BrandVerdict {
  input: string;
  /** The impersonated brand's label, or null (not confident, nothing found, or the brand's own domain). */
  brand: string | null;
  /** Confidence 0..1 for the best brand found (0 for an official domain or unparseable input). */
  score: number;
  /** The official domain's brand when the input is one of its own domains. */
  officialOf?: string;
  signals: Signal[];
}

const SHORT = 4; // names this short only count as a whole token

/** Contiguous runs of up to three tokens, each joined without the separator. */
function tokenRuns(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let run = '';
    for (let j = i; j < Math.min(tokens.length, i + 3); j++) {
      run += tokens[j];
      out.push(run);
    }
  }
  return out;
}

/** Typos allowed for a name of this many letters (as written, not its skeleton: `m` → `rn` adds one). */
function typoBudget(length: number): number {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

type Found = Map<Brand, Map<SignalKind, { name: BrandName; found: string }>>;

function note(found: Found, name: BrandName, kind: SignalKind, text: string): void {
  const kinds = found.get(name.brand) ?? new Map();
  found.set(name.brand, kinds);
  const prev = kinds.get(kind);
  // keep the longest name per kind: it says the most
  if (!prev || name.length > prev.name.length) kinds.set(kind, { name, found: text });
}

/**
 * Looks for brand names in the registered label, or in the subdomain (all its labels as one run of tokens, so
 * `nhk.plus.evil.example` spells `nhkplus`).
 */
function scanHostPart(index: BrandIndex, found: Found, text: string, where: 'registered' | 'subdomain'): void {
  const tokens = text.split(/[-_.]+/).filter((t) => t !== '');
  const whole = skeleton(tokens.join(''));
  if (whole === '') return;
  const runs = tokenRuns(tokens).map((r) => skeleton(r));
  const runSet = new Set(runs);
  const registered = where === 'registered';
  if (registered) {
    for (const n of index.byKey.get(whole) ?? []) {
      // a two- or three-letter label alone (goo.gs, au.example) is too weak to name a brand
      note(found, n, n.length > 3 ? 'lookalike_domain' : 'short_lookalike_domain', text);
    }
  }
  for (const run of runSet) {
    if (registered && run === whole) continue; // already the whole label
    for (const n of index.byKey.get(run) ?? [])
      note(found, n, registered ? 'registered_token' : 'subdomain_token', text);
  }
  for (const n of index.names) {
    if (n.length <= SHORT || runSet.has(n.key) || whole === n.key) continue;
    // substrings only for listed words: a domain label such as `digital` (digital.go.jp) is too common inside others
    if (n.listed && whole.includes(n.key)) {
      note(found, n, registered ? 'registered_substring' : 'subdomain_substring', text);
      continue;
    }
    const budget = typoBudget(n.length);
    if (budget === 0) continue;
    const candidates = registered ? [whole, ...runSet] : runSet;
    for (const c of candidates) {
      // a typo needs five letters of its own: `card` is not a misspelt `dcard`
      if (c.length < 5 || Math.abs(c.length - n.key.length) > budget) continue;
      if (editDistance(c, n.key, budget) <= budget) {
        note(found, n, registered ? 'registered_typo' : 'subdomain_typo', text);
        break;
      }
    }
  }
}

/** A full official domain spelled inside the subdomain, with dots or hyphens: `amazon.co.jp.x.cn`, `amazon-co-jp.x.cn`. */
function scanEmbeddedOfficial(index: BrandIndex, found: Found, parts: UrlParts): void {
  if (parts.subdomain.length === 0) return;
  const shown = parts.subdomain.join('.');
  const sub = `.${shown.replace(/[-_]/g, '.')}.`;
  for (const [domain, brand] of index.official) {
    if (!sub.includes(`.${domain.replace(/-/g, '.')}.`)) continue;
    const name: BrandName = { brand, name: domain, key: nameKey(domain), length: domain.length, listed: true };
    note(found, name, 'official_in_subdomain', shown);
  }
  // a label spelt like a domain (followed by com, co.jp, ne.jp…) is compared with brand names more loosely
  const tokens = sub.split('.').filter((t) => t !== '');
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!FAKE_SUFFIX_START.has(tokens[i + 1]!)) continue;
    const candidates = [skeleton(tokens[i]!), ...(i > 0 ? [skeleton(tokens[i - 1]! + tokens[i]!)] : [])];
    for (const n of index.names) {
      if (n.length < 5) continue;
      const budget = Math.max(typoBudget(n.length), Math.floor(n.length / 3));
      for (const c of candidates) {
        if (c === n.key || c.length < 5 || Math.abs(c.length - n.key.length) > budget) continue;
        if (editDistance(c, n.key, budget) <= budget) {
          note(found, n, 'fake_domain_in_subdomain', shown);
          break;
        }
      }
    }
  }
}

/** First labels of the suffixes phishers spell out in a subdomain (`brand.co.jp.evil.example`). */
const FAKE_SUFFIX_START = new Set(['com', 'co', 'jp', 'ne', 'or', 'net']);

function scanPath(index: BrandIndex, found: Found, path: string, kindToken: SignalKind, kindSub: SignalKind): void {
  if (path === '' || path === '/') return;
  // a whole path segment (extension dropped) may be a short name: `/au/page1.php`, `/jcb.php`
  const segments = new Set(
    path
      .split(/[/?#&=]+/)
      .map((seg) => skeleton(seg.replace(/\.[a-z0-9]{1,5}$/, '').replace(/[-_]/g, '')))
      .filter((seg) => seg.length >= 2),
  );
  const tokens = new Set(
    path
      .split(/[^a-z0-9\p{L}\p{N}]+/u)
      .filter((t) => t.length > SHORT)
      .map((t) => skeleton(t)),
  );
  const flat = skeleton(path.replace(/[^a-z0-9]+/g, ''));
  for (const n of index.names) {
    if (segments.has(n.key) || (n.length > SHORT && tokens.has(n.key))) note(found, n, kindToken, path);
    else if (n.listed && n.length >= 6 && flat.includes(n.key)) note(found, n, kindSub, path);
  }
}

function scanJapanese(index: BrandIndex, found: Found, text: string, kind: SignalKind): void {
  if (!/[^\x20-\x7e]/.test(text)) return;
  const t = text.normalize('NFKC').toLowerCase();
  for (const j of index.ja) {
    if (t.includes(j.text))
      note(found, { brand: j.brand, name: j.text, key: j.text, length: j.text.length, listed: true }, kind, text);
  }
}

/** Combined confidence of independent signals: 1 − Π(1 − wᵢ), at most 0.99. */
function combine(kinds: Iterable<SignalKind>): number {
  let miss = 1;
  for (const k of kinds) miss *= 1 - SIGNAL_WEIGHT[k];
  return Math.min(0.99, 1 - miss);
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

let shipped: BrandIndex | undefined;

/** The index of the shipped brand list, built on first use. */
export function defaultBrandIndex(): BrandIndex {
  shipped ??= buildBrandIndex();
  return shipped;
}

/**
 * Scores one URL or domain for brand impersonation. Pure and total: any string gives a verdict (garbage gives
 * `brand: null, score: 0`). A brand's own official domains and their subdomains give null with `officialOf` set.
 */
export function scoreBrand(input: string, index: BrandIndex = defaultBrandIndex()): BrandVerdict {
  const parts = parseUrlish(input);
  if (!parts) return { input, brand: null, score: 0, signals: [] };
  if (!parts.isIp) {
    const own = officialBrandOf(index, parts.host);
    if (own) return { input, brand: null, score: 0, officialOf: own.label, signals: [] };
  }
  const found: Found = new Map();
  if (!parts.isIp && parts.registered !== '') {
    scanHostPart(index, found, parts.registeredUnicode, 'registered');
    if (parts.subdomain.length > 0) scanHostPart(index, found, parts.subdomain.join('.'), 'subdomain');
    scanEmbeddedOfficial(index, found, parts);
    scanJapanese(index, found, parts.hostUnicode, 'japanese_host');
  }
  if (parts.userinfo !== '') {
    scanPath(index, found, parts.userinfo, 'userinfo', 'userinfo');
    scanEmbeddedOfficial(index, found, { ...parts, subdomain: [parts.userinfo.replace(/[:@/]/g, '.')] });
  }
  scanPath(index, found, parts.path, 'path_token', 'path_substring');
  scanJapanese(index, found, parts.path, 'japanese_path');

  const ranked = [...found].map(([brand, kinds]) => {
    const names = [...kinds.values()].map((v) => v.name);
    const key = names.reduce((a, n) => (n.key.length > a.length ? n.key : a), '');
    return { brand, kinds, score: combine(kinds.keys()), listed: names.some((n) => n.listed), key };
  });
  // best score first; on a tie a listed word beats a domain label, then the longer name (mufgcard over mufg)
  ranked.sort((a, b) => b.score - a.score || Number(b.listed) - Number(a.listed) || b.key.length - a.key.length);
  let best = ranked[0];
  if (!best) return { input, brand: null, score: 0, signals: [] };
  let score = best.score;
  const second = ranked[1];
  if (
    second &&
    second.score >= best.score - 0.1 &&
    second.key.length > best.key.length &&
    second.key.includes(best.key)
  ) {
    // nearly as strong and more specific (`smbc-cardc` is a misspelt smbc-card, not smbc): the specific one
    best = second;
    score = second.score;
  } else if (
    second &&
    second.score === best.score &&
    second.listed === best.listed &&
    second.key.length === best.key.length
  ) {
    score -= 0.2; // two brands fit equally well: not confident
  }
  const signals = [...best.kinds].map(([kind, v]) => ({ kind, name: v.name.name, found: v.found }));
  const s = round(Math.max(0, score));
  return { input, brand: s >= THRESHOLD ? best.brand.label : null, score: s, signals };
}
