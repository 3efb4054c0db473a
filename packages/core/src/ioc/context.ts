import type { IocRole, IocType } from './types.ts';

const VICTIM = /(私|わたし|自分|当方|本人|相談者|被害者|申告者|通報者|my|our)(の|\s)?[^。\n]{0,12}$/i;
const SUSPECT =
  /(振込先|振り込み先|送金先|入金先|送信元|発信元|差出人|犯人|相手|業者|詐欺|不審|請求|連絡先は|から(の)?電話|着信|架電|sender|attacker|c2|scammer)[^。\n]{0,20}$/i;

/** Types for which a role in the prose matters (a victim's own phone or account must not look like a suspect's). */
const PERSONAL: ReadonlySet<IocType> = new Set(['phone', 'bank_account', 'email', 'btc', 'eth', 'xmr']);

/**
 * A role hint from the words just before a value on the same line: 私の電話 → victim, 振込先 → suspect.
 * Only for personal identifiers; infrastructure (URLs, domains, IPs, hashes) stays `unknown`.
 */
export function roleFromProse(t: string, type: IocType, start: number): IocRole {
  if (!PERSONAL.has(type)) return 'unknown';
  const before = t.slice(Math.max(0, start - 30), start);
  const line = before.slice(before.lastIndexOf('\n') + 1);
  const v = VICTIM.exec(line);
  const s = SUSPECT.exec(line);
  if (v && s) return v.index > s.index ? 'victim' : 'suspect';
  if (v) return 'victim';
  if (s) return 'suspect';
  return 'unknown';
}

/** A short one-line excerpt around [start, end). */
export function snippet(t: string, start: number, end: number, pad = 24): string {
  const a = Math.max(0, start - pad);
  const b = Math.min(t.length, end + pad);
  return `${a > 0 ? '…' : ''}${t.slice(a, b).replace(/\s+/g, ' ')}${b < t.length ? '…' : ''}`;
}
