import { createHash, randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

const ISSUER = 'Renkei';

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, login: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label: login,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

export function otpauthUrl(secretBase32: string, login: string): string {
  return totpFor(secretBase32, login).toString();
}

export function qrDataUrl(url: string): Promise<string> {
  return QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/**
 * The 30-second time step a code belongs to when it is valid for `at` (one period either side, for the clock
 * drift of phones), or null. Callers refuse a step at or below the last one used (RFC 6238 §5.2: no replay).
 */
export function totpStep(secretBase32: string, code: string, at: Date): number | null {
  const clean = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = totpFor(secretBase32, 'x').validate({ token: clean, timestamp: at.getTime(), window: 1 });
  return delta === null ? null : Math.floor(at.getTime() / 30_000) + delta;
}

export function checkTotp(secretBase32: string, code: string, at: Date): boolean {
  return totpStep(secretBase32, code, at) !== null;
}

export function generateTotp(secretBase32: string, at: Date): string {
  return totpFor(secretBase32, 'x').generate({ timestamp: at.getTime() });
}

/** Ten single-use recovery codes like `k3q9-7m2x-p4tw`, stored only as SHA-256. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: count }, () => {
    let chars = '';
    for (let i = 0; i < 12; i++) chars += alphabet[randomInt(alphabet.length)];
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(
      code
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9]/g, ''),
    )
    .digest('hex');
}
