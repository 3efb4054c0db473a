import type { Logger } from 'pino';
import { type Audit, createAudit } from './audit/audit.ts';
import { PolicyEngine, platformRules } from './auth/policy.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import { type Dialect, dialectFor } from './db/dialect.ts';
import { SecretBox } from './keys.ts';

/** What every module is handed: the shared services, built once per process (or per test). */
export interface Platform {
  config: Config;
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: Audit;
  policy: PolicyEngine;
  secrets: SecretBox;
  log: Logger;
}

export function createPlatform(input: {
  config: Config;
  db: Db;
  masterKey: Buffer;
  log: Logger;
  clock?: Clock;
}): Platform {
  const clock = input.clock ?? systemClock;
  const dialect = dialectFor(input.db.engine);
  const policy = new PolicyEngine();
  policy.registerAll(platformRules);
  return {
    config: input.config,
    db: input.db,
    dialect,
    clock,
    audit: createAudit(dialect, clock),
    policy,
    secrets: new SecretBox(input.masterKey),
    log: input.log,
  };
}
