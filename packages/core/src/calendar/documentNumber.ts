// Document numbers (文書番号) rendered from per-unit / per-prefecture templates, and parsed back.
//
// Template syntax:
//   literal text            copied as is
//   {abbrev}                the one unit abbreviation (サ対); more than one given → error
//   {abbrevs} {abbrevs:・}  all abbreviations, main unit first, joined by '、' (default) or the given separator
//   {seq} {seq:3}           sequence number (年内通番), optionally zero-padded to a minimum width
//   {branch} {branch:2}     branch number (枝番), e.g. 第6―1号
//   {year:FORM} {fy:FORM}   calendar year / fiscal year; FORM = western (2025, default) | wareki (令和7, 令和元)
//                           | eraYear (7) | short (R7)
//   [ ... ]                 optional part, rendered only if every placeholder inside has a value
//   {{ }} [[ ]]             literal braces / brackets
// Examples: 達({abbrevs})第{seq}号 → 達(生環、務、公)第90号; 鳥{abbrev}例規第{seq}号 → 鳥サ対例規第1号;
//   群本例規第{seq}号({abbrev}) → 群本例規第21号(情管); {abbrevs:・}警発甲第{seq}[―{branch}]号 → 生戦・務警発甲第6―1号;
//   {year:wareki}年福島県警察訓令第{seq}号 → 令和7年福島県警察訓令第20号.

import type { CalendarDate } from './calendarDate.ts';
import { calendarDateParts } from './calendarDate.ts';
import { fiscalYearOf } from './retention.ts';
import { ERAS, type EraName, gregorianYearOf, toWareki, warekiYear } from './wareki.ts';

export class DocumentNumberTemplateError extends Error {
  constructor(
    message: string,
    readonly template: string,
  ) {
    super(`${message} in document number template ${JSON.stringify(template)}`);
    this.name = 'DocumentNumberTemplateError';
  }
}

export type YearForm = 'western' | 'wareki' | 'eraYear' | 'short';

type Placeholder =
  | { readonly kind: 'abbrev' }
  | { readonly kind: 'abbrevs'; readonly separator: string }
  | { readonly kind: 'seq' | 'branch'; readonly width: number }
  | { readonly kind: 'year' | 'fy'; readonly form: YearForm };

type Token = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'slot'; readonly slot: Placeholder };

type Segment = { readonly optional: boolean; readonly tokens: readonly Token[] };

export interface DocumentNumberTemplate {
  readonly source: string;
  readonly segments: readonly Segment[];
}

const YEAR_FORMS: readonly YearForm[] = ['western', 'wareki', 'eraYear', 'short'];

function parsePlaceholder(body: string, template: string): Placeholder {
  const colon = body.indexOf(':');
  const name = colon < 0 ? body : body.slice(0, colon);
  const option = colon < 0 ? undefined : body.slice(colon + 1);
  switch (name) {
    case 'abbrev':
      if (option !== undefined) throw new DocumentNumberTemplateError('{abbrev} takes no option', template);
      return { kind: 'abbrev' };
    case 'abbrevs':
      if (option === '') throw new DocumentNumberTemplateError('Empty separator for {abbrevs}', template);
      if (option !== undefined && /[\s\d]/.test(option)) {
        throw new DocumentNumberTemplateError('The {abbrevs} separator must not contain spaces or digits', template);
      }
      return { kind: 'abbrevs', separator: option ?? '、' };
    case 'seq':
    case 'branch': {
      if (option !== undefined && !/^[1-9]$/.test(option)) {
        throw new DocumentNumberTemplateError(`{${name}} width must be 1–9, got ${JSON.stringify(option)}`, template);
      }
      return { kind: name, width: option === undefined ? 1 : Number(option) };
    }
    case 'year':
    case 'fy': {
      const form = (option ?? 'western') as YearForm;
      if (!YEAR_FORMS.includes(form)) {
        throw new DocumentNumberTemplateError(
          `{${name}} form must be one of ${YEAR_FORMS.join(', ')}, got ${JSON.stringify(option)}`,
          template,
        );
      }
      return { kind: name, form };
    }
    default:
      throw new DocumentNumberTemplateError(`Unknown placeholder {${body}}`, template);
  }
}

