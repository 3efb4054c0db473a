import type { FastifyInstance } from 'fastify';
import * as OTPAuth from 'otpauth';
import * as users from '../modules/admin/userService.ts';
import type { Role } from '../platform/auth/subject.ts';
import type { Platform } from '../platform/context.ts';

let counter = 0;

export async function unitId(p: Platform, code = 'cyber-ka'): Promise<string> {
  const row = await p.db.db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}

/** A real account row (through the same service the admin uses), with a known password. */
export async function makeUser(
  p: Platform,
  input: { roles: Role[]; unit?: string; clearance?: 1 | 2 | 3; login?: string; mustChange?: boolean } = {
    roles: ['viewer'],
  },
) {
  counter++;
  const login = input.login ?? `user${counter}-${Math.random().toString(36).slice(2, 7)}`;
  const password = `correct horse ${counter} battery`;
  const out = await users.create(
    p,
    null,
    {
      login,
      name: `職員${counter}`,
      nameKana: `ショクイン${counter}`,
      unitId: await unitId(p, input.unit ?? 'cyber-ka'),
      roles: input.roles,
      clearance: input.clearance ?? 2,
    },
    null,
    { password, mustChange: input.mustChange ?? false },
  );
  return { id: out.user.id, login, password };
}

export interface SignedIn {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
  totpSecret: string;
}

function cookieFrom(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  const c = list.map(String).find((x) => x.startsWith('renkei_session='));
  if (!c) throw new Error('no session cookie in response');
  return c.split(';')[0]!;
}

export function totpNow(secret: string, at: Date): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });
}

/** Signs in through the real HTTP flow: password, TOTP enrolment, and returns cookie + CSRF headers. */
export async function signIn(app: FastifyInstance, p: Platform, login: string, password: string): Promise<SignedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  let cookie = cookieFrom(res);
  let csrf = res.json<{ csrfToken: string }>().csrfToken;
  const start = await app.inject({
    method: 'POST',
    url: '/api/auth/totp/enrol/start',
    headers: { cookie, 'x-csrf-token': csrf },
  });
  if (start.statusCode !== 200) throw new Error(`enrol start failed: ${start.statusCode} ${start.body}`);
  const secret = start.json<{ secret: string }>().secret;
  const fin = await app.inject({
    method: 'POST',
    url: '/api/auth/totp/enrol/finish',
    headers: { cookie, 'x-csrf-token': csrf },
    payload: { code: totpNow(secret, p.clock.now()) },
  });
  if (fin.statusCode !== 200) throw new Error(`enrol finish failed: ${fin.statusCode} ${fin.body}`);
  cookie = cookieFrom(fin);
  csrf = fin.json<{ csrfToken: string }>().csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf }, totpSecret: secret };
}

export { cookieFrom };
