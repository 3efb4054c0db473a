import { type APIRequestContext, expect, request } from '@playwright/test';
import { type Account, loadAccount, saveAccount } from './accounts';
import { e2eAdminPassword, e2ePort } from './env';
import { totpCode } from './totp';

interface StageReply {
  stage: string;
  csrfToken?: string;
}

/** An API session (cookie + CSRF token) outside the browser, for setting up what a test needs. */
export class ApiSession {
  private constructor(
    readonly context: APIRequestContext,
    private csrfToken: string,
  ) {}

  /**
   * Signs in completely: the password is changed to `newPassword` when the server asks (without one, that stage
   * fails the test), TOTP is enrolled or verified as needed. The account's new password and secret are saved.
   */
  static async signIn(account: Account, newPassword?: string): Promise<ApiSession> {
    const context = await request.newContext({ baseURL: `http://127.0.0.1:${e2ePort}` });
    const login = await context.post('/api/auth/login', { data: { login: account.login, password: account.password } });
    expect(login.status(), await login.text()).toBe(200);
    const session = new ApiSession(context, '');
    let reply = (await login.json()) as StageReply;
    session.adopt(reply);
    if (reply.stage === 'password_change') {
      if (!newPassword) throw new Error(`${account.login}: the server asks for a new password`);
      reply = (await session.post('/api/auth/password', {
        currentPassword: account.password,
        newPassword,
      })) as StageReply;
      account.password = newPassword;
      saveAccount(account);
    }
    if (reply.stage === 'mfa_enrol') {
      const start = (await session.post('/api/auth/totp/enrol/start', {})) as { secret: string };
      account.totpSecret = start.secret;
      saveAccount(account);
      reply = (await session.post('/api/auth/totp/enrol/finish', { code: await totpCode(start.secret) })) as StageReply;
    } else if (reply.stage === 'mfa_verify') {
      if (!account.totpSecret) throw new Error(`${account.login}: secret unknown`);
      reply = (await session.post('/api/auth/totp/verify', { code: await totpCode(account.totpSecret) })) as StageReply;
    }
    session.adopt(reply);
    expect(reply.stage).toBe('ok');
    return session;
  }

  /** The first admin, whichever test enrolled its TOTP first. */
  static admin(): Promise<ApiSession> {
    return ApiSession.signIn(loadAccount('admin') ?? { login: 'admin', password: e2eAdminPassword });
  }

  private adopt(reply: StageReply): void {
    if (reply.csrfToken) this.csrfToken = reply.csrfToken;
  }

  async get(path: string): Promise<unknown> {
    const response = await this.context.get(path);
    expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
    return response.json();
  }

  async post(path: string, data: unknown): Promise<unknown> {
    const response = await this.context.post(path, { data, headers: { 'X-CSRF-Token': this.csrfToken } });
    expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
    const body = (await response.json()) as unknown;
    if (body && typeof body === 'object' && 'csrfToken' in body) this.adopt(body as StageReply);
    return body;
  }

  /** Creates an account and returns it with its one-time password (the person must still change it). */
  async createUser(login: string, name: string, roles: string[]): Promise<Account> {
    const units = (await this.get('/api/admin/units')) as { items: { id: string; kind: string }[] };
    const unit = units.items.find((item) => item.kind === 'station') ?? units.items[0];
    if (!unit) throw new Error('no unit to put the user in');
    const created = (await this.post('/api/admin/users', {
      login,
      name,
      nameKana: 'テスト',
      unitId: unit.id,
      roles,
      clearance: 1,
    })) as { initialPassword: string };
    return { login, password: created.initialPassword };
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
  }
}
