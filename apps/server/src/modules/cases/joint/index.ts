import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import { fileStoreFor, sendFileRef } from '../../../platform/files/index.ts';
import type { RenkeiModule } from '../../../platform/module.ts';
import { countsText } from '../../sharing/stixExport.ts';
import { caseForRead } from '../evidence/caseGate.ts';
import * as assistance from './assistance.ts';
import * as npa from './npa.ts';
import { partnerChoices } from './packageCommon.ts';
import { type PackageRequest, exportCasePackage, previewCasePackage } from './packageExport.ts';
import { importCasePackage } from './packageImport.ts';
import { jointRules } from './policy.ts';
import * as schema from './schema.ts';
import * as svc from './service.ts';
import * as victim from './victim.ts';

const tags = ['case-joint'];
const cfg = (action: string) => ({ config: { action } });
const s = (r: FastifyRequest) => r.subject!;

/** Joint/cooperative investigations, the case package file, the business-victim profile (per case). */
export const caseJointModule: RenkeiModule = {
  name: 'case-joint',
  prefix: 'cases',
  rules: jointRules,
  routes: async (app, { platform: p }) => {
    const cp = (r: FastifyRequest) => r.params as { caseId: string; id: string; code: string };
    const read = cfg('case.joint.read');
    const write = cfg('case.joint.write');

    app.get('/:caseId/joint', { ...read, schema: { tags, params: schema.CaseParams } }, async (r) =>
      svc.listJoint(p, s(r), cp(r).caseId, r.ip),
    );
    app.post(
      '/:caseId/joint',
      { ...write, schema: { tags, params: schema.CaseParams, body: schema.Joint } },
      async (r, reply) =>
        reply.status(201).send(await svc.createJoint(p, s(r), cp(r).caseId, r.body as svc.JointInput, r.ip)),
    );
    app.post(
      '/:caseId/joint/:id/shares',
      { ...write, schema: { tags, params: schema.CaseItemParams, body: schema.Share } },
      async (r, reply) =>
        reply
          .status(201)
          .send(
            await svc.recordShare(
              p,
              s(r),
              cp(r).caseId,
              cp(r).id,
              r.body as Parameters<typeof svc.recordShare>[4],
              r.ip,
            ),
          ),
    );
    app.get('/:caseId/package/partners', { ...read, schema: { tags, params: schema.CaseParams } }, async (r) => {
      await caseForRead(p, s(r), cp(r).caseId, undefined, r.ip);
      return partnerChoices(p);
    });
    app.post(
      '/:caseId/package/preview',
      { ...read, schema: { tags, params: schema.CaseParams, body: schema.PackageExport } },
      async (r) => previewCasePackage(p, s(r), cp(r).caseId, r.body as PackageRequest, r.ip),
    );
    app.post(
      '/:caseId/package/export',
      { ...write, schema: { tags, params: schema.CaseParams, body: schema.PackageExport } },
      async (r, reply) => {
        const { bundle, plan } = await exportCasePackage(p, s(r), cp(r).caseId, r.body as PackageRequest, r.ip);
        const name = `case-package-${p.clock.now().toISOString().slice(0, 10)}.stix.json`;
        return reply
          .header('content-type', 'application/stix+json;version=2.1')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'private, no-store')
          .header('x-renkei-withheld', countsText(plan.withheld) || 'none')
          .send(JSON.stringify(bundle));
      },
    );
    // The import's body is the bundle itself, read as a stream (never held in memory).
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', (_request, _payload, done) => done(null));
      raw.post(
        '/:caseId/package/import',
        { ...write, schema: { tags, params: schema.CaseParams, querystring: schema.PackageImportQuery } },
        async (r) => {
          const q = r.query as { partner?: string; joint?: string; name?: string };
          return importCasePackage(
            p,
            s(r),
            cp(r).caseId,
            r.raw,
            { partnerId: q.partner, jointId: q.joint, name: q.name },
            r.ip,
          );
        },
      );
    });
    app.get('/:caseId/victim-profile', { ...read, schema: { tags, params: schema.CaseParams } }, async (r) =>
      victim.getVictimProfile(p, s(r), cp(r).caseId, r.ip),
    );
    app.put(
      '/:caseId/victim-profile',
      { ...write, schema: { tags, params: schema.CaseParams, body: schema.VictimProfile } },
      async (r) =>
        victim.saveVictimProfile(
          p,
          s(r),
          cp(r).caseId,
          r.body as { fields: victim.VictimFields; ncoConsent: boolean },
          r.ip,
        ),
    );
    app.post(
      '/:caseId/victim-profile/checklist/:code',
      { ...write, schema: { tags, params: schema.CheckParams, body: schema.Tick } },
      async (r) => victim.tickChecklist(p, s(r), cp(r).caseId, cp(r).code, (r.body as { done: boolean }).done, r.ip),
    );
  },
};

