import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RenkeiModule } from '../../platform/module.ts';
import { AppError } from '../../platform/errors.ts';
import { SESSION_COOKIE } from '../../platform/http/authHook.ts';
import { SESSION_MAX_MS } from '../../platform/auth/sessions.ts';
import type { Platform } from '../../platform/context.ts';
import { abilitiesOf } from './abilities.ts';
import { oidcRoutes } from './oidc.ts';
import { loadProfile, findUserById } from './repo.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';
import { Type } from 'typebox';

function meta(request: FastifyRequest): service.RequestMeta {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}

function setCookie(p: Platform, reply: FastifyReply, value: string): void {
  reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: p.config.secureCookies,
    maxAge: Math.floor(SESSION_MAX_MS / 1000),
  });
}

function requireSession(request: FastifyRequest) {
  if (!request.authSession) throw new AppError('FORBIDDEN');
  return request.authSession;
}

const tags = ['auth'];

/** Sign-in, password change, TOTP enrolment and verification, the caller's own profile. */
export const authModule: RenkeiModule = {
  name: 'auth',
  prefix: 'auth',
  routes: async (app, { platform: p }) => {
    await app.register(oidcRoutes, { prefix: '/oidc', platform: p });
    app.post(
      '/login',
      {
        config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: { tags, body: schema.LoginBody, response: { 200: schema.LoginReply } },
      },
      async (request, reply) => {
        const out = await service.login(p, request.body as { login: string; password: string }, meta(request));
        setCookie(p, reply, out.cookie);
        return { stage: out.stage, csrfToken: out.csrfToken, user: await loadProfile(p.db.db, out.user) };
      },
    );

    app.get(
      '/me',
      { config: { incompleteLogin: true }, schema: { tags, response: { 200: schema.MeReply } } },
      async (request) => {
        const s = request.subject!;
        const user = await findUserById(p.db.db, s.userId);
        if (!user) throw new AppError('UNAUTHENTICATED');
        return {
          stage: (request.authSession?.stage ?? 'ok') as 'ok',
          csrfToken: request.authSession?.csrf_token ?? '',
          user: await loadProfile(p.db.db, user),
          abilities: abilitiesOf(p.policy, s, request.authSession?.stage === 'mfa_enrol'),
        };
      },
    );

    app.post(
      '/password',
      {
        config: { incompleteLogin: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags,
          body: schema.PasswordBody,
          response: { 200: Type.Object({ stage: schema.Stage, csrfToken: Type.String() }) },
        },
      },
      async (request, reply) => {
        const body = request.body as { currentPassword: string; newPassword: string };
        const out = await service.changePassword(p, requireSession(request), body, meta(request));
        setCookie(p, reply, out.cookie);
        return { stage: out.stage, csrfToken: out.csrfToken };
      },
    );

    app.post(
      '/totp/enrol/start',
      { config: { incompleteLogin: true }, schema: { tags, response: { 200: schema.EnrolStartReply } } },
      async (request) => service.startEnrolment(p, requireSession(request)),
    );

    app.post(
      '/totp/enrol/finish',
      {
        config: { incompleteLogin: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags,
          body: schema.CodeBody,
          response: {
            200: Type.Object({
              stage: schema.Stage,
              csrfToken: Type.String(),
              recoveryCodes: Type.Array(Type.String()),
            }),
          },
        },
      },
      async (request, reply) => {
        const { code } = request.body as { code: string };
        const out = await service.finishEnrolment(p, requireSession(request), code, meta(request));
        setCookie(p, reply, out.cookie);
        return { stage: out.stage, csrfToken: out.csrfToken, recoveryCodes: out.recoveryCodes };
      },
    );

    app.post(
      '/totp/verify',
      {
        config: { incompleteLogin: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags,
          body: schema.VerifyBody,
          response: { 200: Type.Object({ stage: schema.Stage, csrfToken: Type.String() }) },
        },
      },
      async (request, reply) => {
        const body = request.body as { code?: string; recoveryCode?: string };
        if (!body.code && !body.recoveryCode)
          throw new AppError('VALIDATION_FAILED', 'code or recoveryCode is required');
        const out = await service.verifySecondFactor(p, requireSession(request), body, meta(request));
        setCookie(p, reply, out.cookie);
        return { stage: out.stage, csrfToken: out.csrfToken };
      },
    );

    app.post('/logout', { config: { incompleteLogin: true }, schema: { tags } }, async (request, reply) => {
      await service.logout(p, requireSession(request), meta(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    });
  },
};
