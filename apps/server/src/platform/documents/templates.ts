import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Confidentiality } from '../auth/subject.ts';
import type { Platform } from '../context.ts';
import type { AnyDb } from '../db/dialect.ts';
import type { Database } from '../db/types.ts';
import { AppError } from '../errors.ts';
import type { Marking } from './model.ts';
import { TEMPLATE_SEEDS, type TemplateSeed } from './seed.ts';
import type { TemplateObject } from './template.ts';
import { type TemplateRender, renderTemplate } from './fromTemplate.ts';
import './types.ts';

export interface DocumentTemplate {
  id: string;
  code: string;
  name: string;
  description: string;
  body: string;
  marking: Marking;
  sampleData: TemplateObject;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

type Row = Database['document_templates'];

function parseMarking(text: string): Marking {
  const m = JSON.parse(text) as { confidentiality?: number; handling?: unknown };
  const c = m.confidentiality;
  const confidentiality: Confidentiality = c === 1 || c === 3 ? c : 2;
  const handling = Array.isArray(m.handling) ? m.handling.filter((h): h is string => typeof h === 'string') : [];
  return { confidentiality, handling };
}

export function toTemplate(r: Row): DocumentTemplate {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    body: r.body,
    marking: parseMarking(r.marking),
    sampleData: JSON.parse(r.sample_data) as TemplateObject,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

export async function listTemplates(db: AnyDb): Promise<DocumentTemplate[]> {
  const rows = await db.selectFrom('document_templates').selectAll().orderBy('code').execute();
  return rows.map(toTemplate);
}

export async function findTemplate(db: AnyDb, by: { id: string } | { code: string }): Promise<DocumentTemplate | null> {
  let q = db.selectFrom('document_templates').selectAll();
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('code', '=', by.code);
  const row = await q.executeTakeFirst();
  return row ? toTemplate(row) : null;
}

export async function insertTemplate(
  trx: Transaction<Database>,
  seed: TemplateSeed,
  now: string,
  by: string | null,
): Promise<DocumentTemplate> {
  const row: Row = {
    id: randomUUID(),
    code: seed.code,
    name: seed.name,
    description: seed.description,
    body: seed.body,
    marking: JSON.stringify({ confidentiality: seed.marking.confidentiality, handling: seed.marking.handling ?? [] }),
    sample_data: JSON.stringify(seed.sampleData),
    version: 1,
    created_at: now,
    updated_at: now,
    updated_by: by,
  };
  await trx.insertInto('document_templates').values(row).execute();
  return toTemplate(row);
}

/** Updates a template if it is still at `version` (optimistic concurrency); CONFLICT otherwise. */
export async function updateTemplate(
  trx: Transaction<Database>,
  id: string,
  version: number,
  patch: { name?: string; description?: string; body?: string; marking?: Marking; sampleData?: TemplateObject },
  now: string,
  by: string | null,
): Promise<DocumentTemplate> {
  const res = await trx
    .updateTable('document_templates')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.body !== undefined ? { body: patch.body } : {}),
      ...(patch.marking !== undefined
        ? {
            marking: JSON.stringify({
              confidentiality: patch.marking.confidentiality,
              handling: patch.marking.handling ?? [],
            }),
          }
        : {}),
      ...(patch.sampleData !== undefined ? { sample_data: JSON.stringify(patch.sampleData) } : {}),
      version: version + 1,
      updated_at: now,
      updated_by: by,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) {
    const exists = await trx.selectFrom('document_templates').select('id').where('id', '=', id).executeTakeFirst();
    throw new AppError(exists ? 'CONFLICT' : 'NOT_FOUND');
  }
  const row = await trx.selectFrom('document_templates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return toTemplate(row);
}

/** Inserts the seeded templates that are missing (by code); never overwrites what an administrator edited. */
export async function ensureDocumentTemplates(p: Platform, seeds: readonly TemplateSeed[] = TEMPLATE_SEEDS) {
  const have = new Set((await p.db.db.selectFrom('document_templates').select('code').execute()).map((r) => r.code));
  const missing = seeds.filter((s) => !have.has(s.code));
  if (missing.length === 0) return;
  try {
    await p.db.db.transaction().execute(async (trx) => {
      const now = p.clock.now().toISOString();
      for (const s of missing) await insertTemplate(trx, s, now, null);
      await p.audit.record(trx, {
        actor: null,
        action: 'documents.templates.seed',
        result: 'success',
        details: { codes: missing.map((s) => s.code) },
      });
    });
  } catch (err) {
    // Another process seeded them at the same moment.
    if (!p.dialect.isUniqueViolation(err)) throw err;
  }
}

/**
 * Renders the stored template `code` with `data`: what modules call to make a 相談受理票 or a request letter.
 * The marking defaults to the template's; pass the record's own 格付 when it is stricter.
 */
export async function renderStoredTemplate(
  p: Platform,
  code: string,
  data: TemplateObject,
  options: { marking?: Marking; documentNumber?: TemplateRender['documentNumber']; date?: string | null } = {},
): Promise<Buffer> {
  const t = await findTemplate(p.db.db, { code });
  if (!t) throw new AppError('NOT_FOUND', `no document template ${code}`);
  return renderTemplate(t.body, data, {
    title: t.name,
    marking: options.marking ?? t.marking,
    documentNumber: options.documentNumber ?? null,
    date: options.date ?? null,
    now: p.clock.now(),
  });
}