/** 捜査共助 (between prefectures, IHC allocations) and 国際捜査共助 (ICPO, MLAT, 24/7), with their documents. */
export const caseAssistanceModule: RenkeiModule = {
  name: 'case-assistance',
  prefix: 'case-assistance',
  routes: async (app, { platform: p }) => {
    await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 0, parts: 2 } });
    const id = (r: FastifyRequest) => (r.params as { id: string }).id;
    const read = cfg('case.assistance.read');
    const write = cfg('case.assistance.write');
    app.get('/', { ...read, schema: { tags, querystring: schema.AssistanceQuery } }, async (r) =>
      assistance.listAssistance(p, s(r), r.query as Parameters<typeof assistance.listAssistance>[2]),
    );
    app.post('/', { ...write, schema: { tags, body: schema.Assistance } }, async (r, reply) =>
      reply.status(201).send(await assistance.createAssistance(p, s(r), r.body as assistance.AssistanceInput, r.ip)),
    );
    app.get('/:id', { ...read, schema: { tags, params: schema.IdParams } }, async (r) =>
      assistance.getAssistance(p, s(r), id(r)),
    );
    app.patch(
      '/:id',
      { ...write, schema: { tags, params: schema.IdParams, body: schema.AssistancePatch } },
      async (r) => assistance.updateAssistance(p, s(r), id(r), r.body as assistance.AssistancePatch, r.ip),
    );
    app.post('/:id/documents', { ...write, schema: { tags, params: schema.IdParams } }, async (r, reply) => {
      if (!r.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'upload as multipart/form-data (file)');
      const part = await r.file();
      if (part?.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', 'a file is required');
      return reply.status(201).send(
        await assistance.addDocument(p, s(r), id(r), {
          stream: part.file,
          name: part.filename || 'document',
          declaredType: part.mimetype || null,
        }),
      );
    });
    app.get('/:id/documents/:fileId', { ...read, schema: { tags, params: schema.FileParams } }, async (r, reply) => {
      const { fileId } = r.params as { fileId: string };
      const ref = await assistance.documentForDownload(p, s(r), id(r), fileId, r.ip);
      return sendFileRef(reply, fileStoreFor(p), ref, { download: true });
    });
  },
};

/** Periodic and immediate reports up to the NPA, as files. */
export const npaReportsModule: RenkeiModule = {
  name: 'npa-reports',
  prefix: 'npa-reports',
  routes: async (app, { platform: p }) => {
    const id = (r: FastifyRequest) => (r.params as { id: string }).id;
    const read = cfg('case.npa_report.read');
    const write = cfg('case.npa_report.write');
    app.get('/', { ...read, schema: { tags } }, async (r) => npa.listNpaReports(p, s(r)));
    app.post('/', { ...write, schema: { tags, body: schema.NpaReport } }, async (r, reply) =>
      reply
        .status(201)
        .send(await npa.createNpaReport(p, s(r), r.body as Parameters<typeof npa.createNpaReport>[2], r.ip)),
    );
    app.get('/:id/file', { ...read, schema: { tags, params: schema.IdParams } }, async (r, reply) =>
      sendFileRef(reply, fileStoreFor(p), await npa.npaReportFile(p, s(r), id(r), r.ip), { download: true }),
    );
    app.post('/:id/sent', { ...write, schema: { tags, params: schema.IdParams } }, async (r) =>
      npa.markNpaReportSent(p, s(r), id(r), r.ip),
    );
  },
};
