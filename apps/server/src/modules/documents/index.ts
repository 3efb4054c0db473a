import type { FastifyReply } from 'fastify';
import { hasRole } from '../../platform/auth/subject.ts';
import { type TemplateObject, ensureDocumentTemplates, listTemplates } from '../../platform/documents/index.ts';
import type { RenkeiModule } from '../../platform/module.ts';
import { presentSummary, presentTemplate } from './presenter.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

const tags = ['documents'];
const manage = { config: { action: 'documents.templates.manage' } };

function sendPdf(reply: FastifyReply, pdf: Buffer, name: string) {
  return reply
    .type('application/pdf')
    .header('cache-control', 'no-store')
    .header('content-disposition', `inline; filename="preview.pdf"; filename*=UTF-8''${encodeURIComponent(name)}.pdf`)
    .send(pdf);
}

/**
 * Document templates (相談受理票, 依頼文書 …) for administrators: list, read, edit, preview with sample data.
 * Templates are layouts only; documents made from them carry each record's own 格付.
 */
export const documentsModule: RenkeiModule = {
  name: 'documents',
  prefix: 'admin/document-templates',
  rules: {
    'documents.templates.manage': (s) => hasRole(s, 'admin'),
  },
  routes: async (app, { platform: p }) => {
    // The seeded layouts exist wherever the API runs; an administrator's edits are never overwritten.
    await ensureDocumentTemplates(p);

    app.get('/', { ...manage, schema: { tags, response: { 200: schema.TemplateList } } }, async () => ({
      items: (await listTemplates(p.db.db)).map(presentSummary),
    }));

    app.get(
      '/:id',
      { ...manage, schema: { tags, params: schema.IdParams, response: { 200: schema.Template } } },
      async (request) => presentTemplate(await service.getTemplate(p, (request.params as { id: string }).id)),
    );

    app.put(
      '/:id',
      {
        ...manage,
        schema: { tags, params: schema.IdParams, body: schema.TemplatePut, response: { 200: schema.Template } },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const body = request.body as service.TemplateInput;
        return presentTemplate(await service.saveTemplate(p, request.subject!, id, body, request.ip));
      },
    );

    app.get(
      '/:id/preview',
      { ...manage, schema: { tags, params: schema.IdParams, produces: ['application/pdf'] } },
      async (request, reply) => {
        const t = await service.getTemplate(p, (request.params as { id: string }).id);
        return sendPdf(reply, await service.preview(p, t), t.name);
      },
    );

    app.post(
      '/preview',
      { ...manage, schema: { tags, body: schema.DraftPreview, produces: ['application/pdf'] } },
      async (request, reply) => {
        const d = request.body as {
          name?: string;
          body: string;
          marking?: { confidentiality: 1 | 2 | 3; handling: string[] };
          sampleData?: TemplateObject;
        };
        const name = d.name || 'プレビュー';
        const pdf = await service.preview(p, {
          name,
          body: d.body,
          marking: d.marking ?? { confidentiality: 2, handling: [] },
          sampleData: d.sampleData ?? {},
        });
        return sendPdf(reply, pdf, name);
      },
    );
  },
};
