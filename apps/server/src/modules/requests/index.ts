import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { fileStoreFor, sendFileRef } from '../../platform/files/index.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import type { Platform } from '../../platform/context.ts';
import type { RenkeiModule } from '../../platform/module.ts';
import { bankInfo } from './bank.ts';
import { ensureRequestTemplates } from './letters.ts';
import { checkDue, extendPreservation, sendRequest, withdrawRequest } from './lifecycle.ts';
import { measures } from './measures.ts';
import { setItemOutcome } from './outcome.ts';
import { requestsRules } from './policy.ts';
import * as q from './queries.ts';
import * as schema from './schema.ts';
import { recheckRequest } from './recipients/capture.ts';
import { approveRequest, changeStatus, createRequest } from './service.ts';
import { type TakedownInput, draftTakedowns } from './takedowns.ts';
import { registerCaptureJobs, retryCaptures } from './captureJobs.ts';
import type { NewRequestInput } from './types.ts';
import type { ItemOutcome } from './vocab.ts';

const tags = ['requests'];
const read = { config: { action: 'requests.read' } };
const write = { config: { action: 'requests.write' } };

const jobsRegistered = new WeakSet<Platform>();
/** The reminder / escalation / preservation-period job (one handler, idempotent). */
export function registerRequestJobs(p: Platform): void {
  if (jobsRegistered.has(p)) return;
  jobsRegistered.add(p);
  jobsOf(p).register('request.due', (payload) => checkDue(p, payload.requestId), {
    retries: 5,
    backoff: { initialMs: 60_000, factor: 2, maxMs: 3600_000 },
  });
  registerCaptureJobs(p);
}

/** Outgoing requests and countermeasures (issue 11): routes under /api/requests. */
export const requestsModule: RenkeiModule = {
  name: 'requests',
  prefix: 'requests',
  rules: requestsRules,
  routes: async (app, { platform: p }) => {
    registerRequestJobs(p);
    await ensureRequestTemplates(p);
    const s = (r: FastifyRequest) => r.subject!;
    const rid = (r: FastifyRequest) => (r.params as { requestId: string }).requestId;
    const sub = (r: FastifyRequest) => (r.params as { sub: string }).sub;
    const params = { params: schema.IdParams };

    app.get('/types', { ...read, schema: { tags } }, async () => ({ items: await q.listTypes(p) }));
    app.get('/recipients', { ...read, schema: { tags, querystring: schema.RecipientQuery } }, async (r) => ({
      items: await q.listRecipients(p, (r.query as { kind?: string }).kind),
    }));
    app.post(
      '/recipients',
      { config: { action: 'requests.recipients.manage' }, schema: { tags, body: schema.NewRecipient } },
      async (r, reply) => reply.status(201).send(await q.createRecipient(p, s(r), r.body as q.RecipientInput, r.ip)),
    );
    app.get('/banks/:code', { ...read, schema: { tags, params: schema.BankParams } }, async (r) => {
      const b = bankInfo((r.params as { code: string }).code);
      if (!b) throw new AppError('REQUEST_BANK_UNKNOWN');
      return b;
    });
    app.get('/sources/:kind/:id/observables', { ...read, schema: { tags, params: schema.SourceParams } }, async (r) => {
      const prm = r.params as { kind: 'campaign' | 'case'; id: string };
      return q.sourceObservables(p, s(r), prm.kind, prm.id);
    });
    app.get('/measures', { ...read, schema: { tags } }, async (r) => measures(p, s(r)));

    app.get('/', { ...read, schema: { tags, querystring: schema.ListQuery } }, async (r) => {
      const f = r.query as Record<string, string | undefined>;
      return q.listRequests(p, s(r), { ...f, limit: Math.min(Number(f.limit ?? 50) || 50, 200) });
    });
    app.post('/', { ...write, schema: { tags, body: schema.NewRequest } }, async (r, reply) =>
      reply.status(201).send(await createRequest(p, s(r), r.body as NewRequestInput, r.ip)),
    );
    app.post('/takedowns', { ...write, schema: { tags, body: schema.Takedowns } }, async (r, reply) =>
      reply.status(201).send(await draftTakedowns(p, s(r), r.body as TakedownInput, { clientIp: r.ip })),
    );
    app.get('/:requestId', { ...read, schema: { tags, ...params } }, async (r) => q.requestDetail(p, s(r), rid(r)));
    app.post('/:requestId/recheck', { ...write, schema: { tags, ...params } }, async (r) =>
      recheckRequest(p, s(r), rid(r), r.ip),
    );
    app.post('/:requestId/captures/retry', { ...write, schema: { tags, ...params } }, async (r) =>
      retryCaptures(p, s(r), rid(r), r.ip),
    );
    app.post('/:requestId/approve', { ...write, schema: { tags, ...params } }, async (r) => {
      await approveRequest(p, s(r), rid(r), r.ip);
      return q.requestDetail(p, s(r), rid(r));
    });
    app.post('/:requestId/send', { ...write, schema: { tags, ...params, body: schema.Send } }, async (r) => {
      await sendRequest(p, s(r), rid(r), (r.body as { via: 'mail' | 'print' }).via, r.ip);
      return q.requestDetail(p, s(r), rid(r));
    });
    app.post('/:requestId/status', { ...write, schema: { tags, ...params, body: schema.StatusChange } }, async (r) => {
      const b = r.body as { to: 'acknowledged' | 'done' | 'refused' | 'expired'; note?: string };
      await changeStatus(p, s(r), rid(r), b.to, b.note ?? '', r.ip);
      return q.requestDetail(p, s(r), rid(r));
    });
    app.post('/:requestId/extend', { ...write, schema: { tags, ...params, body: schema.Extend } }, async (r) => {
      await extendPreservation(p, s(r), rid(r), (r.body as { days: number }).days, r.ip);
      return q.requestDetail(p, s(r), rid(r));
    });
    app.post('/:requestId/withdraw', { ...write, schema: { tags, ...params, body: schema.Withdraw } }, async (r) => {
      await withdrawRequest(p, s(r), rid(r), (r.body as { note?: string }).note ?? '', r.ip);
      return q.requestDetail(p, s(r), rid(r));
    });
    app.post(
      '/:requestId/items/:sub/outcome',
      { ...write, schema: { tags, params: schema.SubParams, body: schema.Outcome } },
      async (r) => {
        await setItemOutcome(p, s(r), rid(r), sub(r), (r.body as { outcome: ItemOutcome }).outcome, r.ip);
        return q.requestDetail(p, s(r), rid(r));
      },
    );
    app.get('/:requestId/documents/:sub', { ...read, schema: { tags, params: schema.SubParams } }, async (r, reply) => {
      const d = await q.documentFile(p, s(r), rid(r), sub(r));
      if (!d) throw new AppError('NOT_FOUND');
      return sendFileRef(reply, fileStoreFor(p), d.file_id);
    });
  },
};
