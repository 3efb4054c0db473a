/**
 * The TAXII 2.1 server at /taxii2/ (OASIS TAXII 2.1, docs/taxii-musts.md lists each MUST with its test). Callers
 * are partners' machine accounts (Bearer token, or HTTP Basic with the token as the password); every object served
 * is what the egress policy lets that partner receive. Errors use the TAXII error message resource.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { validateStixObject } from '@renkei/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../../platform/context.ts';
import { AppError, type ErrorCode, ERRORS, errorMessage } from '../../../platform/errors.ts';
import { auditDenial } from '../../../platform/http/denial.ts';
import type { EgressPartner } from '../egress.ts';
import { partnerFacts, partnerForUser } from '../partners.ts';
import { importStixBundle } from '../stixImport.ts';
import type { StixObject } from '../stixModel.ts';
import { DEFAULT_API_ROOT, findCollection, grantOf, storedTlpOf } from './collections.ts';
import { type ObjectRow, POSTED, addObjects, dateAddedHeaders, parseObjectQuery, queryObjects } from './objects.ts';

export const TAXII_MEDIA = 'application/taxii+json;version=2.1';
export const STIX_MEDIA = 'application/stix+json;version=2.1';
export const MAX_CONTENT_LENGTH = 10 * 1024 * 1024;
const access = { config: { action: 'taxii.access' } };

/** True when the header names TAXII 2.1 JSON (with `version=2.1`, or no version: the latest, which is 2.1). */
function isTaxiiMedia(h: string | undefined): boolean {
  if (!h) return false;
  return h.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    if (type !== 'application/taxii+json') return false;
    const version = params.find((x) => x.startsWith('version='));
    return !version || version === 'version=2.1';
  });
}

function send(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}) {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  // A Buffer, so Fastify sends the media type exactly as TAXII names it (it would re-format a string's).
  return reply
    .status(status)
    .header('content-type', TAXII_MEDIA)
    .header('cache-control', 'no-store')
    .send(Buffer.from(body instanceof RawJson ? body.text : JSON.stringify(body)));
}

/** JSON text assembled by hand (an envelope of stored object bodies), sent as it is. */
class RawJson {
  constructor(readonly text: string) {}
}

const partnerOfRequest = new WeakMap<FastifyRequest, EgressPartner>();
const partnerOf = (r: FastifyRequest): EgressPartner => {
  const p = partnerOfRequest.get(r);
  if (!p) throw new AppError('FORBIDDEN');
  return p;
};

