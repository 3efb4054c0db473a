import { todayJst } from '@renkei/core/calendar/index';
import type { Marking } from './model.ts';
import { renderPdf } from './render.ts';
import { type TemplateObject, compileTemplate, fillTemplate } from './template.ts';

export interface TemplateRender {
  title: string;
  marking: Marking;
  /** 文書番号, available to templates as {{文書番号}}. */
  documentNumber?: string | null;
  /** The document's date (ISO), available as {{日付}}; defaults to today in Japan. */
  date?: string | null;
  now: Date;
}

/**
 * Fills a template with data and renders it. Besides the caller's data, templates can use {{日付}} (the
 * document date, ISO; write {{日付|和暦}}) and {{文書番号}}.
 */
export function renderTemplate(source: string, data: TemplateObject, options: TemplateRender): Promise<Buffer> {
  const blocks = fillTemplate(compileTemplate(source), {
    ...data,
    日付: options.date ?? todayJst(options.now),
    文書番号: options.documentNumber ?? '',
  });
  return renderPdf({ title: options.title, marking: options.marking, blocks }, { now: options.now });
}
