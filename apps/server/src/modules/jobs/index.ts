import { Type } from 'typebox';
import { hasRole } from '../../platform/auth/subject.ts';
import { AppError } from '../../platform/errors.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import type { RenkeiModule } from '../../platform/module.ts';

const tags = ['admin'];

const DeadJob = Type.Object({
  id: Type.String(),
  type: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

/**
 * The dead-letter view of the job queue: jobs that used up their retries, for the administrator to inspect
 * and put back. Payloads are not shown (domain events carry record ids; the records are not the admin's).
 */
export const jobsModule: RenkeiModule = {
  name: 'jobs',
  prefix: 'admin/jobs',
  rules: { 'jobs.manage': (s) => hasRole(s, 'admin') },
  routes: async (app, { platform: p }) => {
    app.get(
      '/dead-letters',
      {
        config: { action: 'jobs.manage' },
        schema: {
          tags,
          querystring: Type.Object(
            { type: Type.Optional(Type.String({ maxLength: 64 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(DeadJob) }) },
        },
      },
      async (request) => {
        const { type } = request.query as { type?: string };
        const jobs = await jobsOf(p).deadLetters({ ...(type ? { type } : {}), limit: 200 });
        return {
          items: jobs.map((j) => ({
            id: j.id,
            type: j.type,
            attempts: j.attempts,
            lastError: j.lastError,
            createdAt: j.createdAt,
            finishedAt: j.finishedAt,
          })),
        };
      },
    );
    app.post(
      '/:id/retry',
      {
        config: { action: 'jobs.manage' },
        schema: { tags, params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }) },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const job = await jobsOf(p).get(id);
        if (job?.state !== 'dead') throw new AppError('NOT_FOUND');
        await jobsOf(p).retry(id);
        const s = request.subject!;
        await p.db.db.transaction().execute((trx) =>
          p.audit.record(trx, {
            actor: { id: s.userId, login: s.login, unitId: s.unitId },
            action: 'job.retry',
            target: { type: 'job', id },
            result: 'success',
            clientIp: request.ip,
            details: { type: job.type },
          }),
        );
        return reply.status(204).send();
      },
    );
  },
};
