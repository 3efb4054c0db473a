import { isAsciiAlnum } from './chars.ts';

/** Refanged text and the offsets (in the refanged text) where a defang marker was undone, ascending. */
export interface Refanged {
  text: string;
  marks: number[];
}

const SCHEME_MIDDLE = new Set(['xx', 'XX', 'xX', 'Xx', '**', '__', 'tt', 'TT', 'tT', 'Tt']);
const SCHEME_SEPARATORS = ['://', '[://]', '(://)', '{://}', '[:]//', '(:)//', '{:}//', ':\\\\', '[:]\\\\', ':\\/\\/'];
const OPEN = '[({';
const CLOSE = ')]}';
/** Inner parts of a bracketed marker, longest first, and what each stands for. */
const BRACKETED: ReadonlyArray<readonly [string, string]> = [
  ['://', '://'],
  ['dot', '.'],
  ['at', '@'],
  ['.', '.'],
  ['@', '@'],
  [':', ':'],
  ['/', '/'],
];

/** `hxxp`, `h**ps`, `hXXp` …, followed by a (possibly defanged) `://`: returns the replacement and its length. */
function matchScheme(s: string, i: number): [string, number] | undefined {
  const mid = s.slice(i + 1, i + 3);
  if (!SCHEME_MIDDLE.has(mid)) return undefined;
  const p = s.charCodeAt(i + 3) | 0x20;
  if (p !== 0x70) return undefined;
  let j = i + 4;
  const secure = (s.charCodeAt(j) | 0x20) === 0x73;
  if (secure) j++;
  for (const sep of SCHEME_SEPARATORS) {
    if (!s.startsWith(sep, j)) continue;
    if ((mid === 'tt' || mid === 'TT') && sep === '://') return undefined; // plain http://, nothing to undo
    return [secure ? 'https://' : 'http://', j + sep.length - i];
  }
  return undefined;
}

/** A bracketed marker at i: `[.]`, `(dot)`, `{.)`, `[@]`, `(at)`, `[:]`, `[/]`, `[://]` (any bracket pair). */
function matchBracketed(s: string, i: number): [string, number] | undefined {
  if (!OPEN.includes(s[i] ?? '')) return undefined;
  for (const [inner, repl] of BRACKETED) {
    const got = s.slice(i + 1, i + 1 + inner.length);
    if (got.toLowerCase() !== inner) continue;
    if (!CLOSE.includes(s[i + 1 + inner.length] ?? '')) continue;
    return [repl, inner.length + 2];
  }
  return undefined;
}

/** The refang of a dot or at marker (bare `.` included) starting at i, for the spaced forms ` . `, ` [.] `. */
function matchDotOrAt(s: string, i: number): [string, number] | undefined {
  if (s[i] === '.') return ['.', 1];
  const b = matchBracketed(s, i);
  if (b && (b[0] === '.' || b[0] === '@')) return b;
  return undefined;
}

function labelEnd(s: string, k: number): number {
  const limit = Math.min(s.length, k + 63);
  while (k < limit) {
    const c = s.charCodeAt(k);
    if (!isAsciiAlnum(c) && c !== 45) break;
    k++;
  }
  return k;
}

/**
 * Undoes the usual defanging: hxxp(s), h**p, `[:]//`, `[://]`, `:\\`, `[.]` `(.)` `{.}` `[dot]` and mixed or half
 * brackets between label characters (`x[.y`, `x.)y`), `[@]` `(at)`, `[/]`, spaced dots (`example . com`), and the
 * spelled-out `user at example dot com` (only when an ` at ` is followed by ` dot `, or ` DOT ` in capitals).
 * One left-to-right pass with constant look-ahead: linear time.
 */
