import multipart from '@fastify/multipart';
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { fileStoreFor, sendFileRef } from '../../platform/files/index.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import type { Platform } from '../../platform/context.ts';
import type { RenkeiModule } from '../../platform/module.ts';
import { promoteCluster } from './clusterCampaign.ts';
import { registerIntakeDemo } from './demo.ts';
import { intakeRules } from './policy.ts';
import { type IncomingFile, type ReportInput, ensureRoutingRules, receiveReport } from './receive.ts';
import * as schema from './schema.ts';
import * as svc from './service.ts';

const tags = ['intake'];
const read = { config: { action: 'intake.read' } };
const write = { config: { action: 'intake.write' } };

/** Per-address limits of the public endpoints (per minute); RENKEI_TRUST_PROXY decides what the address is. */
export const publicLimits = () => ({
  submit: Number(process.env.RENKEI_PUBLIC_REPORT_RATE || 10),
  status: Number(process.env.RENKEI_PUBLIC_STATUS_RATE || 60),
});
const MAX_FILES = 5;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

const checkPublic = Compile(schema.PublicReport);

const jobsRegistered = new WeakSet<Platform>();
function registerJobs(p: Platform): void {
  if (jobsRegistered.has(p)) return;
  jobsRegistered.add(p);
  jobsOf(p).register('intake.ack.due', (payload) => svc.escalateIfOverdue(p, payload), {
    retries: 5,
    backoff: { initialMs: 60_000, factor: 2, maxMs: 3600_000 },
  });
}

/** Reads a multipart submission: one `report` field (JSON) and up to five `attachments`. */
async function readMultipart(request: FastifyRequest): Promise<{ body: unknown; files: IncomingFile[] }> {
  let body: unknown;
  const files: IncomingFile[] = [];
  try {
    for await (const part of request.parts({
      limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 10, fieldSize: 256 * 1024 },
    })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE');
        files.push({ name: part.filename || 'attachment', declaredType: part.mimetype || null, data });
      } else if (part.fieldname === 'report') {
        if (typeof part.value !== 'string') throw new AppError('VALIDATION_FAILED', 'report must be JSON text');
        try {
          body = JSON.parse(part.value);
        } catch {
          throw new AppError('MALFORMED_JSON');
        }
      } else {
        throw new AppError('UNKNOWN_FIELD', part.fieldname);
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) throw new AppError('PAYLOAD_TOO_LARGE');
    throw new AppError('VALIDATION_FAILED', 'the multipart body could not be read');
  }
  return { body, files };
}

function validPublic(body: unknown): Static<typeof schema.PublicReport> {
  if (!checkPublic.Check(body)) {
    const first = [...checkPublic.Errors(body)][0];
    throw new AppError('VALIDATION_FAILED', first ? `${first.instancePath} ${first.message}` : undefined);
  }
  return body;
}

