import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { SESSION_MAX_MS } from '../../platform/auth/sessions.ts';
import type { Platform } from '../../platform/context.ts';
import { SESSION_COOKIE } from '../../platform/http/authHook.ts';
import { OIDC_LOGIN_MS, OidcLoginFailure, finishLogin, recordFailure, startLogin } from './oidcService.ts';
import type { RequestMeta } from './service.ts';

/** Holds the sealed state, PKCE verifier and nonce between /start and /callback. */
export const OIDC_STATE_COOKIE = 'renkei_oidc';
const STATE_PATH = '/api/auth/oidc';
/** Where the browser lands after a refused single sign-on (the web login page shows a message). */
export const OIDC_FAILED_PATH = '/login?sso=failed';

const tags = ['auth'];

function meta(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}

/**
 * Single sign-on with OpenID Connect (authorisation code flow with PKCE, state and nonce), registered
 * under /api/auth/oidc by the auth module. Accounts are never created here.
 */
export const oidcRoutes: FastifyPluginAsync<{ platform: Platform }> = async (app, { platform: p }) => {
  app.get(
    '/start',
    { config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { tags } },
    async (_request, reply) => {
      const { url, sealedState } = await startLogin(p);
      // Lax, not strict: the identity provider sends the browser back with a cross-site top-level GET.
      reply.setCookie(OIDC_STATE_COOKIE, sealedState, {
        path: STATE_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: p.config.secureCookies,
        maxAge: Math.floor(OIDC_LOGIN_MS / 1000),
      });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/callback',
    { config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { tags } },
    async (request, reply) => {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      reply.clearCookie(OIDC_STATE_COOKIE, { path: STATE_PATH });
      try {
        const out = await finishLogin(p, query, request.cookies[OIDC_STATE_COOKIE], meta(request));
        reply.setCookie(SESSION_COOKIE, out.cookie, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: p.config.secureCookies,
          maxAge: Math.floor(SESSION_MAX_MS / 1000),
        });
        return reply.redirect('/', 302);
      } catch (err) {
        if (!(err instanceof OidcLoginFailure)) throw err;
        await recordFailure(p, err, meta(request));
        return reply.redirect(OIDC_FAILED_PATH, 302);
      }
    },
  );
};
