/** The document_templates table (migration 0004), added to the shared Database type. */
export interface DocumentTemplateTable {
  id: string;
  code: string;
  name: string;
  description: string;
  /** Template text (template.ts). */
  body: string;
  /** Default 格付 of documents made from it, JSON `{confidentiality, handling}`. */
  marking: string;
  /** JSON object used by the preview. */
  sample_data: string;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

declare module '../db/types.ts' {
  interface Database {
    document_templates: DocumentTemplateTable;
  }
}
