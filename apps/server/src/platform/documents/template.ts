import { formatWareki, parseCalendarDate } from '@renkei/core/calendar/index';
import type { Block } from './model.ts';

/**
 * The document template language (v1): line-based, safe to give to administrators. Nothing in it runs code;
 * a field is replaced by text and that text is never read as template again.
 *
 *   # 相談受理票                     title (centred, large)
 *   ## 1 相談者                       heading          ### (1) 連絡先   sub-heading
 *   > {{日付|和暦}}                   right-aligned line (dates, numbers, sender)
 *   ^ 記                             centred line
 *   | 項目 | 内容 |                   table row; `|---|---|` after the first row makes that row the header
 *   | {{被害[].日時|和暦}} | {{被害[].金額|数値}}円 |   a row that names `list[]` repeats for each element
 *   ::改ページ                       page break (also ::pagebreak)
 *   other lines                      paragraph text; lines that follow each other stay one paragraph; a blank
 *                                    line ends it
 *   {{name}} {{a.b}}                 a field; dotted paths reach into objects
 *   {{name|和暦}}                    filters: 和暦 (wareki) ISO date → 令和7年4月1日 · 数値 (number) → 1,234,567 ·
 *                                    既定:text (default:text) when the value is empty
 */
export type TemplateValue = string | number | boolean | null | undefined | TemplateValue[] | TemplateObject;
export interface TemplateObject {
  [key: string]: TemplateValue;
}

export interface TemplateProblem {
  line: number;
  message: string;
}

export class TemplateError extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map((p) => `line ${p.line}: ${p.message}`).join('; '));
    this.name = 'TemplateError';
  }
}

type Filter = { name: 'wareki' } | { name: 'number' } | { name: 'default'; text: string };
interface Field {
  path: string[];
  /** The list a repeating table row iterates over (the segment written `name[]`), if any. */
  list: string | null;
  filters: Filter[];
}
type Text = Array<string | Field>;

type Node =
  | { kind: 'title'; text: Text }
  | { kind: 'heading'; level: 2 | 3; text: Text }
  | { kind: 'paragraph'; lines: Text[]; align: 'left' | 'center' | 'right' }
  | { kind: 'table'; header: Text[] | null; rows: Text[][] }
  | { kind: 'pageBreak' };

export interface CompiledTemplate {
  nodes: Node[];
}

const NAME = /^[^\s.|{}[\]]+$/;
const SEPARATOR = /^\|(\s*:?-{3,}:?\s*\|)+\s*$/;

function parseField(inner: string, line: number, problems: TemplateProblem[]): Field | null {
  const [rawPath = '', ...rawFilters] = inner.split('|').map((s) => s.trim());
  let list: string | null = null;
  const path: string[] = [];
  for (const [i, seg] of rawPath.split('.').entries()) {
    const name = seg.endsWith('[]') ? seg.slice(0, -2) : seg;
    if (!NAME.test(name)) {
      problems.push({ line, message: `field name "${rawPath}" is not valid` });
      return null;
    }
    if (seg.endsWith('[]')) {
      if (i !== 0) {
        problems.push({ line, message: `only the first part of "${rawPath}" may be a list (name[])` });
        return null;
      }
      list = name;
    }
    path.push(name);
  }
  const filters: Filter[] = [];
  for (const f of rawFilters) {
    const colon = f.indexOf(':');
    const name = colon < 0 ? f : f.slice(0, colon);
    if (name === '和暦' || name === 'wareki') filters.push({ name: 'wareki' });
    else if (name === '数値' || name === 'number') filters.push({ name: 'number' });
    else if ((name === '既定' || name === 'default') && colon >= 0)
      filters.push({ name: 'default', text: f.slice(colon + 1) });
    else {
      problems.push({ line, message: `unknown filter "${f}" (和暦, 数値, 既定:…)` });
      return null;
    }
  }
  return { path, list, filters };
}

function parseText(src: string, line: number, problems: TemplateProblem[]): Text {
  const out: Text = [];
  let rest = src;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) break;
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) {
      problems.push({ line, message: '"{{" without a closing "}}"' });
      break;
    }
    if (open > 0) out.push(rest.slice(0, open));
    const field = parseField(rest.slice(open + 2, close), line, problems);
    if (field) out.push(field);
    rest = rest.slice(close + 2);
  }
  if (rest) out.push(rest);
  return out;
}

function listsOf(texts: Text[]): Set<string> {
  const lists = new Set<string>();
  for (const t of texts) for (const part of t) if (typeof part !== 'string' && part.list) lists.add(part.list);
  return lists;
}

