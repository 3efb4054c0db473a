import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { contentDisposition, fileStoreFor, sendFileRef } from '../../platform/files/index.ts';
import type { RenkeiModule } from '../../platform/module.ts';
import * as members from './members.ts';
import { caseSummaryPdf } from './pdf.ts';
import './places.ts';
import { casesRules } from './policy.ts';
import * as rec from './records.ts';
import * as schema from './schema.ts';
import * as svc from './service.ts';
import type { MemberRole } from './tables.ts';

const tags = ['cases'];
const read = { config: { action: 'cases.read' } };
const write = { config: { action: 'cases.write' } };
const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

/** Cases (事件・事案, issue 7): every route checks the case per object (members only; others get 404, audited). */
export const casesModule: RenkeiModule = {
  name: 'cases',
  prefix: 'cases',
  rules: casesRules,
  routes: async (app, { platform: p }) => {
    await app.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 0, parts: 2 } });
    const s = (r: FastifyRequest) => r.subject!;
    const cid = (r: FastifyRequest) => (r.params as { caseId: string }).caseId;
    const sub = (r: FastifyRequest) => (r.params as { sub: string }).sub;
    const params = { params: schema.IdParams };
    const subParams = { params: schema.SubParams };

    app.get('/', { ...read, schema: { tags, querystring: schema.ListQuery } }, async (r) =>
      svc.listCases(p, s(r), r.query as svc.ListFilter),
    );
    app.post('/', { ...write, schema: { tags, body: schema.NewCase } }, async (r, reply) =>
      reply.status(201).send(await svc.createCase(p, s(r), r.body as svc.NewCaseInput, r.ip)),
    );
    app.get('/classifications', { ...read, schema: { tags } }, async () => ({ items: await svc.classifications(p) }));
    app.get('/registry', { ...read, schema: { tags, querystring: schema.PageQuery } }, async (r) =>
      svc.registry(p, s(r), r.query as { cursor?: string; limit?: string }, r.ip),
    );
    app.get('/statistics', { ...read, schema: { tags, querystring: schema.StatsQuery } }, async (r) =>
      svc.arrestStatistics(p, s(r), Number((r.query as { year: string }).year)),
    );
    app.get('/:caseId', { ...read, schema: { tags, ...params } }, async (r) => svc.getCase(p, s(r), cid(r), r.ip));
    app.patch('/:caseId', { ...write, schema: { tags, ...params, body: schema.CaseChange } }, async (r) =>
      svc.updateCase(p, s(r), cid(r), r.body as svc.CaseChange, r.ip),
    );
    app.get('/:caseId/summary.pdf', { ...read, schema: { tags, ...params } }, async (r, reply) => {
      const { name, pdf } = await caseSummaryPdf(p, s(r), cid(r), r.ip);
      return reply
        .type('application/pdf')
        .header('content-disposition', contentDisposition('inline', name))
        .header('cache-control', 'private, no-store')
        .send(pdf);
    });

    app.post('/:caseId/members', { ...write, schema: { tags, ...params, body: schema.NewMember } }, async (r) => {
      const b = r.body as { userId?: string; login?: string; role: MemberRole };
      const userId = b.userId ?? (await members.userIdByLogin(p, b.login));
      await members.addMember(p, s(r), cid(r), userId, b.role, r.ip);
      return svc.getCase(p, s(r), cid(r), r.ip);
    });
    app.delete('/:caseId/members/:sub', { ...write, schema: { tags, ...subParams } }, async (r) => {
      await members.removeMember(p, s(r), cid(r), sub(r), r.ip);
      return { ok: true };
    });
    app.post('/:caseId/override', { ...write, schema: { tags, ...params, body: schema.Override } }, async (r) => {
      await members.emergencyJoin(p, s(r), cid(r), (r.body as { reason: string }).reason, r.ip);
      return svc.getCase(p, s(r), cid(r), r.ip);
    });
    app.post('/:caseId/units', { ...write, schema: { tags, ...params, body: schema.NewUnit } }, async (r) => {
      await members.setSupportingUnit(p, s(r), cid(r), (r.body as { unitId: string }).unitId, true, r.ip);
      return { ok: true };
    });
    app.delete('/:caseId/units/:sub', { ...write, schema: { tags, ...subParams } }, async (r) => {
      await members.setSupportingUnit(p, s(r), cid(r), sub(r), false, r.ip);
      return { ok: true };
    });

    app.get('/:caseId/timeline', { ...read, schema: { tags, ...params, querystring: schema.PageQuery } }, async (r) =>
      rec.listTimeline(p, s(r), cid(r), r.query as { cursor?: string; limit?: string }, r.ip),
    );
    app.post(
      '/:caseId/timeline',
      { ...write, schema: { tags, ...params, body: schema.NewTimeline } },
      async (r, reply) => {
        const b = r.body as { body: string; at?: string };
        return reply.status(201).send(await rec.addNote(p, s(r), cid(r), b.body, b.at, r.ip));
      },
    );
    app.post('/:caseId/tasks', { ...write, schema: { tags, ...params, body: schema.NewTask } }, async (r, reply) =>
      reply.status(201).send(await rec.addTask(p, s(r), cid(r), r.body as { title: string }, r.ip)),
    );
    app.patch('/:caseId/tasks/:sub', { ...write, schema: { tags, ...subParams, body: schema.TaskChange } }, async (r) =>
      rec.updateTask(p, s(r), cid(r), sub(r), r.body as { status?: 'open' | 'done' }, r.ip),
    );
    app.post('/:caseId/persons', { ...write, schema: { tags, ...params, body: schema.NewPerson } }, async (r, reply) =>
      reply.status(201).send(await rec.addPerson(p, s(r), cid(r), r.body as rec.PersonInput, r.ip)),
    );
    app.get('/:caseId/persons/:sub', { ...read, schema: { tags, ...subParams } }, async (r) =>
      rec.readPerson(p, s(r), cid(r), sub(r), r.ip),
    );
    app.post('/:caseId/damages', { ...write, schema: { tags, ...params, body: schema.NewDamage } }, async (r, reply) =>
      reply
        .status(201)
        .send(await rec.addDamage(p, s(r), cid(r), r.body as { amountYen: number; method: string }, r.ip)),
    );
    app.post('/:caseId/reports', { ...write, schema: { tags, ...params, body: schema.LinkReport } }, async (r) =>
      rec.addReport(p, s(r), cid(r), (r.body as { reportId: string }).reportId, r.ip),
    );
    app.get('/:caseId/observables', { ...read, schema: { tags, ...params } }, async (r) =>
      rec.listObservables(p, s(r), cid(r), r.ip),
    );
    app.post(
      '/:caseId/observables',
      { ...write, schema: { tags, ...params, body: schema.NewObservables } },
      async (r) => rec.addObservables(p, s(r), cid(r), (r.body as { items: { value: string }[] }).items, r.ip),
    );
    app.post('/:caseId/attachments', { ...write, schema: { tags, ...params } }, async (r, reply) => {
      if (!r.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'upload as multipart/form-data (file)');
      let file: { name: string; type: string | null; data: Buffer } | null = null;
      try {
        for await (const part of r.parts()) {
          if (part.type !== 'file') throw new AppError('UNKNOWN_FIELD', part.fieldname);
          const data = await part.toBuffer();
          if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE');
          file = { name: part.filename || 'attachment', type: part.mimetype || null, data };
        }
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as { statusCode?: number }).statusCode === 413) throw new AppError('PAYLOAD_TOO_LARGE');
        throw new AppError('VALIDATION_FAILED', 'the multipart body could not be read');
      }
      if (!file) throw new AppError('VALIDATION_FAILED', 'a file is required');
      return reply.status(201).send(await rec.addAttachment(p, s(r), cid(r), file, r.ip));
    });
    app.get('/:caseId/attachments/:sub', { ...read, schema: { tags, ...subParams } }, async (r, reply) => {
      const ref = await rec.attachmentForDownload(p, s(r), cid(r), sub(r), r.ip);
      return sendFileRef(reply, fileStoreFor(p), ref, { download: true });
    });
  },
};
