import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuditActor } from '../../../platform/audit/audit.ts';
import type { Rule } from '../../../platform/auth/policy.ts';
import { hasRole } from '../../../platform/auth/subject.ts';
import type { Platform } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { jobsOf } from '../../../platform/jobs/index.ts';
import type { RenkeiModule } from '../../../platform/module.ts';
import { createSubscription, presentSubscription, runSubscription } from './client.ts';
import { createCollection, grantCollection, listCollections, publishCollection } from './collections.ts';
import './tables.ts';

const tags = ['taxii'];
const actorOf = (r: FastifyRequest): AuditActor => ({
  id: r.subject!.userId,
  login: r.subject!.login,
  unitId: r.subject!.unitId,
});
const analyst: Rule = (s) => s.clearance >= 2 && (hasRole(s, 'cyber_analyst') || hasRole(s, 'admin'));

export const taxiiRules: Record<string, Rule> = {
  /** The TAXII endpoints: any authenticated caller; the server then requires a partner's machine account. */
  'taxii.access': () => true,
  /** Collections, grants, publishing, subscriptions. */
  'taxii.manage': analyst,
};

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const CollectionBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    apiRoot: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })),
  },
  { additionalProperties: false },
);
const GrantBody = Type.Object(
  { partnerId: Type.String({ format: 'uuid' }), read: Type.Boolean(), write: Type.Boolean() },
  { additionalProperties: false },
);
const SubscriptionBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    apiRootUrl: Type.String({ minLength: 8, maxLength: 2000 }),
    collectionId: Type.String({ minLength: 1, maxLength: 100 }),
    token: Type.String({ minLength: 8, maxLength: 500 }),
    direction: Type.Union([Type.Literal('pull'), Type.Literal('push')]),
    partnerId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false },
);

const scheduled = new WeakSet<Platform>();
/** Every 15 minutes, every active subscription runs once (failures are recorded on the subscription). */
function registerJobs(p: Platform): void {
  if (scheduled.has(p)) return;
  scheduled.add(p);
  jobsOf(p).schedule('taxii.subscriptions', '*/15 * * * *', async () => {
    const subs = await p.db.db
      .selectFrom('taxii_subscriptions')
      .select('id')
      .where('disabled_at', 'is', null)
      .execute();
    for (const s of subs) await runSubscription(p, s.id).catch(() => undefined);
  });
}

/** Staff side of TAXII (/api/taxii): collections, grants, publishing, subscriptions. The server is `server.ts`. */
export const taxiiModule: RenkeiModule = {
  name: 'taxii',
  prefix: 'taxii',
  rules: taxiiRules,
  routes: async (app, { platform: p }) => {
    registerJobs(p);
    const manage = { config: { action: 'taxii.manage' } };
    app.get('/collections', { ...manage, schema: { tags } }, async () => ({ items: await listCollections(p.db.db) }));
    app.post('/collections', { ...manage, schema: { tags, body: CollectionBody } }, async (request, reply) => {
      const b = request.body as { title: string; description?: string; apiRoot?: string };
      const c = await createCollection(p, actorOf(request), b, request.ip);
      reply.code(201);
      return { id: c.id, apiRoot: c.api_root, title: c.title };
    });
    app.put(
      '/collections/:id/grants',
      { ...manage, schema: { tags, params: Id, body: GrantBody } },
      async (request) => {
        const b = request.body as { partnerId: string; read: boolean; write: boolean };
        await grantCollection(
          p,
          actorOf(request),
          (request.params as { id: string }).id,
          { id: b.partnerId },
          b,
          request.ip,
        );
        return { ok: true };
      },
    );
    app.post('/collections/:id/publish', { ...manage, schema: { tags, params: Id } }, async (request) =>
      publishCollection(p, actorOf(request), (request.params as { id: string }).id, request.ip),
    );
    app.get('/subscriptions', { ...manage, schema: { tags } }, async () => ({
      items: (await p.db.db.selectFrom('taxii_subscriptions').selectAll().orderBy('created_at').execute()).map(
        presentSubscription,
      ),
    }));
    app.post('/subscriptions', { ...manage, schema: { tags, body: SubscriptionBody } }, async (request, reply) => {
      const s = await createSubscription(p, actorOf(request), request.body as never, request.ip);
      reply.code(201);
      return presentSubscription(s);
    });
    app.post('/subscriptions/:id/run', { ...manage, schema: { tags, params: Id } }, async (request) => {
      const id = (request.params as { id: string }).id;
      try {
        return { moved: await runSubscription(p, id) };
      } catch (err) {
        if (err instanceof AppError && err.code === 'UNAVAILABLE') return { moved: 0, error: err.message };
        throw err;
      }
    });
  },
};
