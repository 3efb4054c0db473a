import { roleFromProse, snippet } from './context.ts';
import type { Hit } from './hit.ts';
import { normalizeText } from './normalize.ts';
import { refang } from './refang.ts';
import { scanBankAccountsJp } from './bankAccountJp.ts';
import { scanIpv6 } from './scanIpv6.ts';
import { scanPhonesJp } from './phoneJp.ts';
import { scanText } from './scanText.ts';
import { scanAlnumRuns, scanPatterns } from './scanTokens.ts';
import { scanUrls } from './scanUrls.ts';
import { type ExtractJson, IOC_TYPES, type IocContext, type IocFinding, type IocType } from './types.ts';

export interface ExtractOptions {
  /** Context given to every finding (location, depth…); the role is refined from the prose when unknown. */
  context?: Partial<IocContext>;
  /** Include a snippet of surrounding text in each finding's context (default true). */
  snippets?: boolean;
}

/** The text as the scanners see it: NFKC, separators folded, refanged; marks are where defanging was undone. */
export function prepareText(input: string): { text: string; marks: number[] } {
  return refang(normalizeText(input));
}

/** All raw hits over prepared text, in no particular order. */
export function scanAll(text: string, marks: readonly number[]): Hit[] {
  const urls = scanUrls(text, marks);
  return [
    ...urls.hits,
    ...scanText(text, marks, urls.spans),
    ...scanIpv6(text),
    ...scanAlnumRuns(text),
    ...scanPatterns(text),
    ...scanPhonesJp(text),
    ...scanBankAccountsJp(text),
  ];
}

/**
 * Extracts indicators from free text (Japanese or English): one finding per distinct (type, value, role), in
 * order of first appearance. Linear in the length of the text.
 */
export function extractIocs(input: string, options: ExtractOptions = {}): IocFinding[] {
  const { text, marks } = prepareText(input);
  const hits = scanAll(text, marks).sort((a, b) => a.start - b.start || b.end - a.end);
  const seen = new Set<string>();
  const out: IocFinding[] = [];
  const base = options.context ?? {};
  for (const h of hits) {
    const role = base.role && base.role !== 'unknown' ? base.role : roleFromProse(text, h.type, h.start);
    const key = `${h.type}\u0000${h.value}\u0000${role}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const context: IocContext = { location: base.location ?? 'text', ...base, role };
    if (options.snippets !== false) context.snippet = snippet(text, h.start, h.end);
    out.push({ type: h.type, value: h.value, display: h.display, defanged: h.defanged, context });
  }
  return out;
}

/** The `renkei extract --json` object: per type, sorted unique canonical values; empty types omitted. */
export function toExtractJson(findings: readonly IocFinding[]): ExtractJson {
  const sets = new Map<IocType, Set<string>>();
  for (const f of findings) {
    let s = sets.get(f.type);
    if (!s) {
      s = new Set();
      sets.set(f.type, s);
    }
    s.add(f.value);
  }
  const out: ExtractJson = {};
  for (const type of IOC_TYPES) {
    const s = sets.get(type);
    if (s && s.size > 0) out[type] = [...s].sort();
  }
  return out;
}