export function refang(s: string): Refanged {
  const parts: string[] = [];
  const marks: number[] = [];
  let outLen = 0;
  let copyFrom = 0;
  let wordChain = false;
  const emit = (i: number, repl: string, skip: number): number => {
    if (i > copyFrom) {
      parts.push(s.slice(copyFrom, i));
      outLen += i - copyFrom;
    }
    marks.push(outLen);
    parts.push(repl);
    outLen += repl.length;
    copyFrom = i + skip;
    return i + skip;
  };
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const prevAlnum = i > 0 && isAsciiAlnum(s.charCodeAt(i - 1));
    if (c === 104 || c === 72) {
      const m = matchScheme(s, i);
      if (m) {
        i = emit(i, m[0], m[1]);
        continue;
      }
    } else if (c === 91 || c === 40 || c === 123) {
      const m = matchBracketed(s, i);
      if (m) {
        i = emit(i, m[0], m[1]);
        continue;
      }
      if (prevAlnum && s[i + 1] === '.' && isAsciiAlnum(s.charCodeAt(i + 2))) {
        i = emit(i, '.', 2);
        continue;
      }
    } else if (c === 58 && s.startsWith('//', i + 1)) {
      // http://example,com/ and http://192,168,0,1: commas in a URL host.
      const hostStart = i + 3;
      let k = hostStart;
      let commas = false;
      while (k < s.length && k - hostStart < 256) {
        const u = s.charCodeAt(k);
        if (u === 44 && isAsciiAlnum(s.charCodeAt(k - 1)) && isAsciiAlnum(s.charCodeAt(k + 1))) commas = true;
        else if (!isAsciiAlnum(u) && u !== 45 && u !== 46) break;
        k++;
      }
      if (commas) {
        emit(hostStart, s.slice(hostStart, k).replaceAll(',', '.'), k - hostStart);
        i = k;
        continue;
      }
    } else if (c === 46) {
      if (prevAlnum && CLOSE.includes(s[i + 1] ?? '') && isAsciiAlnum(s.charCodeAt(i + 2))) {
        i = emit(i, '.', 2);
        continue;
      }
    } else if (c === 32 && prevAlnum) {
      const m = matchDotOrAt(s, i + 1);
      if (m && s.charCodeAt(i + 1 + m[1]) === 32 && isAsciiAlnum(s.charCodeAt(i + 2 + m[1]))) {
        i = emit(i, m[0], m[1] + 2);
        continue;
      }
      const word4 = s.slice(i + 1, i + 5);
      if (word4.toLowerCase() === 'dot ' && isAsciiAlnum(s.charCodeAt(i + 5)) && (wordChain || word4 === 'DOT ')) {
        i = emit(i, '.', 5);
        continue;
      }
      if (s.slice(i + 1, i + 4).toLowerCase() === 'at ' && isAsciiAlnum(s.charCodeAt(i + 4))) {
        const k = labelEnd(s, i + 4);
        if (s.slice(k, k + 5).toLowerCase() === ' dot ') {
          wordChain = true;
          i = emit(i, '@', 4);
          continue;
        }
      }
      wordChain = false;
    }
    i++;
  }
  if (copyFrom === 0) return { text: s, marks };
  parts.push(s.slice(copyFrom));
  return { text: parts.join(''), marks };
}

/** True when a refang mark falls inside [start, end) of the refanged text. */
export function hasMark(marks: readonly number[], start: number, end: number): boolean {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((marks[mid] ?? 0) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < marks.length && (marks[lo] ?? 0) < end;
}

/**
 * Defangs a URL, domain or IP for safe display: `http` → `hxxp`, dots in the host (only) → `[.]`.
 * `http://example.com/path.ext` → `hxxp://example[.]com/path.ext`.
 */
export function defang(value: string): string {
  let rest = value;
  let prefix = '';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    prefix = `${scheme[1]!.replace(/^http/i, 'hxxp')}://`;
    rest = rest.slice(scheme[0].length);
  }
  const cut = rest.search(/[/?#]/);
  const host = cut < 0 ? rest : rest.slice(0, cut);
  const tail = cut < 0 ? '' : rest.slice(cut);
  return prefix + host.replaceAll('.', '[.]') + tail;
}
