import type { DocumentTemplate } from '../../platform/documents/index.ts';

export function presentSummary(t: DocumentTemplate) {
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    description: t.description,
    version: t.version,
    updatedAt: t.updatedAt,
  };
}

export function presentTemplate(t: DocumentTemplate) {
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    description: t.description,
    body: t.body,
    marking: { confidentiality: t.marking.confidentiality, handling: [...(t.marking.handling ?? [])] },
    sampleData: t.sampleData,
    version: t.version,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    updatedBy: t.updatedBy,
  };
}