/** Public part (INTERFACES.md): no sign-in, per-address limits, never more than a reporter may see. */
export const intakePublicModule: RenkeiModule = {
  name: 'intake-public',
  prefix: 'public/reports',
  routes: async (app, { platform: p }) => {
    registerJobs(p);
    await app.register(multipart, {
      limits: {
        fileSize: MAX_FILE_BYTES,
        files: MAX_FILES,
        fields: 10,
        fieldSize: 256 * 1024,
        parts: 20,
        headerPairs: 200,
      },
    });
    const limits = publicLimits();
    const limited = (max: number) => ({ max, timeWindow: '1 minute', allowList: () => false });

    app.post(
      '/',
      {
        config: { public: true, rateLimit: limited(limits.submit) },
        bodyLimit: MAX_FILES * MAX_FILE_BYTES + 1024 * 1024,
        schema: {
          tags,
          summary: '通報・相談の受付（JSON または multipart: report + attachments）',
          response: { 201: schema.Receipt },
        },
      },
      async (request, reply) => {
        const { body, files } = request.isMultipart()
          ? await readMultipart(request)
          : { body: request.body, files: [] as IncomingFile[] };
        const input = validPublic(body);
        if (input.website) {
          // Honeypot filled: answer like a success, store nothing.
          request.log.info('intake: honeypot field filled; nothing stored');
          return reply.status(201).send({ receiptNumber: 'R0-000000', statusToken: 'x'.repeat(32) });
        }
        const { website: _w, ...rest } = input;
        const out = await receiveReport(p, { ...(rest as unknown as ReportInput), channel: 'web' }, files, {
          subject: null,
          ip: request.ip,
        });
        return reply
          .status(201)
          .header('cache-control', 'no-store')
          .send({ receiptNumber: out.receiptNumber, statusToken: out.statusToken });
      },
    );
    const statusToken = (request: FastifyRequest) => {
      const h = request.headers['x-status-token'];
      return typeof h === 'string' ? h : undefined;
    };
    app.get(
      '/:receiptNumber',
      {
        config: { public: true, rateLimit: limited(limits.status) },
        schema: { tags, params: schema.ReceiptParams, response: { 200: schema.PublicStatus } },
      },
      async (request, reply) => {
        const { receiptNumber } = request.params as { receiptNumber: string };
        reply.header('cache-control', 'no-store');
        return svc.publicStatus(p, receiptNumber, statusToken(request), request.locale);
      },
    );
    app.post(
      '/:receiptNumber/additions',
      {
        config: { public: true, rateLimit: limited(limits.submit) },
        schema: { tags, params: schema.ReceiptParams, body: schema.Addition, response: { 200: schema.PublicStatus } },
      },
      async (request) => {
        const { receiptNumber } = request.params as { receiptNumber: string };
        const { text } = request.body as { text: string };
        return svc.addInformation(p, receiptNumber, statusToken(request), text, request.ip, request.locale);
      },
    );
  },
};

const Items = Type.Object({ items: Type.Array(Type.Unknown()) });

