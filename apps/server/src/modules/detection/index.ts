import type { FastifyRequest } from 'fastify';
import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import { pageLimit } from '../../platform/db/cursor.ts';
import { jobsOf } from '../../platform/jobs/index.ts';
import type { RenkeiModule } from '../../platform/module.ts';
import { collectFeed } from './collector.ts';
import * as feeds from './feeds.ts';
import { huntUpload } from './hunts.ts';
import { detectionRules } from './policy.ts';
import { listPolicies, purgeExpired, setPolicy } from './retention.ts';
import * as schema from './schema.ts';
import './tables.ts';

const tags = ['detection'];
const subjectOf = (r: FastifyRequest): Subject => r.subject!;
/** Uploaded logs stream through the matcher; this bounds one upload, not memory. */
const MAX_HUNT_UPLOAD = 4 * 1024 ** 3;

const registered = new WeakSet<Platform>();
/** The feed scheduler (every minute), the collector, and the nightly retention purge (03:30 JST). */
export function registerDetectionJobs(p: Platform): void {
  if (registered.has(p)) return;
  registered.add(p);
  const jobs = jobsOf(p);
  jobs.schedule('detection.feeds', '* * * * *', async () => {
    await feeds.enqueueDueFeeds(p);
  });
  // A failed pull is recorded as the feed's error history and retried at its next interval, not by the queue.
  jobs.register(
    'detection.feed.collect',
    async ({ feedId }) => {
      await collectFeed(p, feedId);
    },
    { retries: 0, leaseMs: 60 * 60_000 },
  );
  jobs.schedule(
    'detection.retention',
    '30 3 * * *',
    async () => {
      await purgeExpired(p, null);
    },
    { leaseMs: 60 * 60_000 },
  );
}

/** Detection network (issue 8): feed collectors with health and error history, log hunting, retention. */
export const detectionModule: RenkeiModule = {
  name: 'detection',
  prefix: 'detection',
  rules: detectionRules,
  routes: async (app, { platform: p }) => {
    registerDetectionJobs(p);
    const read = { config: { action: 'detection.read' } };
    const manage = { config: { action: 'detection.manage' } };

    app.get('/feeds', { ...read, schema: { tags } }, async () => feeds.listFeeds(p));
    app.post('/feeds', { ...manage, schema: { tags, body: schema.FeedBody } }, async (request, reply) => {
      reply.code(201);
      return feeds.createFeed(p, feeds.actorOf(subjectOf(request)), request.body as feeds.FeedInput, request.ip);
    });
    app.get('/feeds/:id', { ...read, schema: { tags, params: schema.IdParams } }, async (request) =>
      feeds.presentFeed(await feeds.getFeedRow(p, (request.params as { id: string }).id), p.clock.now()),
    );
    app.patch(
      '/feeds/:id',
      { ...manage, schema: { tags, params: schema.IdParams, body: schema.FeedPatch } },
      async (request) =>
        feeds.updateFeed(
          p,
          feeds.actorOf(subjectOf(request)),
          (request.params as { id: string }).id,
          request.body as Partial<feeds.FeedInput>,
          request.ip,
        ),
    );
    app.get(
      '/feeds/:id/runs',
      { ...read, schema: { tags, params: schema.IdParams, querystring: schema.RunsQuery } },
      async (request) => {
        const q = request.query as { errors?: string; cursor?: string; limit?: string };
        return feeds.listRuns(p, (request.params as { id: string }).id, {
          cursor: q.cursor,
          limit: pageLimit(q.limit, 50, 200),
          errorsOnly: q.errors === '1',
        });
      },
    );
    app.post('/feeds/:id/collect', { ...manage, schema: { tags, params: schema.IdParams } }, async (request) => {
      const id = (request.params as { id: string }).id;
      await feeds.getFeedRow(p, id);
      const run = await collectFeed(p, id);
      return { run, feed: feeds.presentFeed(await feeds.getFeedRow(p, id), p.clock.now()) };
    });

    app.get('/retention', { ...read, schema: { tags } }, async () => listPolicies(p));
    app.patch(
      '/retention/:type',
      {
        config: { action: 'detection.retention' },
        schema: { tags, params: schema.TypeParams, body: schema.PolicyBody },
      },
      async (request) =>
        setPolicy(
          p,
          feeds.actorOf(subjectOf(request)),
          (request.params as { type: string }).type,
          (request.body as { purgeAfterDays: number | null }).purgeAfterDays,
          request.ip,
        ),
    );
    app.post('/retention/purge', { config: { action: 'detection.retention' }, schema: { tags } }, async (request) =>
      purgeExpired(p, feeds.actorOf(subjectOf(request)), { clientIp: request.ip }),
    );

    // The log itself is the body (any content type, gzip too), read as a stream.
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', (_request, _payload, done) => done(null));
      raw.post(
        '/hunt',
        { config: { action: 'detection.hunt' }, schema: { tags, querystring: schema.HuntQuery } },
        async (request) => {
          const q = request.query as { file?: string; name?: string; record?: string };
          const file = q.file ?? 'upload';
          let bytes = 0;
          async function* limited(): AsyncGenerator<Buffer> {
            for await (const chunk of request.raw as AsyncIterable<Buffer>) {
              bytes += chunk.length;
              if (bytes > MAX_HUNT_UPLOAD) {
                const { AppError } = await import('../../platform/errors.ts');
                throw new AppError('PAYLOAD_TOO_LARGE');
              }
              yield chunk;
            }
          }
          return huntUpload(p, subjectOf(request), limited(), {
            file,
            name: q.name ?? file,
            record: q.record === '1',
            clientIp: request.ip,
          });
        },
      );
    });
  },
};
