import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditActor } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { RenkeiModule } from '../../platform/module.ts';
import type { TlpLabel } from '../intel/vocab.ts';
import { PUBLIC, type Recipient } from './egress.ts';
import { type MarkingInput, setMarking } from './markings.ts';
import * as partners from './partners.ts';
import { exportPhishingList } from './phishing.ts';
import { sharingRules } from './policy.ts';
import * as schema from './schema.ts';
import { exportStixBundle, newReport, stixObjectsFor } from './stixExport.ts';
import { importStixBundle } from './stixImport.ts';
import './tables.ts';

const tags = ['sharing'];
const actorOf = (r: FastifyRequest): AuditActor => ({
  id: r.subject!.userId,
  login: r.subject!.login,
  unitId: r.subject!.unitId,
});

/** Streams text produced chunk by chunk into the reply. */
async function streamOut(
  reply: FastifyReply,
  type: string,
  filename: string,
  produce: (write: (c: string) => Promise<void>) => Promise<unknown>,
) {
  reply.raw.writeHead(200, {
    'content-type': type,
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  });
  await produce(
    (c) =>
      new Promise<void>((resolve) => {
        if (reply.raw.write(c)) resolve();
        else reply.raw.once('drain', resolve);
      }),
  );
  reply.raw.end();
  return reply;
}

/**
 * Sharing (issue 9): partners and their machine tokens, previews and exports through the one egress policy
 * (STIX 2.1, phishing URL lists), STIX imports, release markings. Every push and pull is audited.
 */
export const sharingModule: RenkeiModule = {
  name: 'sharing',
  prefix: 'sharing',
  rules: sharingRules,
  routes: async (app, { platform: p }) => {
    const recipientOf = async (id: string | undefined): Promise<Recipient> => {
      if (!id) return PUBLIC;
      const row = await partners.findPartner(p.db.db, id);
      if (!row) throw new AppError('NOT_FOUND', 'no such partner');
      return { kind: 'partner', partner: partners.partnerFacts(row) };
    };

    app.get('/partners', { config: { action: 'sharing.read' }, schema: { tags } }, async () => ({
      items: await partners.listPartners(p.db.db),
    }));
    app.post(
      '/partners',
      { config: { action: 'sharing.manage' }, schema: { tags, body: schema.PartnerBody } },
      async (request, reply) => {
        reply.code(201);
        return partners.createPartner(p, actorOf(request), request.body as partners.PartnerInput, request.ip);
      },
    );
    app.get(
      '/partners/:id',
      { config: { action: 'sharing.read' }, schema: { tags, params: schema.IdParams } },
      async (request) => {
        const row = await partners.findPartner(p.db.db, (request.params as { id: string }).id);
        if (!row) throw new AppError('NOT_FOUND');
        return partners.presentPartner(row);
      },
    );
    app.patch(
      '/partners/:id',
      { config: { action: 'sharing.manage' }, schema: { tags, params: schema.IdParams, body: schema.PartnerPatch } },
      async (request) =>
        partners.updatePartner(
          p,
          actorOf(request),
          (request.params as { id: string }).id,
          request.body as never,
          request.ip,
        ),
    );
    app.post(
      '/partners/:id/tokens',
      { config: { action: 'sharing.tokens' }, schema: { tags, params: schema.IdParams, body: schema.TokenBody } },
      async (request, reply) => {
        const body = request.body as { name: string; expiresInDays?: number | null };
        reply.code(201);
        return partners.createPartnerToken(
          p,
          actorOf(request),
          (request.params as { id: string }).id,
          { name: body.name, expiresInDays: body.expiresInDays === undefined ? 90 : body.expiresInDays },
          request.ip,
        );
      },
    );

    /** What an export would send and withhold, and why (nothing leaves; not audited as a push). */
    app.get(
      '/preview',
      { config: { action: 'sharing.read' }, schema: { tags, querystring: schema.ExportQuery } },
      async (request) => {
        const q = request.query as { partner?: string; since?: string };
        const to = await recipientOf(q.partner);
        const report = newReport();
        for await (const _o of stixObjectsFor(p, to, { since: q.since }, report)) {
          // counted by the generator
        }
        return {
          recipient: to.kind === 'partner' ? { id: to.partner.id, name: to.partner.name } : null,
          sent: report.sent,
          withheld: report.withheld,
          withheldItems: report.withheldItems,
          objects: report.objects,
        };
      },
    );

    app.get(
      '/export/stix',
      { config: { action: 'sharing.export' }, schema: { tags, querystring: schema.ExportQuery } },
      async (request, reply) => {
        const q = request.query as { partner?: string; since?: string };
        const to = await recipientOf(q.partner);
        return streamOut(reply, 'application/stix+json;version=2.1', 'renkei-stix-bundle.json', (write) =>
          exportStixBundle(p, actorOf(request), to, { since: q.since }, write, request.ip),
        );
      },
    );

    app.get(
      '/export/phishing-urls',
      { config: { action: 'sharing.export' }, schema: { tags, querystring: schema.ListQuery } },
      async (request, reply) => {
        const q = request.query as { partner?: string; since?: string; format?: 'txt' | 'csv' };
        const to = await recipientOf(q.partner);
        const format = q.format ?? 'txt';
        return streamOut(
          reply,
          format === 'csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8',
          `phishing-urls.${format}`,
          (write) => exportPhishingList(p, actorOf(request), to, { since: q.since, format }, write, request.ip),
        );
      },
    );

    app.post(
      '/markings',
      { config: { action: 'sharing.release' }, schema: { tags, body: schema.MarkingBody } },
      async (request) => setMarking(p, actorOf(request), request.body as MarkingInput, request.ip),
    );

    // Uploads: the body is the bundle itself, read as a stream (never held in memory).
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', (_request, _payload, done) => done(null));
      raw.post(
        '/import/stix',
        { config: { action: 'sharing.import' }, schema: { tags, querystring: schema.ImportQuery } },
        async (request) => {
          const q = request.query as { partner?: string; name?: string; tlp?: TlpLabel };
          if (q.partner && !(await partners.findPartner(p.db.db, q.partner))) throw new AppError('NOT_FOUND');
          return importStixBundle(
            p,
            actorOf(request),
            request.raw,
            { name: q.name ?? 'upload', partnerId: q.partner ?? null, defaultTlp: q.tlp },
            request.ip,
          );
        },
      );
    });
  },
};
