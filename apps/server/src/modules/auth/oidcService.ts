import * as client from 'openid-client';
import type { AuditActor } from '../../platform/audit/audit.ts';
import { createSession } from '../../platform/auth/sessions.ts';
import type { OidcConfig } from '../../platform/config.ts';
import type { Platform } from '../../platform/context.ts';
import type { UserTable } from '../../platform/db/types.ts';
import { AppError } from '../../platform/errors.ts';
import type { RequestMeta } from './service.ts';

declare module '../../platform/db/types.ts' {
  interface UserTable {
    /** `sub` of the account at the configured OIDC issuer (migration 0002); null until bound. */
    oidc_subject: string | null;
  }
}

/** How long a started sign-in may take at the identity provider. */
export const OIDC_LOGIN_MS = 10 * 60_000;
const STATE_CONTEXT = 'oidc-login';
const SCOPE = 'openid profile';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why a callback did not sign anyone in (audited; the browser only learns that it failed). */
export class OidcLoginFailure extends Error {
  constructor(
    readonly reason: string,
    readonly user: UserTable | null = null,
  ) {
    super(reason);
    this.name = 'OidcLoginFailure';
  }
}

interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  /** Expiry, epoch ms by the platform clock. */
  exp: number;
}

const configs = new WeakMap<Platform, { key: string; config: Promise<client.Configuration> }>();

export function oidcSettings(p: Platform): OidcConfig {
  const o = p.config.oidc;
  if (!o) throw new AppError('NOT_FOUND', 'single sign-on is not configured');
  return o;
}

/**
 * The discovered client configuration, cached per platform. Plain http is accepted only for an issuer
 * on the loopback interface (a test or development identity provider); everything else needs https.
 */
function clientConfig(p: Platform): Promise<client.Configuration> {
  const o = oidcSettings(p);
  const key = `${o.issuer}|${o.clientId}`;
  const cached = configs.get(p);
  if (cached?.key === key) return cached.config;
  const issuer = new URL(o.issuer);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !LOOPBACK.has(issuer.hostname)) {
    throw new Error('RENKEI_OIDC_ISSUER must use https (plain http only on loopback)');
  }
  const config = client.discovery(
    issuer,
    o.clientId,
    o.clientSecret,
    undefined,
    insecure ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  // A failed discovery (identity provider down) is retried on the next sign-in.
  config.catch(() => {
    if (configs.get(p)?.config === config) configs.delete(p);
  });
  configs.set(p, { key, config });
  return config;
}

/** Step 1: the identity provider's authorisation URL, and the sealed state (PKCE, state, nonce) for a cookie. */
export async function startLogin(p: Platform): Promise<{ url: string; sealedState: string }> {
  const o = oidcSettings(p);
  const config = await clientConfig(p);
  const pending: PendingLogin = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    exp: p.clock.now().getTime() + OIDC_LOGIN_MS,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: o.redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url: url.href, sealedState: p.secrets.seal(JSON.stringify(pending), STATE_CONTEXT) };
}

function openState(p: Platform, sealed: string | undefined): PendingLogin {
  if (!sealed) throw new OidcLoginFailure('no_state_cookie');
  let pending: PendingLogin;
  try {
    pending = JSON.parse(p.secrets.open(sealed, STATE_CONTEXT)) as PendingLogin;
  } catch {
    throw new OidcLoginFailure('bad_state_cookie');
  }
  if (typeof pending.exp !== 'number' || pending.exp <= p.clock.now().getTime()) throw new OidcLoginFailure('expired');
  return pending;
}

const actorOf = (u: UserTable): AuditActor => ({ id: u.id, login: u.login, unitId: u.unit_id });

/**
 * Maps the identity provider's account to an existing, active Renkei account; never creates one.
 * First by the bound subject; otherwise by `preferred_username` equal to the login of an account that is
 * not bound yet, which binds it (so that a later rename at the provider cannot move the account).
 */
async function findAccount(
  p: Platform,
  sub: string,
  username: string | undefined,
): Promise<{ user: UserTable; bind: boolean }> {
  const db = p.db.db;
  const bound = await db.selectFrom('users').selectAll().where('oidc_subject', '=', sub).executeTakeFirst();
  if (bound) return { user: bound, bind: false };
  if (username) {
    const byLogin = await db.selectFrom('users').selectAll().where('login', '=', username).executeTakeFirst();
    if (byLogin && byLogin.oidc_subject === null) return { user: byLogin, bind: true };
    if (byLogin) throw new OidcLoginFailure('bound_to_other_subject', byLogin);
  }
  throw new OidcLoginFailure('no_account');
}

/**
 * Step 2: checks the authorisation response (state, PKCE, nonce, ID token), maps the account and starts a
 * full session. The identity provider is trusted for the second factor; local accounts keep TOTP.
 */
export async function finishLogin(
  p: Platform,
  callbackQuery: string,
  sealedState: string | undefined,
  meta: RequestMeta,
): Promise<{ cookie: string; csrfToken: string; user: UserTable }> {
  const o = oidcSettings(p);
  const pending = openState(p, sealedState);
  const config = await clientConfig(p);
  const current = new URL(o.redirectUri);
  current.search = callbackQuery;
  let sub: string;
  let username: string | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new OidcLoginFailure('no_id_token');
    sub = claims.sub;
    username = typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined;
    if (username === undefined && tokens.access_token) {
      const info = await client.fetchUserInfo(config, tokens.access_token, sub);
      username = typeof info.preferred_username === 'string' ? info.preferred_username : undefined;
    }
  } catch (err) {
    if (err instanceof OidcLoginFailure) throw err;
    const code = (err as { code?: unknown; error?: unknown } | null)?.error ?? (err as { code?: unknown })?.code;
    throw new OidcLoginFailure(typeof code === 'string' ? `provider:${code.slice(0, 60)}` : 'provider_error');
  }
  const { user, bind } = await findAccount(p, sub, username);
  if (user.status !== 'active') throw new OidcLoginFailure('disabled', user);
  const now = p.clock.now();
  return p.db.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        last_login_at: now.toISOString(),
        ...(bind ? { oidc_subject: sub, updated_at: now.toISOString() } : {}),
      })
      .where('id', '=', user.id)
      .execute();
    const session = await createSession(trx, user.id, 'ok', now, meta);
    await p.audit.record(trx, {
      actor: actorOf(user),
      action: 'auth.oidc.login',
      target: { type: 'user', id: user.id },
      result: 'success',
      clientIp: meta.ip,
      details: { bound: bind },
    });
    return { ...session, user };
  });
}

/** Audits a refused single sign-on. */
export async function recordFailure(p: Platform, failure: OidcLoginFailure, meta: RequestMeta): Promise<void> {
  await p.db.db.transaction().execute((trx) =>
    p.audit.record(trx, {
      actor: failure.user ? actorOf(failure.user) : null,
      action: 'auth.oidc.login',
      target: { type: 'user', id: failure.user?.id ?? null },
      result: 'failure',
      clientIp: meta.ip,
      details: { reason: failure.reason },
    }),
  );
}
