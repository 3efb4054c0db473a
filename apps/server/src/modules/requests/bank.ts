import { createRequire } from 'node:module';
import { AppError } from '../../platform/errors.ts';
import { ZenginKanaError, normaliseZenginKana } from './zenginKana.ts';

interface ZBranch {
  code: string;
  name: string;
}
interface ZBank {
  code: string;
  name: string;
  kana: string;
  branches: Record<string, ZBranch>;
}

let banks: Record<string, ZBank> | undefined;
/** The zengin-code data (bank and branch codes), loaded on first use. */
function zengin(): Record<string, ZBank> {
  if (!banks) banks = createRequire(import.meta.url)('zengin-code') as Record<string, ZBank>;
  return banks;
}

export const ACCOUNT_TYPES = { futsu: '普通', toza: '当座' } as const;
export type AccountType = keyof typeof ACCOUNT_TYPES;

export interface AccountInput {
  bankCode: string;
  branchCode: string;
  accountType: AccountType;
  number: string;
  holderKana: string;
}

export interface CheckedAccount extends AccountInput {
  bankName: string;
  branchName: string;
  /** The canonical observable form: bank-branch-type-number (1 普通, 2 当座). */
  canonical: string;
  display: string;
}

/**
 * Validates a bank account for a 口座凍結検討依頼: bank and branch against zengin-code (names shown), 普通/当座,
 * a 7-digit number, holder kana in the 全銀 set. A branch code the bank does not have is refused.
 */
export function checkAccount(a: AccountInput): CheckedAccount {
  if (!/^[0-9]{4}$/.test(a.bankCode)) throw new AppError('REQUEST_BANK_UNKNOWN', a.bankCode);
  const bank = zengin()[a.bankCode];
  if (!bank) throw new AppError('REQUEST_BANK_UNKNOWN', a.bankCode);
  const branch = /^[0-9]{3}$/.test(a.branchCode) ? bank.branches[a.branchCode] : undefined;
  if (!branch) throw new AppError('REQUEST_BRANCH_UNKNOWN', `${bank.name} ${a.branchCode}`);
  if (!(a.accountType in ACCOUNT_TYPES)) throw new AppError('VALIDATION_FAILED', 'accountType');
  if (!/^[0-9]{7}$/.test(a.number)) throw new AppError('REQUEST_ACCOUNT_NUMBER_INVALID', a.number);
  let holderKana: string;
  try {
    holderKana = normaliseZenginKana(a.holderKana);
  } catch (err) {
    if (err instanceof ZenginKanaError) throw new AppError('REQUEST_KANA_INVALID', err.character);
    throw err;
  }
  if (holderKana === '') throw new AppError('REQUEST_KANA_INVALID', '');
  const typeDigit = a.accountType === 'futsu' ? '1' : '2';
  return {
    ...a,
    holderKana,
    bankName: bank.name,
    branchName: branch.name,
    canonical: `${a.bankCode}-${a.branchCode}-${typeDigit}-${a.number}`,
    display: `${bank.name}(${a.bankCode}) ${branch.name}(${a.branchCode}) ${ACCOUNT_TYPES[a.accountType]} ${a.number} ${holderKana}`,
  };
}

/** For the form: bank name and branch names (code → name), or null. */
export function bankInfo(
  code: string,
): { code: string; name: string; branches: { code: string; name: string }[] } | null {
  const bank = zengin()[code];
  if (!bank) return null;
  return {
    code: bank.code,
    name: bank.name,
    branches: Object.values(bank.branches).map((b) => ({ code: b.code, name: b.name })),
  };
}
