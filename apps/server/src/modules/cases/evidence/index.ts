import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Compile } from 'typebox/compile';
import { AppError } from '../../../platform/errors.ts';
import { fileStoreFor, maxFileBytesFrom, sendFileRef } from '../../../platform/files/index.ts';
import { jobsOf } from '../../../platform/jobs/index.ts';
import type { Platform } from '../../../platform/context.ts';
import type { RenkeiModule } from '../../../platform/module.ts';
import * as analysis from './analysis.ts';
import { caseForWrite } from './caseGate.ts';
import { evidenceRules } from './policy.ts';
import * as schema from './schema.ts';
import * as svc from './service.ts';
import * as warrants from './warrants.ts';

const tags = ['case-evidence'];
const read = { config: { action: 'case.evidence.read' } };
const write = { config: { action: 'case.evidence.write' } };
const checkMeta = Compile(schema.UploadMeta);

const jobsRegistered = new WeakSet<Platform>();
function registerJobs(p: Platform): void {
  if (jobsRegistered.has(p)) return;
  jobsRegistered.add(p);
  jobsOf(p).register('case.warrant.due', (payload) => warrants.warrantDue(p, payload), {
    retries: 5,
    backoff: { initialMs: 60_000, factor: 2, maxMs: 3600_000 },
  });
}

/**
 * An upload is multipart: the `item` field (JSON metadata) first, then one `file`. The file is streamed through
 * the hashes into the file store as it arrives; the case is checked before a single byte is stored.
 */
