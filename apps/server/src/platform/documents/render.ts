import PDFDocument from 'pdfkit';
import { japaneseFonts } from './fonts.ts';
import { type Block, type DocumentSpec, markingText } from './model.ts';

/** A4 in points, as pdfkit and every PDF reader give it. */
export const A4 = { width: 595.28, height: 841.89 } as const;

const MARGIN = { top: 78, bottom: 64, left: 62, right: 62 };
const BODY_SIZE = 10.5;
const REGULAR = 'jp';
const BOLD = 'jp-bold';

type Doc = InstanceType<typeof PDFDocument>;

const CELL_PAD = { x: 5, y: 4 };

/**
 * Tables are drawn here rather than with pdfkit's table(): rows never split across pages, the header row is
 * repeated at the top of each continued page, and it is several times faster on Japanese text.
 */
function drawTable(doc: Doc, block: Extract<Block, { kind: 'table' }>): void {
  const all = block.header ? [block.header, ...block.rows] : block.rows;
  if (all.length === 0) return;
  const columns = Math.max(...all.map((r) => r.length));
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  // Two columns are almost always 項目 | 内容: a narrower label column reads better.
  const label = Math.round(width * 0.28);
  const widths = columns === 2 ? [label, width - label] : Array.from({ length: columns }, () => width / columns);
  const bottom = () => doc.page.height - MARGIN.bottom;

  const drawRow = (row: readonly string[], header: boolean) => {
    doc.font(header ? BOLD : REGULAR).fontSize(BODY_SIZE);
    const heights = widths.map((w, c) => doc.heightOfString(row[c] ?? '', { width: w - 2 * CELL_PAD.x, lineGap: 2 }));
    const h = Math.max(...heights) + 2 * CELL_PAD.y;
    if (doc.y + h > bottom() && doc.y > MARGIN.top + 1) {
      doc.addPage();
      if (block.header && !header) drawRow(block.header, true);
      doc.font(header ? BOLD : REGULAR).fontSize(BODY_SIZE);
    }
    const y = doc.y;
    let x = MARGIN.left;
    for (const [c, w] of widths.entries()) {
      if (header) doc.rect(x, y, w, h).fill('#eeeeee').fillColor('black');
      doc.lineWidth(0.6).strokeColor('#444444').rect(x, y, w, h).stroke();
      doc.text(row[c] ?? '', x + CELL_PAD.x, y + CELL_PAD.y, { width: w - 2 * CELL_PAD.x, lineGap: 2 });
      x += w;
    }
    doc.x = MARGIN.left;
    doc.y = y + h;
  };

  if (block.header) drawRow(block.header, true);
  for (const row of block.rows) drawRow(row, false);
  doc.strokeColor('black');
  doc.moveDown(0.6);
}

function drawBlock(doc: Doc, block: Block): void {
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  switch (block.kind) {
    case 'title':
      doc.font(BOLD).fontSize(16).text(block.text, MARGIN.left, doc.y, { width, align: 'center' });
      doc.moveDown(0.8);
      break;
    case 'heading':
      doc.moveDown(0.3);
      doc
        .font(BOLD)
        .fontSize(block.level === 2 ? 12 : BODY_SIZE)
        .text(block.text, MARGIN.left, doc.y, { width });
      doc.moveDown(0.3);
      break;
    case 'paragraph':
      doc.font(REGULAR).fontSize(BODY_SIZE).text(block.text, MARGIN.left, doc.y, {
        width,
        align: block.align,
        lineGap: 3,
      });
      doc.moveDown(block.align === 'left' ? 0.6 : 0.2);
      break;
    case 'table':
      drawTable(doc, block);
      break;
    case 'pageBreak':
      doc.addPage();
      break;
  }
}

/** The 格付 marking at the top right and `n / N` at the foot of every page, drawn once all pages exist. */
function drawPageFurniture(doc: Doc, spec: DocumentSpec): void {
  const range = doc.bufferedPageRange();
  const marking = markingText(spec.marking);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = { ...doc.page.margins };
    // Text in the margins would otherwise start a new page.
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    doc.font(BOLD).fontSize(10);
    const w = doc.widthOfString(marking) + 12;
    const x = doc.page.width - MARGIN.right - w;
    doc.lineWidth(0.8).rect(x, 30, w, 18).stroke();
    doc.text(marking, x, 34.5, { width: w, align: 'center', lineBreak: false });
    doc
      .font(REGULAR)
      .fontSize(9)
      .text(`${i - range.start + 1} / ${range.count}`, 0, doc.page.height - 38, {
        width: doc.page.width,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.top = saved.top;
    doc.page.margins.bottom = saved.bottom;
  }
}

export interface RenderOptions {
  /** Creation date written into the PDF's properties (from the platform clock, so output is reproducible). */
  now: Date;
}

/** Renders a document to an A4 PDF with the embedded Japanese font; resolves with the file's bytes. */
export function renderPdf(spec: DocumentSpec, options: RenderOptions): Promise<Buffer> {
  const fonts = japaneseFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: 'ja-JP',
    displayTitle: true,
    info: { Title: spec.title, Producer: 'Renkei', Creator: 'Renkei', CreationDate: options.now },
  });
  const parts: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  try {
    doc.registerFont(REGULAR, fonts.regular);
    doc.registerFont(BOLD, fonts.bold);
    doc.font(REGULAR).fontSize(BODY_SIZE);
    for (const block of spec.blocks) drawBlock(doc, block);
    drawPageFurniture(doc, spec);
    doc.end();
  } catch (err) {
    doc.destroy?.();
    return Promise.reject(err);
  }
  return done;
}
