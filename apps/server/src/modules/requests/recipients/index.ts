import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Rule } from '../../../platform/auth/policy.ts';
import { hasRole } from '../../../platform/auth/subject.ts';
import type { RenkeiModule } from '../../../platform/module.ts';
import { isRequestStaff } from '../access.ts';
import { fileStoreFor, sendFileRef } from '../../../platform/files/index.ts';
import { captureDetail, captureSite, registerRecheck } from './capture.ts';
import { captureFileForDownload, listCaptures } from './captureList.ts';
import { createNotices, groupItems, noticeByReference, setRecipientNetwork } from './notices.ts';
import { rdapLookup } from './rdap.ts';

const S = (max: number, min = 1) => Type.String({ maxLength: max, minLength: min });
const Obj = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const Urls = Obj({ urls: Type.Array(S(2048), { minItems: 1, maxItems: 1000 }) });
const Lookup = Obj({
  kind: Type.Union([Type.Literal('domain'), Type.Literal('ip'), Type.Literal('autnum')]),
  query: S(255),
});
const Network = Obj({
  recipientId: S(64),
  asn: Type.Optional(Type.String({ pattern: '^(AS|as)?[0-9]{1,10}$' })),
  maxPerHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
});
const Capture = Obj({
  url: S(2048),
  profile: Type.Optional(Type.Union([Type.Literal('desktop'), Type.Literal('iphone'), Type.Literal('android')])),
  screenshot: Type.Optional(Type.Boolean()),
  requestId: Type.Optional(S(64)),
  requestItemId: Type.Optional(S(64)),
});

/** Route actions: request staff look up, group, notify and capture; analysts map networks and set limits. */
export const recipientsRules: Record<string, Rule> = {
  'recipients.lookup': (s) => isRequestStaff(s),
  'recipients.notices': (s) => isRequestStaff(s),
  'recipients.capture': (s) => isRequestStaff(s),
  'recipients.networks': (s) => hasRole(s, 'cyber_analyst'),
};

const tags = ['requests'];

/** Recipients look-up, grouped notices and site captures (issue 11 items 3, 5): routes under /api/requests/recipients. */
export const requestRecipientsModule: RenkeiModule = {
  name: 'requests-recipients',
  prefix: 'requests/recipients',
  rules: recipientsRules,
  routes: async (app, { platform: p }) => {
    registerRecheck(p);
    const s = (r: FastifyRequest) => r.subject!;
    app.post('/lookup', { config: { action: 'recipients.lookup' }, schema: { tags, body: Lookup } }, async (r) => {
      const b = r.body as { kind: 'domain' | 'ip' | 'autnum'; query: string };
      return rdapLookup(p, b.kind, b.query);
    });
    app.post('/group', { config: { action: 'recipients.notices' }, schema: { tags, body: Urls } }, async (r) =>
      groupItems(p, (r.body as { urls: string[] }).urls),
    );
    app.post('/notices', { config: { action: 'recipients.notices' }, schema: { tags, body: Urls } }, async (r, reply) =>
      reply.status(201).send(await createNotices(p, s(r), (r.body as { urls: string[] }).urls, { clientIp: r.ip })),
    );
    app.get(
      '/notices/:reference',
      {
        config: { action: 'recipients.notices' },
        schema: { tags, params: Obj({ reference: Type.String({ pattern: '^RN-[0-9]{8}-[A-Z2-9]{6}$' }) }) },
      },
      async (r) => noticeByReference(p, s(r), (r.params as { reference: string }).reference),
    );
    app.post(
      '/networks',
      { config: { action: 'recipients.networks' }, schema: { tags, body: Network } },
      async (r, reply) => {
        await setRecipientNetwork(p, s(r), r.body as { recipientId: string; asn?: string; maxPerHour?: number }, r.ip);
        return reply.status(204).send();
      },
    );
    app.post(
      '/captures',
      { config: { action: 'recipients.capture' }, schema: { tags, body: Capture } },
      async (r, reply) => {
        const b = r.body as {
          url: string;
          profile?: 'desktop' | 'iphone' | 'android';
          screenshot?: boolean;
          requestId?: string;
          requestItemId?: string;
        };
        return reply.status(201).send(
          await captureSite(p, s(r), b.url, {
            ...(b.profile ? { profile: b.profile } : {}),
            ...(b.screenshot !== undefined ? { screenshot: b.screenshot } : {}),
            requestId: b.requestId ?? null,
            requestItemId: b.requestItemId ?? null,
            clientIp: r.ip,
          }),
        );
      },
    );
    app.get(
      '/captures',
      {
        config: { action: 'recipients.capture' },
        schema: {
          tags,
          querystring: Obj({
            requestId: Type.Optional(S(64)),
            cursor: Type.Optional(S(512)),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
          }),
        },
      },
      async (r) => {
        const f = r.query as { requestId?: string; cursor?: string; limit?: string };
        return listCaptures(p, s(r), { ...f, limit: Math.min(Number(f.limit ?? 50) || 50, 200) });
      },
    );
    app.get(
      '/captures/:id/files/:fileId',
      { config: { action: 'recipients.capture' }, schema: { tags, params: Obj({ id: S(64), fileId: S(64) }) } },
      async (r, reply) => {
        const prm = r.params as { id: string; fileId: string };
        const f = await captureFileForDownload(p, s(r), prm.id, prm.fileId, r.ip);
        return sendFileRef(reply, fileStoreFor(p), f.fileId, { download: f.html });
      },
    );
    app.get(
      '/captures/:id',
      { config: { action: 'recipients.capture' }, schema: { tags, params: Obj({ id: S(64) }) } },
      async (r) => captureDetail(p, s(r), (r.params as { id: string }).id),
    );
  },
};
