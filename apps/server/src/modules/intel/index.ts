import type { FastifyRequest } from 'fastify';
import { pageLimit } from '../../platform/db/cursor.ts';
import type { RenkeiModule } from '../../platform/module.ts';
import './builtinPlaces.ts';
import * as entities from './entities.ts';
import { graphOf } from './graph.ts';
import { type ImportFormat, importAsnTable, importIndicators } from './importer.ts';
import { intelRules } from './policy.ts';
import * as schema from './schema.ts';
import * as annotations from './annotations.ts';
import * as svc from './service.ts';
import * as warningLists from './warningLists.ts';
import type { OccurrenceRole, TlpLabel } from './vocab.ts';

export { registerPlaceType, type PlaceTypeDef } from './places.ts';
export { mayShare, sharingBasis } from './vocab.ts';
export { promoteClusterToCampaign } from './entities.ts';
export { recordObservables } from './ingest.ts';

const tags = ['observables'];
/** Uploads stream through the importer; this bounds one upload, not memory (memory is bounded by the batch size). */
const MAX_UPLOAD = 2 * 1024 ** 3;

const subjectOf = (r: FastifyRequest) => r.subject!;

/**
 * Observables and correlation (issue 5): look-up, lists, sightings and linked places as far as the viewer may see,
 * roles, tags, warning lists, bulk import, campaigns/actors/families and the graph API.
 */
