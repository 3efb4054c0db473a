import {
  type DocumentNumberParts,
  parseCalendarDate,
  renderDocumentNumber,
  todayJst,
} from '@renkei/core/calendar/index';
import type { Marking } from './model.ts';
import { renderPdf } from './render.ts';
import { type TemplateObject, compileTemplate, fillTemplate } from './template.ts';

export interface TemplateRender {
  title: string;
  marking: Marking;
  /**
   * 文書番号, available to templates as {{文書番号}}: as given, or rendered from a per-unit format of
   * @renkei/core (`達({abbrevs})第{seq}号` …) with the document's date filled in.
   */
  documentNumber?: string | { format: string; parts: DocumentNumberParts } | null;
  /** The document's date (ISO), available as {{日付}}; defaults to today in Japan. */
  date?: string | null;
  now: Date;
}

/**
 * Fills a template with data and renders it. Besides the caller's data, templates can use {{日付}} (the
 * document date, ISO; write {{日付|和暦}}) and {{文書番号}}.
 */
export function renderTemplate(source: string, data: TemplateObject, options: TemplateRender): Promise<Buffer> {
  const date = options.date ?? todayJst(options.now);
  const n = options.documentNumber;
  const number =
    typeof n === 'string'
      ? n
      : n
        ? renderDocumentNumber(n.format, { date: parseCalendarDate(date.slice(0, 10)), ...n.parts })
        : '';
  const blocks = fillTemplate(compileTemplate(source), { ...data, 日付: date, 文書番号: number });
  return renderPdf({ title: options.title, marking: options.marking, blocks }, { now: options.now });
}