/** Staff part: entry from every channel, the queue, the report page, the duty desk, routing rules. */
export const intakeModule: RenkeiModule = {
  name: 'intake',
  prefix: 'intake',
  rules: intakeRules,
  routes: async (app, { platform: p }) => {
    registerJobs(p);
    const s = (request: FastifyRequest) => request.subject!;
    const id = (request: FastifyRequest) => (request.params as { id: string }).id;

    app.post('/reports', { ...write, schema: { tags, body: schema.StaffReport } }, async (request, reply) => {
      const body = request.body as ReportInput;
      const out = await receiveReport(p, body, [], { subject: s(request), ip: request.ip });
      return reply.status(201).send({
        id: out.id,
        receiptNumber: out.receiptNumber,
        statusToken: out.statusToken,
        urgent: out.urgent,
        ownerUnitId: out.ownerUnitId,
      });
    });
    app.get('/reports', { ...read, schema: { tags, querystring: schema.QueueQuery } }, async (request) =>
      svc.queue(p, s(request), request.query as svc.QueueFilter),
    );
    app.get('/reports/:id', { ...read, schema: { tags, params: schema.IdParams } }, async (request) =>
      svc.getReport(p, s(request), id(request), request.ip),
    );
    app.get(
      '/reports/:id/person-history',
      { ...read, schema: { tags, params: schema.IdParams, response: { 200: Items } } },
      async (request) => svc.personHistory(p, s(request), id(request), request.ip),
    );
    app.get(
      '/reports/:id/juri-hyo.pdf',
      { ...read, schema: { tags, params: schema.IdParams } },
      async (request, reply) => {
        const pdf = await svc.juriHyo(p, s(request), id(request), request.ip);
        return reply
          .type('application/pdf')
          .header('content-disposition', 'inline; filename="juri-hyo.pdf"')
          .header('cache-control', 'private, no-store')
          .send(pdf);
      },
    );
    app.get(
      '/reports/:id/attachments/:fileId',
      { ...read, schema: { tags, params: schema.FileParams } },
      async (request, reply) => {
        const { id: rid, fileId } = request.params as { id: string; fileId: string };
        await svc.readable(p, s(request), rid);
        const a = await p.db.db
          .selectFrom('intake_attachments')
          .select('file_ref_id')
          .where('report_id', '=', rid)
          .where('file_ref_id', '=', fileId)
          .executeTakeFirst();
        if (!a) throw new AppError('NOT_FOUND');
        return sendFileRef(reply, fileStoreFor(p), fileId, { download: true });
      },
    );

    const ok = { ok: true as const };
    app.post(
      '/reports/:id/assign',
      { ...write, schema: { tags, params: schema.IdParams, body: schema.AssignBody } },
      async (request) => {
        await svc.assign(
          p,
          s(request),
          id(request),
          request.body as { assigneeId?: string; unitId?: string },
          request.ip,
        );
        return ok;
      },
    );
    app.post('/reports/:id/acknowledge', { ...write, schema: { tags, params: schema.IdParams } }, async (request) => {
      await svc.acknowledge(p, s(request), id(request), request.ip);
      return ok;
    });
    app.post(
      '/reports/:id/category',
      { ...write, schema: { tags, params: schema.IdParams, body: schema.CategoryBody } },
      async (request) => {
        const { category } = request.body as Static<typeof schema.CategoryBody>;
        await svc.confirmCategory(p, s(request), id(request), category, request.ip);
        return ok;
      },
    );
    app.patch(
      '/reports/:id/observables/:observableId',
      { ...write, schema: { tags, params: schema.ObservableParams, body: schema.RoleBody } },
      async (request) => {
        const { id: rid, observableId } = request.params as { id: string; observableId: string };
        await svc.setObservableRole(
          p,
          s(request),
          rid,
          observableId,
          (request.body as { role: string }).role,
          request.ip,
        );
        return ok;
      },
    );
    app.post(
      '/reports/:id/close',
      { ...write, schema: { tags, params: schema.IdParams, body: schema.CloseBody } },
      async (request) => {
        await svc.close(p, s(request), id(request), request.body as { outcome: string; message?: string }, request.ip);
        return ok;
      },
    );
    app.post(
      '/reports/:id/notes',
      { ...write, schema: { tags, params: schema.IdParams, body: schema.NoteBody } },
      async (request) => {
        await svc.addNote(p, s(request), id(request), (request.body as { body: string }).body, request.ip);
        return ok;
      },
    );
    app.post('/reports/bulk', { ...write, schema: { tags, body: schema.BulkBody } }, async (request) =>
      svc.bulk(p, s(request), request.body as svc.BulkInput, request.ip),
    );
    app.post(
      '/clusters/:id/promote',
      { ...write, schema: { tags, params: schema.IdParams, body: schema.PromoteBody } },
      async (request, reply) => {
        const body = request.body as Static<typeof schema.PromoteBody>;
        return reply.status(201).send(await promoteCluster(p, s(request), id(request), body, request.ip));
      },
    );
    app.get('/units', { ...read, schema: { tags, response: { 200: Items } } }, async () => svc.unitChoices(p));
    app.post('/suggest', { ...read, schema: { tags, body: schema.SuggestBody } }, async (request) =>
      svc.suggestion(p, (request.body as { text: string }).text),
    );
    app.get(
      '/duty',
      {
        ...read,
        schema: {
          tags,
          querystring: Type.Object(
            { open: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => svc.dutyList(p, s(request), (request.query as { open?: string }).open === 'true'),
    );
    app.post('/duty/:id/acknowledge', { ...write, schema: { tags, params: schema.IdParams } }, async (request) => {
      await svc.acknowledgeDuty(p, s(request), id(request), request.ip);
      return ok;
    });
    app.get('/routing-rules', { ...read, schema: { tags } }, async () => {
      await ensureRoutingRules(p);
      return svc.routingRules(p);
    });
    app.put(
      '/routing-rules',
      { config: { action: 'intake.routing.manage' }, schema: { tags, body: schema.RoutingRulesBody } },
      async (request) =>
        svc.replaceRoutingRules(
          p,
          s(request),
          (request.body as Static<typeof schema.RoutingRulesBody>).rules,
          request.ip,
        ),
    );
  },
};

registerIntakeDemo();