/** Validates and compiles a template; throws DocumentNumberTemplateError. */
export function compileDocumentNumberTemplate(template: string): DocumentNumberTemplate {
  const segments: { optional: boolean; tokens: Token[] }[] = [{ optional: false, tokens: [] }];
  let text = '';
  const flush = () => {
    if (text) segments[segments.length - 1]!.tokens.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    const next = template[i + 1];
    if ((ch === '{' || ch === '}' || ch === '[' || ch === ']') && next === ch) {
      text += ch;
      i += 2;
    } else if (ch === '{') {
      const close = template.indexOf('}', i);
      if (close < 0) throw new DocumentNumberTemplateError('Unclosed {', template);
      const body = template.slice(i + 1, close);
      if (body.includes('{')) throw new DocumentNumberTemplateError('Nested {', template);
      flush();
      segments[segments.length - 1]!.tokens.push({ kind: 'slot', slot: parsePlaceholder(body, template) });
      i = close + 1;
    } else if (ch === '}') {
      throw new DocumentNumberTemplateError('Unmatched }', template);
    } else if (ch === '[') {
      if (segments[segments.length - 1]!.optional) throw new DocumentNumberTemplateError('Nested [', template);
      flush();
      segments.push({ optional: true, tokens: [] });
      i++;
    } else if (ch === ']') {
      if (!segments[segments.length - 1]!.optional) throw new DocumentNumberTemplateError('Unmatched ]', template);
      flush();
      segments.push({ optional: false, tokens: [] });
      i++;
    } else {
      text += ch;
      i++;
    }
  }
  if (segments[segments.length - 1]!.optional) throw new DocumentNumberTemplateError('Unclosed [', template);
  flush();

  const seen = new Set<string>();
  for (const seg of segments) {
    if (seg.optional && !seg.tokens.some((t) => t.kind === 'slot')) {
      throw new DocumentNumberTemplateError('An optional part [...] needs a placeholder', template);
    }
    for (const t of seg.tokens) {
      if (t.kind !== 'slot') continue;
      const k = t.slot.kind;
      if (seen.has(k)) throw new DocumentNumberTemplateError(`{${k}} appears twice`, template);
      seen.add(k);
      if (k === 'seq' && seg.optional) throw new DocumentNumberTemplateError('{seq} cannot be optional', template);
    }
  }
  if (!seen.has('seq')) throw new DocumentNumberTemplateError('The template needs {seq}', template);
  if (seen.has('abbrev') && seen.has('abbrevs')) {
    throw new DocumentNumberTemplateError('Use either {abbrev} or {abbrevs}, not both', template);
  }
  return { source: template, segments: segments.filter((s) => s.tokens.length > 0) };
}

/** null if the template is valid, otherwise the error message (for admin forms). */
export function checkDocumentNumberTemplate(template: string): string | null {
  try {
    compileDocumentNumberTemplate(template);
    return null;
  } catch (e) {
    if (e instanceof DocumentNumberTemplateError) return e.message;
    throw e;
  }
}

export interface DocumentNumberParts {
  /** Unit abbreviations, main unit (主管課) first, then co-owning units (共管課). */
  readonly abbrevs?: readonly string[];
  readonly seq: number;
  readonly branch?: number;
  /** Calendar year (西暦). Defaults to the year of `date`. */
  readonly year?: number;
  /** Fiscal year (年度, named by its starting year). Defaults to the fiscal year of `date`. */
  readonly fiscalYear?: number;
  /** Date of the document; supplies year and fiscal year, and the era for {year:wareki} in 2019-type years. */
  readonly date?: CalendarDate;
}