export async function taxiiServer(app: FastifyInstance, { platform: p }: { platform: Platform }): Promise<void> {
  const db = p.db.db;

  app.addContentTypeParser(
    ['application/taxii+json', 'application/stix+json'],
    { parseAs: 'string', bodyLimit: MAX_CONTENT_LENGTH },
    (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('MALFORMED_JSON'), undefined);
      }
    },
  );

  app.setErrorHandler(async (err, request, reply) => {
    let code: ErrorCode = 'INTERNAL';
    if (err instanceof AppError) code = err.code;
    else {
      const fe = err as { code?: string; statusCode?: number; validation?: unknown };
      if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') code = 'PAYLOAD_TOO_LARGE';
      else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') code = 'UNSUPPORTED_MEDIA_TYPE';
      else if (fe.validation || fe.statusCode === 400) code = 'VALIDATION_FAILED';
      else request.log.error({ err }, 'TAXII request failed');
    }
    const status = ERRORS[code].status;
    if ((status === 401 || status === 403) && !request.denialAudited) await auditDenial(p, request, code);
    if (status === 401) reply.header('www-authenticate', 'Basic realm="Renkei TAXII", Bearer');
    const detail = err instanceof AppError && err.message !== ERRORS[code].en ? err.message : undefined;
    return send(reply, status, {
      title: errorMessage(code, 'en'),
      description: detail ?? errorMessage(code, request.locale ?? 'ja'),
      error_code: code,
      http_status: String(status),
    });
  });
  app.setNotFoundHandler(async (request) => {
    if (!request.headers.authorization) throw new AppError('UNAUTHENTICATED');
    throw new AppError('NOT_FOUND');
  });

  // After authentication (the platform's onRequest hook): the caller must be an active partner, and ask for TAXII.
  app.addHook('preHandler', async (request) => {
    const row = request.subject ? await partnerForUser(db, request.subject.userId) : undefined;
    if (!row || row.disabled_at) throw new AppError('FORBIDDEN', 'TAXII is for partner accounts');
    partnerOfRequest.set(request, partnerFacts(row));
    if (!isTaxiiMedia(request.headers.accept)) throw new AppError('NOT_ACCEPTABLE', `use Accept: ${TAXII_MEDIA}`);
  });

  const roots = async (): Promise<string[]> => {
    const rows = await db.selectFrom('taxii_collections').select('api_root').distinct().execute();
    return [...new Set([DEFAULT_API_ROOT, ...rows.map((r) => r.api_root)])].sort();
  };
  const base = () => `${p.config.baseUrl.replace(/\/$/, '')}/taxii2`;
  const requireRoot = async (root: string) => {
    if (!(await roots()).includes(root)) throw new AppError('NOT_FOUND', 'no such API root');
  };
  /** The collection in this root that the partner has some grant on (else 404: it does not exist for them). */
  const collectionFor = async (request: FastifyRequest, root: string, id: string) => {
    const c = await findCollection(db, id);
    const g = c && c.api_root === root ? await grantOf(db, c.id, partnerOf(request).id) : null;
    if (!c || !g) {
      await requireRoot(root); // 'no such API root' first, as before; found, the root exists (it is c.api_root)
      throw new AppError('NOT_FOUND', 'no such collection');
    }
    return { c, g };
  };
  const collectionView = (
    c: { id: string; title: string; description: string; alias: string | null },
    g: { canRead: boolean; canWrite: boolean },
  ) => ({
    id: c.id,
    title: c.title,
    ...(c.description ? { description: c.description } : {}),
    ...(c.alias ? { alias: c.alias } : {}),
    can_read: g.canRead,
    can_write: g.canWrite,
    media_types: [STIX_MEDIA],
  });
  const audited = async (
    request: FastifyRequest,
    action: string,
    targetId: string,
    details: Record<string, string | number | boolean | null>,
  ) => {
    const s = request.subject!;
    await db.transaction().execute((trx) =>
      p.audit.record(trx, {
        actor: { id: s.userId, login: s.login, unitId: s.unitId },
        action,
        target: { type: 'taxii_collection', id: targetId },
        result: 'success',
        clientIp: request.ip,
        details: { partnerId: partnerOf(request).id, ...details },
      }),
    );
  };

  // Only `/taxii2/` (with the slash): a prefix route '/' would also register `/taxii2`, outside the auth prefixes.
  app.get('/', { ...access, prefixTrailingSlash: 'slash' }, async (_request, reply) =>
    send(reply, 200, {
      title: 'Renkei TAXII 2.1',
      description: 'サイバー脅威情報の共有（TLP 2.0・格付に基づき提供先ごとに制限）',
      default: `${base()}/${DEFAULT_API_ROOT}/`,
      api_roots: (await roots()).map((r) => `${base()}/${r}/`),
    }),
  );

  app.get<{ Params: { root: string } }>('/:root/', access, async (request, reply) => {
    await requireRoot(request.params.root);
    return send(reply, 200, {
      title: `Renkei API root ${request.params.root}`,
      versions: [TAXII_MEDIA],
      max_content_length: MAX_CONTENT_LENGTH,
    });
  });

  app.get<{ Params: { root: string; id: string } }>('/:root/status/:id/', access, async (request, reply) => {
    await requireRoot(request.params.root);
    const s = await db
      .selectFrom('taxii_status')
      .selectAll()
      .where('id', '=', request.params.id)
      .where('api_root', '=', request.params.root)
      .where('partner_id', '=', partnerOf(request).id)
      .executeTakeFirst();
    if (!s) throw new AppError('NOT_FOUND', 'no such status');
    return send(reply, 200, statusView(s));
  });

  app.get<{ Params: { root: string } }>('/:root/collections/', access, async (request, reply) => {
    await requireRoot(request.params.root);
    const rows = await db
      .selectFrom('taxii_collections as c')
      .innerJoin('taxii_grants as g', 'g.collection_id', 'c.id')
      .select(['c.id', 'c.title', 'c.description', 'c.alias', 'g.can_read', 'g.can_write'])
      .where('c.api_root', '=', request.params.root)
      .where('g.partner_id', '=', partnerOf(request).id)
      .orderBy('c.created_at')
      .execute();
    const collections = rows.map((r) => collectionView(r, { canRead: r.can_read === 1, canWrite: r.can_write === 1 }));
    return send(reply, 200, collections.length ? { collections } : {});
  });

  app.get<{ Params: { root: string; cid: string } }>('/:root/collections/:cid/', access, async (request, reply) => {
    const { c, g } = await collectionFor(request, request.params.root, request.params.cid);
    return send(reply, 200, collectionView(c, g));
  });

  const readable = async (request: FastifyRequest, root: string, cid: string) => {
    const found = await collectionFor(request, root, cid);
    if (!found.g.canRead) throw new AppError('FORBIDDEN', 'no read access to this collection');
    return found;
  };

  type ObjectsRoute = { Params: { root: string; cid: string; oid?: string }; Querystring: Record<string, unknown> };
  // The stored bodies are JSON we wrote ourselves (validated STIX objects): they are pasted, not re-parsed.
  const envelope = (rows: ObjectRow[], more: boolean, next: string | null) => {
    const head = `{"more":${more}${next ? `,"next":${JSON.stringify(next)}` : ''}`;
    return new RawJson(rows.length ? `${head},"objects":[${rows.map((r) => r.body).join(',')}]}` : `${head}}`);
  };

  app.get<ObjectsRoute>('/:root/collections/:cid/objects/', access, async (request, reply) => {
    const { c } = await readable(request, request.params.root, request.params.cid);
    const page = await queryObjects(db, c.id, partnerOf(request), parseObjectQuery(request.query));
    await audited(request, 'sharing.export.taxii.pull', c.id, { objects: page.rows.length });
    return send(reply, 200, envelope(page.rows, page.more, page.next), dateAddedHeaders(page.rows));
  });

  app.get<ObjectsRoute>('/:root/collections/:cid/manifest/', access, async (request, reply) => {
    const { c } = await readable(request, request.params.root, request.params.cid);
    const page = await queryObjects(db, c.id, partnerOf(request), parseObjectQuery(request.query));
    const objects = page.rows.map((r) => ({
      id: r.stix_id,
      date_added: r.date_added,
      version: r.version,
      media_type: STIX_MEDIA,
    }));
    return send(
      reply,
      200,
      { more: page.more, ...(page.next ? { next: page.next } : {}), ...(objects.length ? { objects } : {}) },
      dateAddedHeaders(page.rows),
    );
  });

  app.get<ObjectsRoute>('/:root/collections/:cid/objects/:oid/', access, async (request, reply) => {
    const { c } = await readable(request, request.params.root, request.params.cid);
    const q = parseObjectQuery(request.query);
    const page = await queryObjects(db, c.id, partnerOf(request), q, request.params.oid);
    if (page.rows.length === 0 && q.nextUs === null && q.addedAfterUs === null)
      throw new AppError('NOT_FOUND', 'no such object');
    await audited(request, 'sharing.export.taxii.pull', c.id, { objects: page.rows.length });
    return send(reply, 200, envelope(page.rows, page.more, page.next), dateAddedHeaders(page.rows));
  });

  app.get<ObjectsRoute>('/:root/collections/:cid/objects/:oid/versions/', access, async (request, reply) => {
    const { c } = await readable(request, request.params.root, request.params.cid);
    const q = { ...parseObjectQuery(request.query), versions: { first: false, last: false, all: true, at: [] } };
    const page = await queryObjects(db, c.id, partnerOf(request), q, request.params.oid);
    if (page.rows.length === 0 && q.nextUs === null && q.addedAfterUs === null)
      throw new AppError('NOT_FOUND', 'no such object');
    const versions = [...page.rows].sort((a, b) => Number(a.version_us) - Number(b.version_us)).map((r) => r.version);
    return send(
      reply,
      200,
      { more: page.more, ...(page.next ? { next: page.next } : {}), ...(versions.length ? { versions } : {}) },
      dateAddedHeaders(page.rows),
    );
  });

  app.post<ObjectsRoute & { Body: unknown }>(
    '/:root/collections/:cid/objects/',
    { ...access, bodyLimit: MAX_CONTENT_LENGTH },
    async (request, reply) => {
      const found = await collectionFor(request, request.params.root, request.params.cid);
      if (!found.g.canWrite) throw new AppError('FORBIDDEN', 'no write access to this collection');
      if (!isTaxiiMedia(request.headers['content-type'])) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', `use Content-Type: ${TAXII_MEDIA}`);
      }
      const body = request.body as { objects?: unknown } | null;
      if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray(body.objects)) {
        throw new AppError('VALIDATION_FAILED', 'the body must be a TAXII envelope with an objects array');
      }
      return acceptEnvelope(p, request, reply, found.c.id, request.params.root, body.objects, partnerOf(request));
    },
  );
}

