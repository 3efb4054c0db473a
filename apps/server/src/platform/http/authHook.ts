import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loadSubject } from '../auth/loadSubject.ts';
import { endSession, findSession } from '../auth/sessions.ts';
import { findLiveToken } from '../auth/tokens.ts';
import type { Platform } from '../context.ts';
import { AppError } from '../errors.ts';

export const SESSION_COOKIE = 'renkei_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Paths whose routes must declare how they are protected. */
const PROTECTED_PREFIXES = ['/api/', '/taxii2/'];
/** The OpenAPI explorer (registered by @fastify/swagger-ui) is as public as the OpenAPI document itself. */
const PUBLIC_PREFIXES = ['/api/docs'];

/** Every protected route as registered, for the test that proves none escapes the policy engine. */
export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
  action: string | null;
  incompleteLogin: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function bearerOf(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (m) return m[1] ?? '';
  // TAXII 2.1 clients often only speak HTTP Basic: the API token is the password (the user name is not checked).
  const b = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(h);
  if (b && request.url.startsWith('/taxii2/')) {
    const decoded = Buffer.from(b[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : '';
  }
  return '';
}

/**
 * Authentication and route-level authorisation for every route, before the body is even read.
 * Deny by default: a route under /api/ that declares neither `public`, `action` nor `incompleteLogin`
 * refuses to register, so no new route can escape the policy engine.
 */
export function installAuth(app: FastifyInstance, platform: Platform): void {
  app.decorateRequest('subject', null);
  app.decorateRequest('authSession', null);
  app.decorateRequest('denialAudited', false);

  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    if (!PROTECTED_PREFIXES.some((p) => route.url.startsWith(p))) return;
    const c = route.config;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') {
        routes.push({
          method,
          url: route.url,
          public: c?.public === true,
          action: c?.action ?? null,
          incompleteLogin: c?.incompleteLogin === true,
        });
      }
    }
    if (!c?.public && !c?.action && !c?.incompleteLogin) {
      throw new Error(`route ${route.method} ${route.url} declares no policy (config.action or config.public)`);
    }
    if (c.action && !platform.policy.has(c.action)) {
      throw new Error(`route ${route.method} ${route.url} names unknown policy action ${c.action}`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const url = request.routeOptions.url;
    // The web UI's static files and the API explorer need no sign-in; everything else under /api/ does.
    if (!url || config.public || !PROTECTED_PREFIXES.some((p) => url.startsWith(p))) return;
    if (PUBLIC_PREFIXES.some((p) => url.startsWith(p))) return;
    const now = platform.clock.now();
    const db = platform.db.db;
    const bearer = bearerOf(request);
    if (bearer !== null) {
      const token = await findLiveToken(db, bearer, now);
      if (!token) throw new AppError('TOKEN_INVALID');
      request.subject = await loadSubject(db, token.user_id, 'token', token.id);
      if (!request.subject) throw new AppError('TOKEN_INVALID');
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('api_tokens')
          .set({ last_used_at: now.toISOString() })
          .where('id', '=', token.id)
          .execute();
        const s = request.subject!;
        await platform.audit.record(trx, {
          actor: { id: s.userId, login: s.login, unitId: s.unitId },
          action: 'auth.token.used',
          target: { type: 'api_token', id: token.id },
          result: 'success',
          clientIp: request.ip,
          details: { route: `${request.method} ${request.routeOptions.url}` },
        });
      });
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      const session = cookie ? await findSession(db, cookie, now) : null;
      if (!session) throw new AppError('UNAUTHENTICATED');
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !sameToken(sent, session.csrf_token)) throw new AppError('CSRF_TOKEN_INVALID');
      }
      request.subject = await loadSubject(db, session.user_id, 'session');
      if (!request.subject) {
        await endSession(db, session.id_hash);
        throw new AppError('UNAUTHENTICATED');
      }
      request.authSession = session;
      if (session.stage !== 'ok' && !config.incompleteLogin) {
        throw new AppError(session.stage === 'password_change' ? 'PASSWORD_CHANGE_REQUIRED' : 'MFA_REQUIRED');
      }
    }
    if (config.action && !platform.policy.can(request.subject, config.action)) throw new AppError('FORBIDDEN');
  });
}
