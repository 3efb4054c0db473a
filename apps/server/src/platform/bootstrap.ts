import { randomUUID } from 'node:crypto';
import * as users from '../modules/admin/userService.ts';
import type { Platform } from './context.ts';
import { ORGANISATION_SEED } from './seed/organisation.ts';
import { POSITION_SEED, ROLE_SEED } from './seed/roles.ts';

/** Vocabularies every installation needs; inserted when missing, never overwritten (admins edit them). */
export async function ensureVocabularies(p: Platform): Promise<void> {
  const db = p.db.db;
  const now = p.clock.now().toISOString();
  const roles = new Set((await db.selectFrom('roles').select('code').execute()).map((r) => r.code));
  const missing = ROLE_SEED.filter((r) => !roles.has(r.code));
  if (missing.length)
    await db
      .insertInto('roles')
      .values(missing.map((r) => ({ ...r })))
      .execute();
  const positions = await db.selectFrom('positions').select('id').limit(1).execute();
  if (positions.length === 0) {
    await db
      .insertInto('positions')
      .values(POSITION_SEED.map((s) => ({ ...s, id: randomUUID(), created_at: now })))
      .execute();
  }
  const units = await db.selectFrom('units').select('id').limit(1).execute();
  if (units.length === 0) {
    const ids = new Map<string, string>();
    await db.transaction().execute(async (trx) => {
      for (const [i, u] of ORGANISATION_SEED.entries()) {
        const id = randomUUID();
        ids.set(u.code, id);
        await trx
          .insertInto('units')
          .values({
            id,
            code: u.code,
            name: u.name,
            name_kana: u.kana,
            kind: u.kind,
            parent_id: u.parent ? (ids.get(u.parent) ?? null) : null,
            abbreviation: u.abbr ?? null,
            valid_from: u.from ?? '2015-04-01',
            valid_to: u.to ?? null,
            sort_order: (i + 1) * 10,
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
      await p.audit.record(trx, {
        actor: null,
        action: 'organisation.seed',
        result: 'success',
        details: { units: ORGANISATION_SEED.length },
      });
    });
  }
}

/**
 * On first start with no accounts, creates `admin` in 情報管理課. With RENKEI_ADMIN_PASSWORD that password is
 * used as given; otherwise a one-time password is generated, returned for printing once, and must be changed.
 */
export async function ensureFirstAdmin(
  p: Platform,
): Promise<{ login: string; password: string; generated: boolean } | null> {
  const db = p.db.db;
  const any = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const unit =
    (await db.selectFrom('units').select('id').where('code', '=', 'joho-kanri-ka').executeTakeFirst()) ??
    (await db.selectFrom('units').select('id').orderBy('sort_order').limit(1).executeTakeFirstOrThrow());
  const given = p.config.adminPassword;
  const out = await users.create(
    p,
    null,
    {
      login: 'admin',
      name: 'システム管理者',
      nameKana: 'システムカンリシャ',
      unitId: unit.id,
      roles: ['admin'],
      clearance: 1,
    },
    null,
    given ? { password: given, mustChange: false } : { mustChange: true },
  );
  return { login: 'admin', password: out.initialPassword, generated: !given };
}
