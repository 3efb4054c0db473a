import { createHmac, randomBytes } from 'node:crypto';
import type { Platform } from '../../platform/context.ts';
import type { AnyDb } from '../../platform/db/dialect.ts';
import type { Contact } from './receive.ts';

const personSecrets = new WeakMap<Platform, Buffer>();

async function personSecret(p: Platform, db: AnyDb): Promise<Buffer> {
  const had = personSecrets.get(p);
  if (had) return had;
  const key = 'intake.person_key_secret';
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (row) {
    const secret = Buffer.from(p.secrets.open(row.value, key), 'hex');
    personSecrets.set(p, secret);
    return secret;
  }
  const fresh = randomBytes(32).toString('hex');
  await db
    .insertInto('settings')
    .values({ key, value: p.secrets.seal(fresh, key) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return personSecret(p, db);
}

/** A keyed hash of the person's phone, else e-mail, else name and birth date: links repeated consultations. */
export async function personKey(p: Platform, db: AnyDb, c: Contact | undefined): Promise<string | null> {
  if (!c) return null;
  const phone = c.phone?.normalize('NFKC').replace(/\D/g, '').replace(/^81/, '0');
  const email = c.email?.normalize('NFKC').trim().toLowerCase();
  const name = c.name?.normalize('NFKC').replace(/\s/g, '');
  const basis =
    phone && phone.length >= 10
      ? `tel:${phone}`
      : email
        ? `mail:${email}`
        : name && c.birthDate
          ? `name:${name}:${c.birthDate}`
          : null;
  if (!basis) return null;
  return createHmac('sha256', await personSecret(p, db))
    .update(basis)
    .digest('hex');
}
