import { createRequire } from 'node:module';
import type { ZenginBank } from 'zengin-code';

export type { ZenginBank };

export interface BankIndex {
  banks: Record<string, ZenginBank>;
  /** Prose spellings (NFKC) → bank code: みずほ銀行, 川口信用金庫, ゆうちょ… */
  byName: Map<string, string>;
  maxNameLength: number;
  /** Last character of a prose name → the lengths of names ending with it, longest first. */
  lengthsByLastChar: Map<string, number[]>;
  /** Per bank: branch name (NFKC) → branch code. */
  branchByName(bankCode: string): Map<string, string>;
}

let index: BankIndex | undefined;

function proseNames(code: string, name: string): string[] {
  const base = name.normalize('NFKC').replace(/\s+/g, '');
  if (code === '9900') return ['ゆうちょ銀行', 'ゆうちょ', 'ゆうちょ銀'];
  const out: string[] = [];
  if (code.startsWith('0')) {
    out.push(`${base}銀行`);
    // City and net banks are often written without 銀行 (みずほ, 三菱UFJ, PayPay); regional names are places.
    if (code < '0100' || code === '0310' || code === '0397') out.push(base);
  } else out.push(base);
  const long: Array<[string, string]> = [
    ['信金', '信用金庫'],
    ['信組', '信用組合'],
    ['労金', '労働金庫'],
    ['農協', '農業協同組合'],
    ['漁協', '漁業協同組合'],
  ];
  for (const [short, full] of long) {
    if (base.endsWith(short)) out.push(base.slice(0, -short.length) + full);
  }
  if (base.endsWith('農協')) out.push(`JA${base.slice(0, -2)}`);
  return out;
}

/**
 * The zengin-code data (bank and branch codes), loaded on first use (it is 5 MB) and indexed by prose names.
 * Bank names alone (without 銀行 or a similar word) are only indexed where the data name already has one.
 */
export function bankIndex(): BankIndex {
  if (index) return index;
  const require = createRequire(import.meta.url);
  const banks = require('zengin-code') as Record<string, ZenginBank>;
  const byName = new Map<string, string>();
  let maxNameLength = 0;
  for (const bank of Object.values(banks)) {
    for (const n of proseNames(bank.code, bank.name)) {
      if (n.length < 2) continue;
      // Short forms shared by several banks are ambiguous: only the first (lowest code) is kept.
      if (!byName.has(n)) byName.set(n, bank.code);
      maxNameLength = Math.max(maxNameLength, n.length);
    }
  }
  const lengthsByLastChar = new Map<string, number[]>();
  for (const n of byName.keys()) {
    const last = n[n.length - 1]!;
    const lens = lengthsByLastChar.get(last) ?? [];
    if (!lens.includes(n.length)) lens.push(n.length);
    lengthsByLastChar.set(last, lens);
  }
  for (const lens of lengthsByLastChar.values()) lens.sort((a, b) => b - a);
  const branchMaps = new Map<string, Map<string, string>>();
  index = {
    banks,
    byName,
    maxNameLength,
    lengthsByLastChar,
    branchByName(bankCode: string): Map<string, string> {
      let m = branchMaps.get(bankCode);
      if (!m) {
        m = new Map();
        for (const b of Object.values(banks[bankCode]?.branches ?? {})) {
          const n = b.name.normalize('NFKC').replace(/\s+/g, '');
          if (!m.has(n)) m.set(n, b.code);
        }
        branchMaps.set(bankCode, m);
      }
      return m;
    },
  };
  return index;
}