export const intelModule: RenkeiModule = {
  name: 'intel',
  prefix: 'observables',
  rules: intelRules,
  routes: async (app, { platform: p }) => {
    app.get(
      '/lookup',
      { config: { action: 'intel.read' }, schema: { tags, querystring: schema.LookupQuery } },
      async (request) => {
        const q = request.query as { value: string; type?: string };
        return svc.lookup(p, subjectOf(request), q.value, q.type, request.ip);
      },
    );

    app.get(
      '/',
      { config: { action: 'intel.read' }, schema: { tags, querystring: schema.ListQuery } },
      async (request) => {
        const q = request.query as { type?: string; tag?: string; q?: string; cursor?: string; limit?: string };
        return svc.listObservables(p, subjectOf(request), { ...q, limit: pageLimit(q.limit, 50, 200) });
      },
    );

    app.get('/vocabulary', { config: { action: 'intel.read' }, schema: { tags } }, async () => svc.vocabulary());
    app.get('/sharing-rules', { config: { action: 'intel.read' }, schema: { tags } }, async () => ({
      items: await svc.sharingRules(p),
    }));

    app.get('/warning-lists', { config: { action: 'intel.read' }, schema: { tags } }, async () => ({
      items: await warningLists.listWarningLists(p),
    }));
    app.get(
      '/warning-lists/:id/entries',
      { config: { action: 'intel.read' }, schema: { tags, params: schema.IdParams, querystring: schema.PageQuery } },
      async (request) => {
        const { id } = request.params as { id: string };
        const q = request.query as { cursor?: string; limit?: string };
        return warningLists.listWarningEntries(p, id, q.cursor, pageLimit(q.limit, 100, 1000));
      },
    );
    app.post(
      '/warning-lists',
      { config: { action: 'intel.manage' }, schema: { tags, body: schema.WarningListBody } },
      async (request, reply) => {
        const body = request.body as { code: string; name: string; description?: string };
        reply.code(201);
        return warningLists.createWarningList(p, subjectOf(request), body, request.ip);
      },
    );
    app.patch(
      '/warning-lists/:id',
      { config: { action: 'intel.manage' }, schema: { tags, params: schema.IdParams, body: schema.WarningListPatch } },
      async (request) => {
        const { id } = request.params as { id: string };
        return warningLists.changeWarningList(p, subjectOf(request), id, request.body as never, request.ip);
      },
    );

    // Campaigns, threat actors, malware and ransomware families.
    app.get(
      '/entities',
      { config: { action: 'intel.read' }, schema: { tags, querystring: schema.EntityQuery } },
      async (request) => {
        const q = request.query as { kind?: string; cursor?: string; limit?: string };
        return entities.listEntities(p, { ...q, limit: pageLimit(q.limit, 50, 200) });
      },
    );
    app.post(
      '/entities',
      { config: { action: 'intel.write' }, schema: { tags, body: schema.EntityBody } },
      async (request, reply) => {
        reply.code(201);
        return entities.createEntity(p, subjectOf(request), request.body as entities.EntityInput, request.ip);
      },
    );
    app.get(
      '/entities/:id',
      { config: { action: 'intel.read' }, schema: { tags, params: schema.IdParams } },
      async (request) => entities.getEntity(p, subjectOf(request), (request.params as { id: string }).id),
    );
    app.patch(
      '/entities/:id',
      { config: { action: 'intel.write' }, schema: { tags, params: schema.IdParams, body: schema.EntityPatch } },
      async (request) =>
        entities.updateEntity(
          p,
          subjectOf(request),
          (request.params as { id: string }).id,
          request.body as never,
          request.ip,
        ),
    );
    app.post(
      '/entities/:id/places',
      { config: { action: 'intel.write' }, schema: { tags, params: schema.IdParams, body: schema.LinkPlacesBody } },
      async (request) => {
        const body = request.body as { places: { type: string; id: string; reason: string }[] };
        return entities.linkPlaces(
          p,
          subjectOf(request),
          (request.params as { id: string }).id,
          body.places,
          request.ip,
        );
      },
    );
    app.post(
      '/entities/:id/observables',
      {
        config: { action: 'intel.write' },
        schema: { tags, params: schema.IdParams, body: schema.LinkObservablesBody },
      },
      async (request) => {
        const body = request.body as { observables: { observableId: string; reason: string; role?: OccurrenceRole }[] };
        return entities.linkObservables(
          p,
          subjectOf(request),
          (request.params as { id: string }).id,
          body.observables,
          request.ip,
        );
      },
    );

    app.get('/:id', { config: { action: 'intel.read' }, schema: { tags, params: schema.IdParams } }, async (request) =>
      svc.getObservable(p, subjectOf(request), (request.params as { id: string }).id, request.ip),
    );
    app.get(
      '/:id/places',
      { config: { action: 'intel.read' }, schema: { tags, params: schema.IdParams, querystring: schema.PlacesQuery } },
      async (request) => {
        const q = request.query as { type?: string; cursor?: string; limit?: string };
        return svc.observablePlaces(
          p,
          subjectOf(request),
          (request.params as { id: string }).id,
          { cursor: q.cursor, placeType: q.type, limit: pageLimit(q.limit, 50, 200) },
          request.ip,
        );
      },
    );
    app.get(
      '/:id/graph',
      { config: { action: 'intel.read' }, schema: { tags, params: schema.IdParams, querystring: schema.GraphQuery } },
      async (request) => {
        const q = request.query as { depth?: string; types?: string };
        return graphOf(
          p,
          subjectOf(request),
          (request.params as { id: string }).id,
          Number(q.depth ?? '1'),
          q.types?.split(','),
        );
      },
    );
    app.patch(
      '/:id/role',
      { config: { action: 'intel.write' }, schema: { tags, params: schema.IdParams, body: schema.RoleBody } },
      async (request) =>
        annotations.setRole(
          p,
          subjectOf(request),
          (request.params as { id: string }).id,
          request.body as never,
          request.ip,
        ),
    );
    app.post(
      '/:id/tags',
      { config: { action: 'intel.write' }, schema: { tags, params: schema.IdParams, body: schema.TagsBody } },
      async (request) =>
        annotations.changeTags(
          p,
          subjectOf(request),
          (request.params as { id: string }).id,
          request.body as never,
          request.ip,
        ),
    );

    // Uploads: the body is the file itself (txt, CSV, JSON lines, optionally gzip), read as a stream.
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', (_request, _payload, done) => done(null));
      raw.post(
        '/import',
        { config: { action: 'intel.import' }, schema: { tags, querystring: schema.ImportQuery } },
        async (request) => {
          const q = request.query as {
            source: string;
            format?: ImportFormat;
            tlp?: TlpLabel;
            valueColumn?: string;
            typeColumn?: string;
          };
          const s = subjectOf(request);
          return importIndicators(p, svc.actorOf(s), request.raw, {
            source: q.source,
            format: q.format ?? 'txt',
            tlp: q.tlp,
            columns: {
              ...(q.valueColumn ? { value: q.valueColumn } : {}),
              ...(q.typeColumn ? { type: q.typeColumn } : {}),
            },
            clientIp: request.ip,
            maxBytes: MAX_UPLOAD,
          });
        },
      );
      raw.post('/asn-prefixes', { config: { action: 'intel.asn' }, schema: { tags } }, async (request) =>
        importAsnTable(p, svc.actorOf(subjectOf(request)), request.raw, { clientIp: request.ip }),
      );
    });
  },
};
