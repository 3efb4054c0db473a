import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { taxiiServer } from './modules/sharing/taxii/server.ts';
import { modules } from './modules.ts';
import type { Platform } from './platform/context.ts';
import { AppError } from './platform/errors.ts';
import { SESSION_COOKIE, installAuth } from './platform/http/authHook.ts';
import { installErrorHandler } from './platform/http/errorHandler.ts';
import './platform/http/fastifyTypes.ts';
import { pickLocale } from './platform/http/locale.ts';
import { redactPaths } from './platform/logging.ts';

const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface BuildOptions {
  /** Serve the built web UI (off in API tests). */
  serveWeb?: boolean;
  logger?: boolean;
}

/** Builds the HTTP application; `server.ts` only listens. Tests use `app.inject`. */
export async function buildApp(platform: Platform, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: platform.config.logLevel, redact: redactPaths },
    bodyLimit: platform.config.bodyLimit,
    trustProxy: platform.config.trustProxy.length > 0 ? platform.config.trustProxy : false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('locale', 'ja');
  app.addHook('onRequest', async (request) => {
    request.locale = pickLocale(request.headers);
  });
  // U+0000 cannot be stored in PostgreSQL text (and is never meaningful in our fields): refused for every route
  // before validation, on both engines alike, instead of failing at the database.
  app.addHook('preValidation', async (request) => {
    if (containsNul(request.body)) throw new AppError('VALIDATION_FAILED', 'text may not contain U+0000');
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine writes its CSS variables into a <style> element at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: platform.config.secureCookies,
  });
  await app.register(cookie);
  // Callers without credentials are limited per address (their refusals are audited, so this also protects the
  // audit chain from floods); signed-in staff and machines are not limited here. Routes may set stricter limits.
  await app.register(rateLimit, {
    global: true,
    max: 600,
    timeWindow: '1 minute',
    allowList: (request) =>
      Boolean(request.headers.authorization || request.headers.cookie?.includes(`${SESSION_COOKIE}=`)),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Renkei (連携) API',
        version: '0.1.0',
        description: 'サイバー犯罪対策業務基盤の API。エラーは {"error":{"code","message"}} で返ります。',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'renkei_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });

  installAuth(app, platform);
  installErrorHandler(app, platform);

  app.get('/api/health', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  for (const m of modules) {
    if (m.rules) platform.policy.registerAll(m.rules);
    await app.register(m.routes, { prefix: `/api/${m.prefix}`, platform });
  }

  // TAXII 2.1 for partners' machines (its own media types and error resource; rules come with the sharing module).
  await app.register(taxiiServer, { prefix: '/taxii2', platform });

  const serveWeb = options.serveWeb !== false && existsSync(`${WEB_DIST}index.html`);
  if (serveWeb) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path.startsWith('/taxii2/') || !serveWeb || request.method !== 'GET') {
      // Callers without any credentials learn nothing about which API routes exist.
      const anonymous = !request.headers.authorization && !request.cookies?.[SESSION_COOKIE];
      if (anonymous && (path.startsWith('/api/') || path.startsWith('/taxii2/'))) throw new AppError('UNAUTHENTICATED');
      throw new AppError('ROUTE_NOT_FOUND');
    }
    // The single-page app answers every other GET; its router shows its own "not found".
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
  return app;
}

/** Whether a parsed JSON body holds U+0000 in any string (key or value), however deep. */
function containsNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (v === null || typeof v !== 'object' || depth > 64) return false;
  if (Array.isArray(v)) return v.some((x) => containsNul(x, depth + 1));
  // Only parsed JSON: streamed bodies (uploads, STIX bundles) and buffers are checked where they are read.
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || containsNul(x, depth + 1));
}