function compileOrUse(template: string | DocumentNumberTemplate): DocumentNumberTemplate {
  return typeof template === 'string' ? compileDocumentNumberTemplate(template) : template;
}

function positiveInt(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer: ${n}`);
  return n;
}

function renderYear(form: YearForm, year: number, fromDate: CalendarDate | undefined): string {
  if (form === 'western') return String(year);
  const w = fromDate && calendarDateParts(fromDate).year === year ? toWareki(fromDate) : warekiYear(year);
  if (form === 'eraYear') return String(w.eraYear);
  if (form === 'short') return `${w.era.letter}${w.eraYear}`;
  return `${w.era.name}${w.eraYear === 1 ? '元' : w.eraYear}`;
}

/** The value a placeholder renders to, or undefined if the parts lack it. */
function slotValue(slot: Placeholder, parts: DocumentNumberParts): string | undefined {
  const abbrevs = parts.abbrevs ?? [];
  switch (slot.kind) {
    case 'abbrev':
      if (abbrevs.length > 1) {
        throw new RangeError(`This format takes one unit abbreviation, got ${abbrevs.length}: ${abbrevs.join(', ')}`);
      }
      return abbrevs[0];
    case 'abbrevs':
      for (const a of abbrevs) {
        if (a.includes(slot.separator)) throw new RangeError(`Abbreviation contains the separator: ${a}`);
      }
      return abbrevs.length > 0 ? abbrevs.join(slot.separator) : undefined;
    case 'seq':
      return String(positiveInt(parts.seq, 'Sequence number')).padStart(slot.width, '0');
    case 'branch':
      return parts.branch === undefined
        ? undefined
        : String(positiveInt(parts.branch, 'Branch number')).padStart(slot.width, '0');
    case 'year': {
      const year = parts.year ?? (parts.date ? calendarDateParts(parts.date).year : undefined);
      return year === undefined ? undefined : renderYear(slot.form, year, parts.date);
    }
    case 'fy': {
      const fy = parts.fiscalYear ?? (parts.date ? fiscalYearOf(parts.date) : undefined);
      return fy === undefined ? undefined : renderYear(slot.form, fy, undefined);
    }
  }
}

const SLOT_NAMES: Record<Placeholder['kind'], string> = {
  abbrev: 'a unit abbreviation',
  abbrevs: 'unit abbreviations',
  seq: 'a sequence number',
  branch: 'a branch number',
  year: 'a year',
  fy: 'a fiscal year',
};

/** Renders a document number; throws RangeError if a required part is missing or invalid. */
export function renderDocumentNumber(template: string | DocumentNumberTemplate, parts: DocumentNumberParts): string {
  const t = compileOrUse(template);
  for (const a of parts.abbrevs ?? []) {
    if (a.length === 0 || /[\s{}[\]]/.test(a)) throw new RangeError(`Invalid unit abbreviation: ${JSON.stringify(a)}`);
  }
  let out = '';
  for (const seg of t.segments) {
    let piece = '';
    let complete = true;
    for (const tok of seg.tokens) {
      if (tok.kind === 'text') {
        piece += tok.text;
        continue;
      }
      const v = slotValue(tok.slot, parts);
      if (v === undefined) {
        if (!seg.optional)
          throw new RangeError(`Document number format ${t.source} needs ${SLOT_NAMES[tok.slot.kind]}`);
        complete = false;
      } else {
        piece += v;
      }
    }
    if (complete) out += piece;
  }
  return out;
}

export interface ParsedDocumentNumber {
  readonly abbrevs: readonly string[];
  readonly seq: number;
  readonly branch?: number;
  readonly year?: number;
  readonly fiscalYear?: number;
}

export interface ParseDocumentNumberOptions {
  /** Known abbreviations; when given only these match (more precise than the default "any non-space text"). */
  readonly knownAbbrevs?: readonly string[];
  /** Era assumed for {year:eraYear} / {fy:eraYear}. Default 令和. */
  readonly era?: EraName;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ERA_NAMES_RE = ERAS.map((e) => e.name).join('|');
const ERA_LETTERS_RE = ERAS.map((e) => e.letter).join('');

function slotRe(slot: Placeholder, abbrevRe: string): string {
  switch (slot.kind) {
    case 'abbrev':
      return `(${abbrevRe})`;
    case 'abbrevs': {
      const sep = escapeRe(slot.separator.normalize('NFKC'));
      return `(${abbrevRe}(?:${sep}${abbrevRe})*)`;
    }
    case 'seq':
    case 'branch':
      return `(\\d{${slot.width},})`;
    case 'year':
    case 'fy':
      switch (slot.form) {
        case 'western':
          return '(\\d{4})';
        case 'wareki':
          return `((?:${ERA_NAMES_RE})(?:元|\\d{1,4}))`;
        case 'eraYear':
          return '(\\d{1,4})';
        case 'short':
          return `([${ERA_LETTERS_RE}]\\d{1,4})`;
      }
  }
}

function parseYear(form: YearForm, text: string, era: EraName): number {
  switch (form) {
    case 'western':
      return Number(text);
    case 'eraYear':
      return gregorianYearOf(era, Number(text));
    case 'short':
      return gregorianYearOf(text[0] as EraName, Number(text.slice(1)));
    case 'wareki': {
      const name = text.slice(0, 2) as EraName;
      const rest = text.slice(2);
      return gregorianYearOf(name, rest === '元' ? 1 : Number(rest));
    }
  }
}

/**
 * Extracts the parts of a rendered number, or returns null if it does not follow the template (or names a year
 * that does not exist). Full-width digits and brackets are accepted (NFKC).
 */
export function parseDocumentNumber(
  template: string | DocumentNumberTemplate,
  text: string,
  options: ParseDocumentNumberOptions = {},
): ParsedDocumentNumber | null {
  const t = compileOrUse(template);
  const known = options.knownAbbrevs?.map((a) => a.normalize('NFKC')).filter((a) => a.length > 0);
  const abbrevRe =
    known && known.length > 0
      ? `(?:${[...known]
          .sort((a, b) => b.length - a.length)
          .map(escapeRe)
          .join('|')})`
      : '(?:[^\\s\\d][^\\s]*?)';
  const slots: Placeholder[] = [];
  let pattern = '';
  for (const seg of t.segments) {
    let piece = '';
    for (const tok of seg.tokens) {
      if (tok.kind === 'text') {
        piece += escapeRe(tok.text.normalize('NFKC'));
      } else {
        slots.push(tok.slot);
        piece += slotRe(tok.slot, abbrevRe);
      }
    }
    pattern += seg.optional ? `(?:${piece})?` : piece;
  }
  const m = new RegExp(`^${pattern}$`, 'u').exec(text.normalize('NFKC').trim());
  if (!m) return null;

  let abbrevs: string[] = [];
  let seq = 0;
  let branch: number | undefined;
  let year: number | undefined;
  let fiscalYear: number | undefined;
  try {
    slots.forEach((slot, i) => {
      const v = m[i + 1];
      if (v === undefined) return;
      switch (slot.kind) {
        case 'abbrev':
          abbrevs = [v];
          break;
        case 'abbrevs':
          abbrevs = v.split(slot.separator.normalize('NFKC'));
          break;
        case 'seq':
          seq = Number(v);
          break;
        case 'branch':
          branch = Number(v);
          break;
        case 'year':
          year = parseYear(slot.form, v, options.era ?? '令和');
          break;
        case 'fy':
          fiscalYear = parseYear(slot.form, v, options.era ?? '令和');
          break;
      }
    });
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
  if (!Number.isSafeInteger(seq) || seq < 1 || (branch !== undefined && branch < 1)) return null;
  return {
    abbrevs,
    seq,
    ...(branch !== undefined ? { branch } : {}),
    ...(year !== undefined ? { year } : {}),
    ...(fiscalYear !== undefined ? { fiscalYear } : {}),
  };
}