type StatusDetail = { id: string; version: string; message?: string };

function statusView(s: {
  id: string;
  status: string;
  request_timestamp: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  details: string;
}) {
  const d = JSON.parse(s.details) as { successes: StatusDetail[]; failures: StatusDetail[]; pendings: StatusDetail[] };
  return {
    id: s.id,
    status: s.status,
    request_timestamp: s.request_timestamp,
    total_count: s.total_count,
    success_count: s.success_count,
    ...(d.successes.length ? { successes: d.successes } : {}),
    failure_count: s.failure_count,
    ...(d.failures.length ? { failures: d.failures } : {}),
    pending_count: s.pending_count,
    ...(d.pendings.length ? { pendings: d.pendings } : {}),
  };
}

/**
 * Stores the valid objects of a posted envelope in the collection (for its readers, checked by the egress policy
 * when served), imports them into our model through the STIX import, and answers 202 with a complete status.
 * Objects of another STIX version only: 422.
 */
async function acceptEnvelope(
  p: Platform,
  request: FastifyRequest,
  reply: FastifyReply,
  collectionId: string,
  root: string,
  objects: unknown[],
  partner: EgressPartner,
) {
  const now = p.clock.now();
  const successes: StatusDetail[] = [];
  const failures: StatusDetail[] = [];
  const good: StixObject[] = [];
  let otherVersion = 0;
  for (const o of objects) {
    const obj = (o && typeof o === 'object' ? o : {}) as StixObject;
    const id = typeof obj.id === 'string' ? obj.id : '';
    const version =
      typeof obj.modified === 'string' ? obj.modified : typeof obj.created === 'string' ? obj.created : '';
    if (typeof obj.spec_version === 'string' && obj.spec_version !== '2.1') otherVersion++;
    const issues = validateStixObject(obj);
    if (issues.length) failures.push({ id, version, message: issues[0]!.message.slice(0, 500) });
    else {
      good.push(obj);
      successes.push({ id, version });
    }
  }
  if (objects.length > 0 && otherVersion === objects.length) {
    throw new AppError('UNPROCESSABLE', 'only STIX 2.1 objects are accepted');
  }
  const s = request.subject!;
  const statusId = randomUUID();
  await p.db.db.transaction().execute(async (trx) => {
    await addObjects(
      trx,
      collectionId,
      good.map((object) => ({
        object,
        tlp: storedTlpOf(object),
        confidentiality: 1,
        audience: POSTED,
        postedBy: partner.id,
      })),
      now.getTime(),
    );
    await trx
      .insertInto('taxii_status')
      .values({
        id: statusId,
        api_root: root,
        partner_id: partner.id,
        status: 'complete',
        request_timestamp: now.toISOString(),
        total_count: objects.length,
        success_count: successes.length,
        failure_count: failures.length,
        pending_count: 0,
        details: JSON.stringify({ successes, failures, pendings: [] }),
      })
      .execute();
    await p.audit.record(trx, {
      actor: { id: s.userId, login: s.login, unitId: s.unitId },
      action: 'sharing.import.taxii',
      target: { type: 'taxii_collection', id: collectionId },
      result: 'success',
      clientIp: request.ip,
      details: { partnerId: partner.id, total: objects.length, success: successes.length, failure: failures.length },
    });
  });
  if (good.length) {
    // One copy of each (id, version) for the import (an envelope may repeat shared markings and identities).
    const unique = [...new Map(good.map((o) => [`${o.id}|${String(o.modified ?? o.created ?? '')}`, o])).values()];
    const bundle = JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: unique });
    try {
      await importStixBundle(
        p,
        null,
        Readable.from([bundle]),
        { name: `taxii:${partner.name}`, partnerId: partner.id },
        request.ip,
      );
    } catch (err) {
      // Kept in the collection even when our model cannot take them (e.g. references to objects we never saw).
      request.log.warn({ err, statusId }, 'posted TAXII objects not imported into intel');
    }
  }
  const row = await p.db.db.selectFrom('taxii_status').selectAll().where('id', '=', statusId).executeTakeFirstOrThrow();
  return send(reply, 202, statusView(row));
}
