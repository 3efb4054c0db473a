import type { Subject } from '../../platform/auth/subject.ts';
import type { Platform } from '../../platform/context.ts';
import {
  type DocumentTemplate,
  type Marking,
  type TemplateObject,
  checkTemplate,
  findTemplate,
  renderTemplate,
  updateTemplate,
} from '../../platform/documents/index.ts';
import { AppError } from '../../platform/errors.ts';

export interface TemplateInput {
  name: string;
  description: string;
  body: string;
  marking: Marking;
  sampleData: TemplateObject;
  version: number;
}

function assertValid(body: string): void {
  const problems = checkTemplate(body);
  if (problems.length) {
    const first = problems[0]!;
    throw new AppError('VALIDATION_FAILED', `template line ${first.line}: ${first.message}`, { problems });
  }
}

export async function getTemplate(p: Platform, id: string): Promise<DocumentTemplate> {
  const t = await findTemplate(p.db.db, { id });
  if (!t) throw new AppError('NOT_FOUND');
  return t;
}

/** Saves an administrator's edit: the template must parse, and nobody else may have saved in between. */
export async function saveTemplate(
  p: Platform,
  actor: Subject,
  id: string,
  input: TemplateInput,
  clientIp: string | null,
): Promise<DocumentTemplate> {
  assertValid(input.body);
  return p.db.db.transaction().execute(async (trx) => {
    const out = await updateTemplate(
      trx,
      id,
      input.version,
      {
        name: input.name,
        description: input.description,
        body: input.body,
        marking: input.marking,
        sampleData: input.sampleData,
      },
      p.clock.now().toISOString(),
      actor.userId,
    );
    await p.audit.record(trx, {
      actor: { id: actor.userId, login: actor.login, unitId: actor.unitId },
      action: 'documents.template.update',
      target: { type: 'document_template', id },
      result: 'success',
      clientIp,
      details: { code: out.code, version: out.version },
    });
    return out;
  });
}

/** Renders a template (stored or draft) with its sample data, for the editor's preview. */
export async function preview(
  p: Platform,
  draft: { name: string; body: string; marking: Marking; sampleData: TemplateObject },
): Promise<Buffer> {
  assertValid(draft.body);
  return renderTemplate(draft.body, draft.sampleData, {
    title: `${draft.name}（プレビュー）`,
    marking: draft.marking,
    documentNumber: { format: '達({abbrevs})第{seq}号', parts: { abbrevs: ['サ対'], seq: 1 } },
    now: p.clock.now(),
  });
}