/** Splits a table row at `|`, except inside `{{ }}` where `|` introduces a filter. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out: string[] = [];
  let cell = '';
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner.startsWith('{{', i)) depth++;
    else if (inner.startsWith('}}', i) && depth > 0) depth--;
    if (inner[i] === '|' && depth === 0) {
      out.push(cell.trim());
      cell = '';
    } else cell += inner[i];
  }
  out.push(cell.trim());
  return out;
}

/** Parses a template; throws TemplateError listing every problem with its line number. */
export function compileTemplate(source: string): CompiledTemplate {
  const problems: TemplateProblem[] = [];
  const nodes: Node[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let para: { lines: Text[]; align: 'left' | 'center' | 'right' } | null = null;
  let table: { header: Text[] | null; rows: Text[][]; rowLines: number[] } | null = null;
  const endPara = () => {
    if (para) nodes.push({ kind: 'paragraph', ...para });
    para = null;
  };
  const endTable = () => {
    if (table) nodes.push({ kind: 'table', header: table.header, rows: table.rows });
    table = null;
  };
  for (const [i, raw] of lines.entries()) {
    const n = i + 1;
    const line = raw.trimEnd();
    if (line.trimStart().startsWith('|')) {
      endPara();
      table ??= { header: null, rows: [], rowLines: [] };
      if (SEPARATOR.test(line.trim())) {
        if (table.rows.length === 1 && table.header === null) table.header = table.rows.pop()!;
        else problems.push({ line: n, message: 'a |---| line may only follow the first row of a table' });
        continue;
      }
      const row = cells(line).map((c) => parseText(c, n, problems));
      const lists = listsOf(row);
      if (lists.size > 1) problems.push({ line: n, message: 'a table row may repeat over one list only' });
      table.rows.push(row);
      continue;
    }
    endTable();
    const text = (s: string) => {
      const t = parseText(s, n, problems);
      if (listsOf([t]).size) problems.push({ line: n, message: 'list fields (name[]) belong in table rows' });
      return t;
    };
    if (line.trim() === '') {
      endPara();
    } else if (/^::\s*(改ページ|pagebreak)\s*$/.test(line)) {
      endPara();
      nodes.push({ kind: 'pageBreak' });
    } else if (line.startsWith('::')) {
      problems.push({ line: n, message: `unknown directive "${line}"` });
    } else if (/^#{1,3} /.test(line)) {
      endPara();
      const hashes = line.indexOf(' ');
      const body = text(line.slice(hashes + 1).trim());
      nodes.push(
        hashes === 1 ? { kind: 'title', text: body } : { kind: 'heading', level: hashes as 2 | 3, text: body },
      );
    } else {
      const align = line.startsWith('> ') ? 'right' : line.startsWith('^ ') ? 'center' : 'left';
      const body = text(align === 'left' ? line : line.slice(2));
      // Aligned lines stand alone; plain lines that follow each other form one paragraph.
      if (align !== 'left' || para?.align !== 'left') endPara();
      para ??= { lines: [], align };
      para.lines.push(body);
      if (align !== 'left') endPara();
    }
  }
  endPara();
  endTable();
  if (problems.length) throw new TemplateError(problems);
  return { nodes };
}

/** Problems of a template, or an empty list: what the admin API reports before saving. */
export function checkTemplate(source: string): TemplateProblem[] {
  try {
    compileTemplate(source);
    return [];
  } catch (err) {
    if (err instanceof TemplateError) return err.problems;
    throw err;
  }
}

function lookup(scope: TemplateValue, path: readonly string[]): TemplateValue {
  let v: TemplateValue = scope;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
    v = v[key];
  }
  return v;
}

function plain(v: TemplateValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'はい' : 'いいえ';
  if (Array.isArray(v)) return v.map(plain).filter(Boolean).join('、');
  if (typeof v === 'object') return '';
  return String(v);
}

function toWareki(v: TemplateValue): string {
  const s = plain(v);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return formatWareki(parseCalendarDate(s));
  const d = new Date(s);
  return s && !Number.isNaN(d.getTime()) ? formatWareki(d) : s;
}

function applyField(f: Field, data: TemplateObject, item: TemplateValue): string {
  const v = f.list ? lookup(item, f.path.slice(1)) : lookup(data, f.path);
  let out = plain(v);
  for (const filter of f.filters) {
    if (filter.name === 'wareki') out = out ? toWareki(v) : out;
    else if (filter.name === 'number') {
      const n = Number(out);
      out = out !== '' && Number.isFinite(n) ? n.toLocaleString('ja-JP') : out;
    } else if (out === '') out = filter.text;
  }
  return out;
}

function fill(t: Text, data: TemplateObject, item: TemplateValue = undefined): string {
  return t.map((part) => (typeof part === 'string' ? part : applyField(part, data, item))).join('');
}

/** Fills a compiled template with data: blocks ready to draw. Missing values become empty text. */
export function fillTemplate(tpl: CompiledTemplate, data: TemplateObject): Block[] {
  const blocks: Block[] = [];
  for (const node of tpl.nodes) {
    switch (node.kind) {
      case 'title':
        blocks.push({ kind: 'title', text: fill(node.text, data) });
        break;
      case 'heading':
        blocks.push({ kind: 'heading', level: node.level, text: fill(node.text, data) });
        break;
      case 'paragraph':
        blocks.push({ kind: 'paragraph', align: node.align, text: node.lines.map((l) => fill(l, data)).join('\n') });
        break;
      case 'pageBreak':
        blocks.push({ kind: 'pageBreak' });
        break;
      case 'table': {
        const rows: string[][] = [];
        for (const row of node.rows) {
          const [list] = listsOf(row);
          if (!list) {
            rows.push(row.map((c) => fill(c, data)));
            continue;
          }
          const items = data[list];
          for (const item of Array.isArray(items) ? items : []) rows.push(row.map((c) => fill(c, data, item)));
        }
        blocks.push({ kind: 'table', header: node.header?.map((c) => fill(c, data)) ?? null, rows });
        break;
      }
    }
  }
  return blocks;
}
