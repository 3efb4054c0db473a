import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfPage {
  width: number;
  height: number;
  text: string;
}

/**
 * Text and size of every page of a PDF, read with pdf.js (no system tools). Used by tests, and available
 * to any check that needs to read back a generated document.
 */
export async function readPdf(bytes: Uint8Array): Promise<{ pages: PdfPage[]; title: string | null }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: PdfPage[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
      const content = await page.getTextContent();
      const text = content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join('');
      pages.push({ width: Math.round((x1 - x0) * 100) / 100, height: Math.round((y1 - y0) * 100) / 100, text });
    }
    const meta = await doc.getMetadata();
    const info = meta.info as { Title?: string } | undefined;
    return { pages, title: info?.Title ?? null };
  } finally {
    await doc.destroy();
  }
}
