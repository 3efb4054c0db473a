import { describe, expect, it } from 'vitest';
import { TEMPLATE_SEEDS } from './seed.ts';
import { TemplateError, checkTemplate, compileTemplate, fillTemplate } from './template.ts';

const fill = (src: string, data: Parameters<typeof fillTemplate>[1]) => fillTemplate(compileTemplate(src), data);

describe('document template language', () => {
  it('turns lines into title, headings, aligned lines, paragraphs, tables and page breaks', () => {
    const blocks = fill(
      '# 表題\n> 右の行\n^ 中央の行\n## 見出し\n### 小見出し\n一行目\n二行目\n\n別段落\n::改ページ\n| a | b |\n|---|---|\n| 1 | 2 |',
      {},
    );
    expect(blocks).toEqual([
      { kind: 'title', text: '表題' },
      { kind: 'paragraph', align: 'right', text: '右の行' },
      { kind: 'paragraph', align: 'center', text: '中央の行' },
      { kind: 'heading', level: 2, text: '見出し' },
      { kind: 'heading', level: 3, text: '小見出し' },
      { kind: 'paragraph', align: 'left', text: '一行目\n二行目' },
      { kind: 'paragraph', align: 'left', text: '別段落' },
      { kind: 'pageBreak' },
      { kind: 'table', header: ['a', 'b'], rows: [['1', '2']] },
    ]);
  });

  it('fills fields, dotted paths and filters (和暦, 数値, 既定)', () => {
    const [p] = fill('{{氏名}}／{{住所.市}}／{{日|和暦}}／{{時|wareki}}／{{額|数値}}円／{{空|既定:なし}}／{{無}}', {
      氏名: '見本 花子',
      住所: { 市: '福島市' },
      日: '2019-05-01',
      時: '2025-06-01T16:00:00Z',
      額: 1234567,
      空: '',
    });
    expect(p).toEqual({
      kind: 'paragraph',
      align: 'left',
      text: '見本 花子／福島市／令和元年5月1日／令和7年6月2日／1,234,567円／なし／',
    });
  });

  it('repeats a table row for each element of the list it names, and keeps | filters inside cells', () => {
    const [t] = fill(
      '| 日付 | 金額 |\n|---|---|\n| {{被害[].日|和暦}} | {{被害[].額|数値}}円 |\n| 計 | {{計|数値}}円 |',
      {
        被害: [
          { 日: '2025-05-30', 額: 150000 },
          { 日: '2025-05-31', 額: 98000 },
        ],
        計: 248000,
      },
    );
    expect(t).toEqual({
      kind: 'table',
      header: ['日付', '金額'],
      rows: [
        ['令和7年5月30日', '150,000円'],
        ['令和7年5月31日', '98,000円'],
        ['計', '248,000円'],
      ],
    });
    const [empty] = fill('| {{x[]}} |', { x: 'not a list' });
    expect(empty).toEqual({ kind: 'table', header: null, rows: [] });
  });

  it('runs no code: values are text, never template; prototypes and functions are not reachable', () => {
    const [p] = fill('{{a}} {{constructor}} {{__proto__.polluted}} {{toString}} {{b.constructor.name}}', {
      a: '{{b}} <script>alert(1)</script>',
      b: { x: 1 },
    });
    expect(p).toMatchObject({ text: '{{b}} <script>alert(1)</script>    ' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports every problem with its line number', () => {
    expect(
      checkTemplate('# ok\n{{unclosed\n{{a|eval}}\n| {{x[].a}} | {{y[].b}} |\n{{l[].a}}\n::script\n{{a.b[]}}'),
    ).toEqual([
      { line: 2, message: '"{{" without a closing "}}"' },
      { line: 3, message: 'unknown filter "eval" (和暦, 数値, 既定:…)' },
      { line: 4, message: 'a table row may repeat over one list only' },
      { line: 5, message: 'list fields (name[]) belong in table rows' },
      { line: 6, message: 'unknown directive "::script"' },
      { line: 7, message: 'only the first part of "a.b[]" may be a list (name[])' },
    ]);
    expect(() => compileTemplate('{{ }}')).toThrow(TemplateError);
  });

  it('accepts the seeded templates', () => {
    for (const s of TEMPLATE_SEEDS) expect(checkTemplate(s.body)).toEqual([]);
  });
});
