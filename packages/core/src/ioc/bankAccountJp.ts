import { type Hit, hit } from './hit.ts';
import { bankIndex } from './zengin.ts';

const TYPE_CODE: Record<string, string> = { 普通: '1', 総合: '1', 当座: '2', 貯蓄: '4' };
const TYPE_NAME: Record<string, string> = { '1': '普通', '2': '当座', '4': '貯蓄' };
const ANCHOR = /(普通|当座|貯蓄|総合)(?:預金|口座)?|口座番号/g;
const YUCHO =
  /記号\s*[:：]?\s*(\d{5})\s*[-、,]?\s*番号\s*[:：]?\s*(\d{1,8})|(?:ゆうちょ(?:銀行)?|記号番号)\s*[:：]?\s*(\d{5})\s*-\s*(\d{1,8})/g;
const BRANCH_SUFFIX = /支店|出張所|支所|営業部|本店|店/g;
const HOLDER = /^[\s:：]*(?:名義(?:人)?)?[\s:：]*([ァ-ヺー・()（）\s]{2,40})/;
const BACK = 80;

export interface BankAccountParts {
  bank: string;
  branch: string;
  type: string;
  number: string;
}

/** ゆうちょ 記号・番号 → 店番・種目・口座番号 (通常貯金 記号1xxxx: 店番 xx8, 普通; 振替 0xxxx: 店番 xx9, 当座). */
export function yuchoToZengin(kigou: string, bangou: string): BankAccountParts | undefined {
  if (!/^\d{5}$/.test(kigou) || !/^\d{1,8}$/.test(bangou)) return undefined;
  if (kigou[0] === '1') {
    if (bangou.length < 2 || !bangou.endsWith('1')) return undefined;
    const num = bangou.slice(0, -1);
    if (num.length > 7) return undefined;
    return { bank: '9900', branch: `${kigou.slice(1, 3)}8`, type: '1', number: num.padStart(7, '0') };
  }
  if (kigou[0] === '0') {
    if (bangou.length > 7) return undefined;
    return { bank: '9900', branch: `${kigou.slice(1, 3)}9`, type: '2', number: bangou.padStart(7, '0') };
  }
  return undefined;
}

/** The bank named last in `s` (longest name at each position): its code and where the name ends. */
function findBank(s: string): { code: string; end: number } | undefined {
  const idx = bankIndex();
  let found: { code: string; end: number } | undefined;
  // The last name in s: try end positions from the right, names ending there longest first.
  for (let e = s.length; e >= 2 && !found; e--) {
    for (const n of idx.lengthsByLastChar.get(s[e - 1]!) ?? []) {
      if (n > e) continue;
      const code = idx.byName.get(s.slice(e - n, e));
      if (code) {
        found = { code, end: e };
        break;
      }
    }
  }
  const byCode = /(?:銀行|金融機関)(?:コード|番号)\s*[:：]?\s*(\d{4})(?!\d)/.exec(s);
  if (byCode && idx.banks[byCode[1]!] && (!found || byCode.index + byCode[0].length > found.end)) {
    return { code: byCode[1]!, end: byCode.index + byCode[0].length };
  }
  return found;
}

/** Branch in the text between the bank name and the account type: by name (渋谷支店) or code (店番 210, (210)). */
function findBranch(bank: string, s: string): string | undefined {
  const idx = bankIndex();
  const names = idx.branchByName(bank);
  const branches = idx.banks[bank]?.branches ?? {};
  const compact = s.replace(/\s+/g, '');
  let byName: string | undefined;
  BRANCH_SUFFIX.lastIndex = 0;
  for (let m = BRANCH_SUFFIX.exec(compact); m; m = BRANCH_SUFFIX.exec(compact)) {
    const includeSuffix = m[0] === '営業部' || m[0] === '本店';
    const endAt = includeSuffix ? m.index + m[0].length : m.index;
    for (let n = Math.min(20, endAt); n >= 1; n--) {
      const code = names.get(compact.slice(endAt - n, endAt));
      if (code) {
        byName = code;
        break;
      }
    }
    if (byName) break;
  }
  const codeMatch = /(?:店番号?|支店番号|支店コード)[:：]?(\d{3})(?!\d)|[(（](\d{3})[)）]/.exec(compact);
  const byCode = codeMatch ? (codeMatch[1] ?? codeMatch[2]) : undefined;
  if (byCode && branches[byCode]) {
    if (byName && byName !== byCode) return undefined; // name and code disagree
    return byCode;
  }
  return byName;
}

function describe(p: BankAccountParts, holder: string | undefined): string {
  const idx = bankIndex();
  const bank = idx.banks[p.bank];
  const branch = bank?.branches[p.branch];
  const parts = [`${bank?.name ?? p.bank}`, `${branch?.name ?? p.branch}`, TYPE_NAME[p.type] ?? p.type, p.number];
  if (holder) parts.push(holder);
  return parts.join(' ').normalize('NFKC');
}

function partsValue(p: BankAccountParts): string {
  return `${p.bank}-${p.branch}-${p.type}-${p.number}`;
}

/**
 * Japanese bank accounts written in prose: a bank (name or 銀行コード), a branch (name or 店番), 普通/当座/貯蓄
 * and a 7-digit number (holder in カナ kept for display), validated against zengin-code; ゆうちょ 記号・番号 are
 * converted. Work is bounded per anchor word (the text around 普通, 当座…), so the scan is linear.
 */
export function scanBankAccountsJp(t: string): Hit[] {
  const hits: Hit[] = [];
  YUCHO.lastIndex = 0;
  for (let m = YUCHO.exec(t); m; m = YUCHO.exec(t)) {
    const p = yuchoToZengin((m[1] ?? m[3])!, (m[2] ?? m[4])!);
    if (!p || !bankIndex().banks['9900']?.branches[p.branch]) continue;
    const end = m.index + m[0].length;
    const holder = HOLDER.exec(t.slice(end, end + 50))?.[1]?.trim();
    hits.push(hit('bank_account', partsValue(p), m.index, end, false, describe(p, holder)));
  }
  let floor = 0;
  ANCHOR.lastIndex = 0;
  for (let m = ANCHOR.exec(t); m; m = ANCHOR.exec(t)) {
    const anchorEnd = m.index + m[0].length;
    const backStart = Math.max(floor, m.index - BACK);
    const before = t.slice(backStart, m.index);
    if (!/店|営業部|出張所|支所|店番/.test(before)) continue;
    const bank = findBank(before);
    if (!bank) {
      // No bank before this anchor: later anchors need not look behind it again.
      floor = m.index;
      continue;
    }
    const branch = findBranch(bank.code, before.slice(bank.end));
    if (!branch) continue;
    const type = m[1] ? TYPE_CODE[m[1]]! : (/(普通|当座|貯蓄)/.exec(before.slice(bank.end))?.[1] ?? '普通');
    const typeCode = TYPE_CODE[type] ?? type;
    const after = t.slice(anchorEnd, anchorEnd + 40);
    const num = /^[^\d\n]{0,12}?(\d{6,7})(?!\d)/.exec(after);
    if (!num) continue;
    const numEnd = anchorEnd + num[0].length;
    const holder = HOLDER.exec(t.slice(numEnd, numEnd + 50))?.[1]?.trim();
    const p: BankAccountParts = { bank: bank.code, branch, type: typeCode, number: num[1]!.padStart(7, '0') };
    hits.push(hit('bank_account', partsValue(p), backStart + bank.end, numEnd, false, describe(p, holder)));
    floor = numEnd;
    ANCHOR.lastIndex = numEnd;
  }
  return hits;
}
