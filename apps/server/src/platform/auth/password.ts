import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../errors.ts';

// OWASP's argon2id minimum (m=19 MiB, t=2, p=1): ~30 ms here, slow enough for guessing, fast enough for logins.
const OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the login is unknown, so timing does not reveal which logins exist. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('renkei-dummy-password-for-timing');
  return dummy;
}

// No 0/O, 1/l/I: one-time passwords are read aloud and typed from paper.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generatePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export function checkPasswordStrength(password: string, login: string, current?: string): void {
  const chars = [...password];
  if (chars.length < 12 || chars.length > 256) throw new AppError('PASSWORD_TOO_WEAK');
  if (password.toLowerCase().includes(login.toLowerCase())) throw new AppError('PASSWORD_TOO_WEAK');
  if (current !== undefined && password === current) throw new AppError('PASSWORD_TOO_WEAK');
  if (new Set(chars).size < 5) throw new AppError('PASSWORD_TOO_WEAK');
}
