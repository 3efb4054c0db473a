import { createHash } from 'node:crypto';

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_INDEX = new Map(Array.from(B58, (ch, i) => [ch, i] as const));

export function isBase58(s: string): boolean {
  for (const ch of s) if (!B58_INDEX.has(ch)) return false;
  return true;
}

/** Base58 to bytes (inputs are short: at most ~110 characters). */
function base58Decode(s: string): Uint8Array | undefined {
  const bytes: number[] = [0];
  for (const ch of s) {
    const v = B58_INDEX.get(ch);
    if (v === undefined) return undefined;
    let carry = v;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (const ch of s) {
    if (ch !== '1') break;
    bytes.push(0);
  }
  return Uint8Array.from(bytes.reverse());
}

function sha256(b: Uint8Array): Buffer {
  return createHash('sha256').update(b).digest();
}

/** Legacy (P2PKH `1…`) and P2SH (`3…`) Bitcoin addresses, checked with their Base58Check checksum. */
export function isBtcBase58(s: string): boolean {
  if (s.length < 26 || s.length > 35 || (s[0] !== '1' && s[0] !== '3')) return false;
  const b = base58Decode(s);
  if (b === undefined) return false;
  if (b.length !== 25) return false;
  const version = b[0];
  if (version !== 0 && version !== 5) return false;
  const check = sha256(sha256(b.subarray(0, 21)));
  for (let i = 0; i < 4; i++) if (check[i] !== b[21 + i]) return false;
  return true;
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i]!;
  }
  return chk >>> 0;
}

/** Segwit Bitcoin addresses (`bc1…`), bech32 or bech32m checksum. Returns the lower-case form. */
export function bech32Btc(s: string): string | undefined {
  if (s.length < 14 || s.length > 74) return undefined;
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) return undefined;
  if (!lower.startsWith('bc1')) return undefined;
  const data: number[] = [];
  for (const ch of lower.slice(3)) {
    const v = BECH32.indexOf(ch);
    if (v < 0) return undefined;
    data.push(v);
  }
  const hrp = [3, 3, 0, 2, 3]; // expanded "bc"
  const c = polymod([...hrp, ...data]);
  return c === 1 || c === 0x2bc830a3 ? lower : undefined;
}

/** Monero standard (95) or integrated (106) addresses starting with 4 or 8. Checksum (Keccak) not verified. */
export function isXmr(s: string): boolean {
  if (s.length !== 95 && s.length !== 106) return false;
  if (s[0] !== '4' && s[0] !== '8') return false;
  if (!'0123456789AB'.includes(s[1] ?? '')) return false;
  return isBase58(s);
}
