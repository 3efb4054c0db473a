import { readFile } from 'node:fs/promises';
import {
  type ClassifierModel,
  type IntakeCategory,
  type Suggestion,
  TRAINING_SET_URL,
  deserializeClassifier,
  parseLabelledJsonl,
  serializeClassifier,
  suggest,
  train,
  trainAll,
} from '@renkei/core/intake/index';
import type { Transaction } from 'kysely';
import type { Platform } from '../../platform/context.ts';
import type { Database } from '../../platform/db/types.ts';

/**
 * The category suggestion model lives in the database (`intake_models`, name 'default'): trained from the shipped
 * synthetic training set on first use, then updated by every officer confirmation. Each process caches it and
 * reloads when another process has saved a newer version.
 */
const MODEL = 'default';
const cache = new WeakMap<Platform, { model: ClassifierModel; updatedAt: string }>();

export async function loadModel(p: Platform): Promise<ClassifierModel> {
  const db = p.db.db;
  const stamp = await db.selectFrom('intake_models').select('updated_at').where('name', '=', MODEL).executeTakeFirst();
  const had = cache.get(p);
  if (had && stamp && had.updatedAt === stamp.updated_at) return had.model;
  if (stamp) {
    const row = await db
      .selectFrom('intake_models')
      .select(['model', 'updated_at'])
      .where('name', '=', MODEL)
      .executeTakeFirstOrThrow();
    const model = deserializeClassifier(row.model);
    cache.set(p, { model, updatedAt: row.updated_at });
    return model;
  }
  const examples = parseLabelledJsonl(await readFile(TRAINING_SET_URL, 'utf8'));
  const model = trainAll(examples);
  const now = p.clock.now().toISOString();
  await db
    .insertInto('intake_models')
    .values({ name: MODEL, model: serializeClassifier(model), confirmations: 0, updated_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  cache.set(p, { model, updatedAt: now });
  return model;
}

export async function suggestCategory(p: Platform, text: string): Promise<Suggestion> {
  return suggest(await loadModel(p), text);
}

/**
 * Officers confirmed labels for texts: the model learns them (a correction counts three times) and is saved once.
 * `model` is loaded with `loadModel` before the transaction begins (SQLite has one connection).
 */
export async function learnMany(
  p: Platform,
  trx: Transaction<Database>,
  model: ClassifierModel,
  lessons: readonly { text: string; label: IntakeCategory; wasSuggested: boolean }[],
): Promise<void> {
  const copy = deserializeClassifier(serializeClassifier(model));
  for (const l of lessons) train(copy, l.text, l.label, l.wasSuggested ? 1 : 3);
  const now = p.clock.now().toISOString();
  const row = await trx
    .selectFrom('intake_models')
    .select('confirmations')
    .where('name', '=', MODEL)
    .executeTakeFirst();
  await trx
    .updateTable('intake_models')
    .set({
      model: serializeClassifier(copy),
      confirmations: (row?.confirmations ?? 0) + lessons.length,
      updated_at: now,
    })
    .where('name', '=', MODEL)
    .execute();
  cache.set(p, { model: copy, updatedAt: now });
}
