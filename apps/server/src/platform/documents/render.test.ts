import { describe, expect, it } from 'vitest';
import { A4, markingText, renderPdf, renderTemplate } from './index.ts';
import { readPdf } from './pdfText.ts';
import { TEMPLATE_SEEDS } from './seed.ts';

const now = new Date('2025-06-02T01:00:00Z');
const seed = (code: string) => TEMPLATE_SEEDS.find((s) => s.code === code)!;
const squash = (s: string) => s.replace(/\s+/g, '');

describe('Japanese PDF engine', () => {
  it('renders the 相談受理票 sample on A4 with the embedded font, 和暦 dates, the marking and a page number', async () => {
    const s = seed('sodan-juri-hyo');
    const pdf = await renderTemplate(s.body, s.sampleData, { title: s.name, marking: s.marking, now });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The font is embedded as a subset, not referenced from the system.
    expect(pdf.includes(Buffer.from('NotoSansJP-Regular'))).toBe(true);
    const { pages, title } = await readPdf(pdf);
    expect(title).toBe('相談受理票');
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ width: A4.width, height: A4.height });
    const text = squash(pages[0]!.text);
    for (const expected of [
      '相談受理票',
      '受理日令和7年6月2日',
      '見本花子（ミホンハナコ）',
      '生年月日昭和43年3月14日',
      '令和7年5月30日不正送金（1回目）150,000円',
      '機密性2取扱制限：複製禁止',
      '1/1',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('renders the 依頼文書 letter with its document number and date from the options', async () => {
    const s = seed('irai-bunsho');
    const pdf = await renderTemplate(s.body, s.sampleData, {
      title: s.name,
      marking: s.marking,
      documentNumber: '達(サ対)第255号',
      date: '2025-06-02',
      now,
    });
    const text = squash((await readPdf(pdf)).pages[0]!.text);
    expect(text).toContain('達(サ対)第255号令和7年6月2日');
    expect(text).toContain('通信記録の保全について（依頼）');
    expect(text).toContain('保全期間本依頼の日から90日間');
    expect(text).toMatch(/機密性2(?!取扱制限)/);
  });

  it('renders a document number from a per-unit format with the document date (core calendar)', async () => {
    const pdf = await renderTemplate(
      '> {{文書番号}}\n> {{日付|和暦}}',
      {},
      {
        title: '番号',
        marking: { confidentiality: 1 },
        documentNumber: {
          format: '{year:wareki}年達({abbrevs})第{seq}号',
          parts: { abbrevs: ['サ対', '生企'], seq: 255 },
        },
        date: '2019-05-01',
        now,
      },
    );
    expect(squash((await readPdf(pdf)).pages[0]!.text)).toContain('令和元年達(サ対、生企)第255号令和元年5月1日');
  });

  it('prints the marking and "n / N" on every page of a long document', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`${i + 1}`, `照会対象のアカウント 第${i + 1}号`]);
    const pdf = await renderPdf(
      {
        title: '長い文書',
        marking: { confidentiality: 3, handling: ['複製禁止', '配布禁止'] },
        blocks: [
          { kind: 'title', text: '照会対象一覧' },
          { kind: 'table', header: ['番号', '対象'], rows },
          { kind: 'pageBreak' },
          { kind: 'paragraph', align: 'left', text: '以上' },
        ],
      },
      { now },
    );
    const { pages } = await readPdf(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const [i, page] of pages.entries()) {
      expect(page).toMatchObject({ width: A4.width, height: A4.height });
      expect(squash(page.text)).toContain('機密性3取扱制限：複製禁止・配布禁止');
      expect(squash(page.text)).toContain(`${i + 1}/${pages.length}`);
    }
    const all = squash(pages.map((p) => p.text).join(''));
    expect(all).toContain('照会対象のアカウント第120号');
    expect(squash(pages.at(-1)!.text)).toContain('以上');
  });

  it('words the marking as 統一基準 does', () => {
    expect(markingText({ confidentiality: 2 })).toBe('機密性2');
    expect(markingText({ confidentiality: 3, handling: ['複製禁止', ' '] })).toBe('機密性3　取扱制限：複製禁止');
  });
});
