// Character classes for the scanners. All work on UTF-16 code units of NFKC-normalised text.

export function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

let idnTable: Uint8Array | undefined;
const LETTER = /[\p{L}\p{M}\p{N}]/u;

/**
 * A non-ASCII code unit that may appear in an IDN label (letters, marks, digits; BMP only — astral letters are
 * rare in domain names and surrogates are treated as terminators). Built once, 64 KiB.
 */
export function isIdnUnit(c: number): boolean {
  if (c < 128 || (c >= 0xd800 && c <= 0xdfff)) return false;
  if (!idnTable) {
    idnTable = new Uint8Array(65536);
    for (let i = 128; i < 65536; i++) {
      if (i >= 0xd800 && i <= 0xdfff) continue;
      if (LETTER.test(String.fromCharCode(i))) idnTable[i] = 1;
    }
  }
  return idnTable[c] === 1;
}

/** Label characters of a host name: ASCII letters, digits, '-', '_' and IDN letters. */
export function isHostUnit(c: number): boolean {
  return isAsciiAlnum(c) || c === 45 || c === 95 || isIdnUnit(c);
}

/** Characters allowed in a URL path, query or fragment as we scan it (ASCII only: raw non-ASCII ends a URL). */
export function isUrlPathUnit(c: number): boolean {
  if (c <= 32 || c >= 127) return false;
  // " ' < > \ ^ ` { | }
  return !(
    c === 34 ||
    c === 39 ||
    c === 60 ||
    c === 62 ||
    c === 92 ||
    c === 94 ||
    c === 96 ||
    c === 123 ||
    c === 124 ||
    c === 125
  );
}

const LOCAL_EXTRA = new Set(Array.from("!#$%&'*+-/=?^_`{|}~.", (ch) => ch.charCodeAt(0)));

/** Characters of an e-mail local part (RFC 5322 atext plus '.'), ASCII only. */
export function isLocalPartUnit(c: number): boolean {
  return isAsciiAlnum(c) || LOCAL_EXTRA.has(c);
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0x3000;
}
