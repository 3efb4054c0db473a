import { todayJst } from '@renkei/core/calendar/calendarDate';
import { Type } from 'typebox';
import type { RenkeiModule } from '../../platform/module.ts';
import * as org from './organisationService.ts';
import * as schema from './schema.ts';
import * as tokens from './tokenService.ts';
import * as users from './userService.ts';

const tags = ['admin'];
const items = <T extends Parameters<typeof Type.Array>[0]>(t: T) => Type.Object({ items: Type.Array(t) });
const idParams = { params: schema.IdParams };

/** Units, positions, roles, need-to-know groups, accounts and API tokens. Contents are not here. */
export const adminModule: RenkeiModule = {
  name: 'admin',
  prefix: 'admin',
  routes: async (app, { platform: p }) => {
    const read = { config: { action: 'organisation.read' } };
    const manage = { config: { action: 'organisation.manage' } };
    // Validity dates are calendar days in Japan: from 00:00 to 09:00 JST the UTC date is still yesterday.
    const today = () => todayJst(p.clock.now());

    app.get(
      '/units',
      {
        ...read,
        schema: {
          tags,
          querystring: Type.Object(
            { includeRetired: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) },
            { additionalProperties: false },
          ),
          response: { 200: items(schema.Unit) },
        },
      },
      async (request) => {
        const q = request.query as { includeRetired?: string };
        return { items: await org.listUnits(p, q.includeRetired === 'true', today()) };
      },
    );
    app.post(
      '/units',
      { ...manage, schema: { tags, body: schema.UnitCreate, response: { 201: schema.Unit } } },
      async (request, reply) => {
        const body = request.body as org.UnitInput & { code: string; name: string; kind: string };
        return reply.status(201).send(await org.createUnit(p, request.subject!, body, request.ip));
      },
    );
    app.patch(
      '/units/:id',
      { ...manage, schema: { tags, ...idParams, body: schema.UnitPatch, response: { 200: schema.Unit } } },
      async (request) => {
        const { id } = request.params as { id: string };
        return org.updateUnit(p, request.subject!, id, request.body as org.UnitInput, request.ip);
      },
    );

    app.get('/positions', { ...read, schema: { tags, response: { 200: items(schema.Position) } } }, async () => ({
      items: await org.listPositions(p),
    }));
    app.post(
      '/positions',
      { ...manage, schema: { tags, body: schema.PositionCreate, response: { 201: schema.Position } } },
      async (request, reply) =>
        reply.status(201).send(await org.savePosition(p, request.subject!, null, request.body as object, request.ip)),
    );
    app.patch(
      '/positions/:id',
      { ...manage, schema: { tags, ...idParams, body: schema.PositionPatch, response: { 200: schema.Position } } },
      async (request) => {
        const { id } = request.params as { id: string };
        return org.savePosition(p, request.subject!, id, request.body as object, request.ip);
      },
    );

    app.get('/roles', { ...read, schema: { tags } }, async () => ({ items: await org.listRoles(p) }));
    app.get('/groups', { ...read, schema: { tags, response: { 200: items(schema.Group) } } }, async () => ({
      items: await org.listGroups(p),
    }));
    app.post(
      '/groups',
      { ...manage, schema: { tags, body: schema.GroupCreate, response: { 201: schema.Group } } },
      async (request, reply) =>
        reply
          .status(201)
          .send(await org.createGroup(p, request.subject!, request.body as { name: string }, request.ip)),
    );

    const usersRead = { config: { action: 'users.read' } };
    const usersCreate = { config: { action: 'users.create' } };
    app.get(
      '/users',
      {
        ...usersRead,
        schema: {
          tags,
          querystring: schema.UserQuery,
          response: {
            200: Type.Object({ items: Type.Array(schema.User), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => users.list(p, request.query as Record<string, string>),
    );
    app.get(
      '/users/:id',
      { ...usersRead, schema: { tags, ...idParams, response: { 200: schema.User } } },
      async (request) => users.get(p, (request.params as { id: string }).id),
    );
    app.post(
      '/users',
      {
        ...usersCreate,
        schema: {
          tags,
          body: schema.UserCreate,
          response: { 201: Type.Object({ user: schema.User, initialPassword: Type.String() }) },
        },
      },
      async (request, reply) => {
        const body = request.body as Parameters<typeof users.create>[2];
        return reply.status(201).send(await users.create(p, request.subject!, body, request.ip));
      },
    );
    app.patch(
      '/users/:id',
      { ...usersCreate, schema: { tags, ...idParams, body: schema.UserPatch, response: { 200: schema.User } } },
      async (request) =>
        users.update(
          p,
          request.subject!,
          (request.params as { id: string }).id,
          request.body as users.UserInput,
          request.ip,
        ),
    );
    app.post(
      '/users/:id/disable',
      { ...usersCreate, schema: { tags, ...idParams, body: schema.DisableBody, response: { 200: schema.User } } },
      async (request) => {
        const { reason } = request.body as { reason: string };
        return users.setStatus(p, request.subject!, (request.params as { id: string }).id, true, reason, request.ip);
      },
    );
    app.post(
      '/users/:id/enable',
      { ...usersCreate, schema: { tags, ...idParams, response: { 200: schema.User } } },
      async (request) =>
        users.setStatus(p, request.subject!, (request.params as { id: string }).id, false, null, request.ip),
    );
    app.post(
      '/users/:id/reset-password',
      {
        ...usersCreate,
        schema: { tags, ...idParams, response: { 200: Type.Object({ initialPassword: Type.String() }) } },
      },
      async (request) => users.resetPassword(p, request.subject!, (request.params as { id: string }).id, request.ip),
    );
    app.post(
      '/users/:id/reset-mfa',
      { ...usersCreate, schema: { tags, ...idParams, response: { 200: schema.User } } },
      async (request) => users.resetMfa(p, request.subject!, (request.params as { id: string }).id, request.ip),
    );

    const tokensManage = { config: { action: 'tokens.manage' } };
    app.get(
      '/tokens',
      {
        ...tokensManage,
        schema: {
          tags,
          querystring: Type.Object(
            { userId: Type.Optional(Type.String({ maxLength: 64 })) },
            { additionalProperties: false },
          ),
          response: { 200: items(schema.TokenMeta) },
        },
      },
      async (request) => ({ items: await tokens.list(p, (request.query as { userId?: string }).userId) }),
    );
    app.post(
      '/tokens',
      {
        ...tokensManage,
        schema: {
          tags,
          body: schema.TokenCreate,
          response: { 201: Type.Intersect([schema.TokenMeta, Type.Object({ token: Type.String() })]) },
        },
      },
      async (request, reply) => {
        const body = request.body as { userId: string; name: string; expiresInDays: number };
        return reply.status(201).send(await tokens.create(p, request.subject!, body, request.ip));
      },
    );
    app.post(
      '/tokens/:id/revoke',
      { ...tokensManage, schema: { tags, ...idParams, response: { 200: schema.TokenMeta } } },
      async (request) => tokens.revoke(p, request.subject!, (request.params as { id: string }).id, request.ip),
    );
  },
};
