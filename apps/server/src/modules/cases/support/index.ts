import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/context.ts';
import { jobsOf } from '../../../platform/jobs/index.ts';
import type { RenkeiModule } from '../../../platform/module.ts';
import { supportRules } from './policy.ts';
import * as schema from './schema.ts';
import * as decide from './decisions.ts';
import * as reads from './read.ts';
import * as svc from './service.ts';

const tags = ['case-support'];
const read = { config: { action: 'case.support.read' } };
const write = { config: { action: 'case.support.write' } };

const jobsRegistered = new WeakSet<Platform>();
function registerJobs(p: Platform): void {
  if (jobsRegistered.has(p)) return;
  jobsRegistered.add(p);
  jobsOf(p).register('case.support.due', (payload) => svc.escalateSupport(p, payload), {
    retries: 5,
    backoff: { initialMs: 60_000, factor: 2, maxMs: 3600_000 },
  });
}

/** 支援要請: requests for support with a working-time clock, decisions, escalation and the workload view. */
export const caseSupportModule: RenkeiModule = {
  name: 'case-support',
  prefix: 'support-requests',
  rules: supportRules,
  routes: async (app, { platform: p }) => {
    registerJobs(p);
    const s = (r: FastifyRequest) => r.subject!;
    const id = (r: FastifyRequest) => (r.params as { id: string }).id;
    const reason = (r: FastifyRequest) => (r.body as { reason: string }).reason;

    app.get('/', { ...read, schema: { tags, querystring: schema.ListQuery } }, async (r) =>
      reads.listSupport(p, s(r), r.query as reads.ListQuery),
    );
    app.post('/', { ...write, schema: { tags, body: schema.NewSupport } }, async (r, reply) =>
      reply.status(201).send(await svc.createSupport(p, s(r), r.body as svc.SupportInput, r.ip)),
    );
    app.get('/workload', { ...read, schema: { tags, querystring: schema.WorkloadQuery } }, async (r) =>
      svc.workload(p, s(r), (r.query as { unitId?: string }).unitId),
    );
    app.get('/by-case/:caseId', { ...read, schema: { tags, params: schema.CaseParams } }, async (r) =>
      reads.supportForCase(p, s(r), (r.params as { caseId: string }).caseId),
    );
    app.get('/:id', { ...read, schema: { tags, params: schema.IdParams } }, async (r) =>
      reads.getSupport(p, s(r), id(r)),
    );
    app.post('/:id/accept', { ...write, schema: { tags, params: schema.IdParams, body: schema.Accept } }, async (r) =>
      decide.acceptSupport(p, s(r), id(r), r.body as { assigneeId?: string }, r.ip),
    );
    app.post('/:id/decline', { ...write, schema: { tags, params: schema.IdParams, body: schema.Reason } }, async (r) =>
      decide.declineSupport(p, s(r), id(r), reason(r), r.ip),
    );
    app.post(
      '/:id/hand-back',
      { ...write, schema: { tags, params: schema.IdParams, body: schema.Reason } },
      async (r) => decide.handBackSupport(p, s(r), id(r), reason(r), r.ip),
    );
    app.post('/:id/complete', { ...write, schema: { tags, params: schema.IdParams } }, async (r) =>
      decide.completeSupport(p, s(r), id(r), r.ip),
    );
    app.post('/:id/withdraw', { ...write, schema: { tags, params: schema.IdParams, body: schema.Reason } }, async (r) =>
      decide.withdrawSupport(p, s(r), id(r), reason(r), r.ip),
    );
  },
};
