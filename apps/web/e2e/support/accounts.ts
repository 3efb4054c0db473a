import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { e2eDataDir } from './env';

// TOTP secrets the tests enrolled, kept in the run's data folder (wiped with the server's data at each run)
// so that every spec file can sign in as an account another one enrolled.
const file = `${e2eDataDir}/e2e-accounts.json`;

export interface Account {
  login: string;
  password: string;
  totpSecret?: string;
}

function readAll(): Record<string, Account> {
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Account>;
}

export function loadAccount(login: string): Account | undefined {
  return readAll()[login];
}

export function saveAccount(account: Account): void {
  writeFileSync(file, JSON.stringify({ ...readAll(), [account.login]: account }, null, 2));
}

/** A short suffix that keeps logins and unit codes unique within a run. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
