import * as OTPAuth from 'otpauth';

const PERIOD_MS = 30_000;
const lastStep = new Map<string, number>();

/**
 * A TOTP code for the secret (base32, spaces allowed). Servers refuse a code that was already used, so when
 * this secret already produced a code in the current 30-second step, it waits for the next step.
 */
export async function totpCode(secret: string): Promise<string> {
  const clean = secret.replace(/\s/g, '');
  let step = Math.floor(Date.now() / PERIOD_MS);
  const used = lastStep.get(clean);
  if (used !== undefined && used >= step) {
    await new Promise((resolve) => setTimeout(resolve, (used + 1) * PERIOD_MS - Date.now() + 200));
    step = Math.floor(Date.now() / PERIOD_MS);
  }
  lastStep.set(clean, step);
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(clean) }).generate();
}