async function receiveUpload(p: Platform, request: FastifyRequest, caseId: string) {
  const s = request.subject!;
  let meta: svc.EvidenceMeta | null = null;
  let out: Awaited<ReturnType<typeof svc.uploadEvidence>> | null = null;
  try {
    for await (const part of request.parts({ limits: { files: 1, fields: 2, fieldSize: 64 * 1024 } })) {
      if (part.type === 'field') {
        if (part.fieldname !== 'item' || typeof part.value !== 'string')
          throw new AppError('UNKNOWN_FIELD', part.fieldname);
        let parsed: unknown;
        try {
          parsed = JSON.parse(part.value);
        } catch {
          throw new AppError('MALFORMED_JSON');
        }
        if (!checkMeta.Check(parsed)) {
          const first = [...checkMeta.Errors(parsed)][0];
          throw new AppError('VALIDATION_FAILED', first ? `item${first.instancePath} ${first.message}` : undefined);
        }
        meta = parsed;
        await caseForWrite(p, s, caseId);
      } else {
        if (part.fieldname !== 'file') throw new AppError('UNKNOWN_FIELD', part.fieldname);
        if (!meta) throw new AppError('VALIDATION_FAILED', 'send the item field before the file');
        out = await svc.uploadEvidence(
          p,
          s,
          caseId,
          meta,
          { stream: part.file, name: part.filename || 'evidence', declaredType: part.mimetype || null },
          request.ip,
        );
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) throw new AppError('PAYLOAD_TOO_LARGE');
    throw err;
  }
  if (!out) throw new AppError('VALIDATION_FAILED', 'a file is required');
  return out;
}

/** Evidence, chain of custody, analysis requests and warrants of a case (issue 7 items 5–6). */
export const caseEvidenceModule: RenkeiModule = {
  name: 'case-evidence',
  prefix: 'cases',
  rules: evidenceRules,
  routes: async (app, { platform: p }) => {
    registerJobs(p);
    await app.register(multipart, {
      limits: { fileSize: maxFileBytesFrom(), files: 1, fields: 2, fieldSize: 64 * 1024, parts: 4, headerPairs: 100 },
    });
    const s = (r: FastifyRequest) => r.subject!;
    const cp = (r: FastifyRequest) => r.params as { caseId: string; id: string };

    app.get('/:caseId/evidence', { ...read, schema: { tags, params: schema.CaseParams } }, async (r) =>
      svc.listEvidence(p, s(r), cp(r).caseId),
    );
    app.post('/:caseId/evidence', { ...write, schema: { tags, params: schema.CaseParams } }, async (r, reply) => {
      if (!r.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'upload as multipart/form-data (item, file)');
      return reply.status(201).send(await receiveUpload(p, r, cp(r).caseId));
    });
    app.post(
      '/:caseId/evidence/registered',
      { ...write, schema: { tags, params: schema.CaseParams, body: schema.Register } },
      async (r, reply) =>
        reply.status(201).send(await svc.registerEvidence(p, s(r), cp(r).caseId, r.body as svc.RegisterInput, r.ip)),
    );
    app.get('/:caseId/evidence/:id', { ...read, schema: { tags, params: schema.ItemParams } }, async (r) =>
      svc.getEvidence(p, s(r), cp(r).caseId, cp(r).id),
    );
    app.get('/:caseId/evidence/:id/verify', { ...read, schema: { tags, params: schema.ItemParams } }, async (r) =>
      svc.verifyCustody(p, s(r), cp(r).caseId, cp(r).id),
    );
    app.get(
      '/:caseId/evidence/:id/download',
      { ...read, schema: { tags, params: schema.ItemParams } },
      async (r, reply) => {
        const refId = await svc.authoriseDownload(p, s(r), cp(r).caseId, cp(r).id, r.ip);
        return sendFileRef(reply, fileStoreFor(p), refId, { download: true });
      },
    );
    app.post(
      '/:caseId/evidence/:id/custody',
      { ...write, schema: { tags, params: schema.ItemParams, body: schema.Custody } },
      async (r, reply) =>
        reply
          .status(201)
          .send(await svc.recordCustody(p, s(r), cp(r).caseId, cp(r).id, r.body as svc.CustodyInput, r.ip)),
    );

    // analysis requests (解析依頼)
    app.get('/analysis-approvals', { ...read, schema: { tags } }, async (r) => analysis.myApprovals(p, s(r)));
    app.get('/:caseId/analysis', { ...read, schema: { tags, params: schema.CaseParams } }, async (r) =>
      analysis.listAnalysis(p, s(r), cp(r).caseId),
    );
    app.post(
      '/:caseId/analysis',
      { ...write, schema: { tags, params: schema.CaseParams, body: schema.Analysis } },
      async (r, reply) =>
        reply
          .status(201)
          .send(await analysis.createAnalysis(p, s(r), cp(r).caseId, r.body as analysis.AnalysisInput, r.ip)),
    );
    app.get('/:caseId/analysis/:id', { ...read, schema: { tags, params: schema.ItemParams } }, async (r) =>
      analysis.getAnalysis(p, s(r), cp(r).caseId, cp(r).id),
    );
    app.patch(
      '/:caseId/analysis/:id',
      { ...write, schema: { tags, params: schema.ItemParams, body: schema.AnalysisPatch } },
      async (r) =>
        analysis.updateAnalysis(p, s(r), cp(r).caseId, cp(r).id, r.body as Partial<analysis.AnalysisInput>, r.ip),
    );
    app.post('/:caseId/analysis/:id/submit', { ...write, schema: { tags, params: schema.ItemParams } }, async (r) =>
      analysis.submitAnalysis(p, s(r), cp(r).caseId, cp(r).id, r.ip),
    );
    app.post(
      '/:caseId/analysis/:id/decision',
      {
        config: { action: 'case.analysis.decide' },
        schema: { tags, params: schema.ItemParams, body: schema.Decision },
      },
      async (r) =>
        analysis.decideAnalysis(
          p,
          s(r),
          cp(r).caseId,
          cp(r).id,
          r.body as { decision: 'approve' | 'return'; note?: string },
          r.ip,
        ),
    );
    app.post(
      '/:caseId/analysis/:id/complete',
      { ...write, schema: { tags, params: schema.ItemParams, body: schema.Completion } },
      async (r) =>
        analysis.completeAnalysis(p, s(r), cp(r).caseId, cp(r).id, (r.body as { result: string }).result, r.ip),
    );

    // warrants (令状)
    app.get('/:caseId/warrants', { ...read, schema: { tags, params: schema.CaseParams } }, async (r) =>
      warrants.listWarrants(p, s(r), cp(r).caseId),
    );
    app.post(
      '/:caseId/warrants',
      { ...write, schema: { tags, params: schema.CaseParams, body: schema.Warrant } },
      async (r, reply) =>
        reply
          .status(201)
          .send(await warrants.createWarrant(p, s(r), cp(r).caseId, r.body as warrants.WarrantInput, r.ip)),
    );
    app.patch(
      '/:caseId/warrants/:id',
      { ...write, schema: { tags, params: schema.ItemParams, body: schema.WarrantPatch } },
      async (r) =>
        warrants.updateWarrant(
          p,
          s(r),
          cp(r).caseId,
          cp(r).id,
          r.body as Parameters<typeof warrants.updateWarrant>[4],
          r.ip,
        ),
    );
  },
};
