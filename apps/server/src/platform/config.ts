import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything the server reads from its environment, resolved once (INTERFACES.md § Configuration). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  baseUrl: string;
  adminPassword: string | undefined;
  smtpUrl: string | undefined;
  /** Sender address of outgoing mail (RENKEI_MAIL_FROM; default renkei@<host of the base URL>). */
  mailFrom: string;
  /** Single sign-on; undefined unless RENKEI_OIDC_ISSUER and RENKEI_OIDC_CLIENT_ID are set. */
  oidc: OidcConfig | undefined;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (see docs/SECURITY.md). */
  trustProxy: string[];
  logLevel: string;
  /** Secure cookies: on when the base URL is https. */
  secureCookies: boolean;
  /** Largest JSON body accepted, in bytes. */
  bodyLimit: number;
}

/** OpenID Connect settings (docs/OPERATIONS.md § Single sign-on). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  /** Defaults to <base URL>/api/auth/oidc/callback. */
  redirectUri: string;
}

type Env = Record<string, string | undefined>;

const KEYS = [
  'PORT',
  'HOST',
  'RENKEI_DATA_DIR',
  'RENKEI_DATABASE_URL',
  'RENKEI_BASE_URL',
  'RENKEI_ADMIN_PASSWORD',
  'RENKEI_SMTP_URL',
  'RENKEI_TRUST_PROXY',
  'RENKEI_LOG_LEVEL',
  'RENKEI_BODY_LIMIT',
  'RENKEI_MAIL_FROM',
  'RENKEI_OIDC_ISSUER',
  'RENKEI_OIDC_CLIENT_ID',
  'RENKEI_OIDC_CLIENT_SECRET',
  'RENKEI_OIDC_REDIRECT_URI',
] as const;

/** A `renkei.config.json` in the working directory may hold the same keys; the environment wins. */
function readConfigFile(cwd: string): Env {
  const file = join(cwd, 'renkei.config.json');
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('renkei.config.json must hold an object');
  const out: Env = {};
  for (const key of KEYS) {
    const v = (parsed as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = String(v);
  }
  return out;
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const merged: Env = {
    ...readConfigFile(cwd),
    ...Object.fromEntries(KEYS.map((k) => [k, env[k]]).filter(([, v]) => v !== undefined && v !== '')),
  };
  const port = Number(merged.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a port number: ${merged.PORT}`);
  const dataDir = resolve(cwd, merged.RENKEI_DATA_DIR ?? './data');
  const databaseUrl = merged.RENKEI_DATABASE_URL ?? `sqlite:${join(dataDir, 'renkei.db')}`;
  const baseUrl = merged.RENKEI_BASE_URL ?? `http://localhost:${port}`;
  const bodyLimit = Number(merged.RENKEI_BODY_LIMIT ?? 1_048_576);
  const oidc: OidcConfig | undefined =
    merged.RENKEI_OIDC_ISSUER && merged.RENKEI_OIDC_CLIENT_ID
      ? {
          issuer: merged.RENKEI_OIDC_ISSUER,
          clientId: merged.RENKEI_OIDC_CLIENT_ID,
          clientSecret: merged.RENKEI_OIDC_CLIENT_SECRET,
          redirectUri: merged.RENKEI_OIDC_REDIRECT_URI ?? `${baseUrl.replace(/\/$/, '')}/api/auth/oidc/callback`,
        }
      : undefined;
  return {
    port,
    host: merged.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl,
    baseUrl,
    adminPassword: merged.RENKEI_ADMIN_PASSWORD,
    smtpUrl: merged.RENKEI_SMTP_URL,
    mailFrom: merged.RENKEI_MAIL_FROM ?? `renkei@${new URL(baseUrl).hostname}`,
    oidc,
    trustProxy: (merged.RENKEI_TRUST_PROXY ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: merged.RENKEI_LOG_LEVEL ?? 'info',
    secureCookies: baseUrl.startsWith('https:'),
    bodyLimit,
  };
}
