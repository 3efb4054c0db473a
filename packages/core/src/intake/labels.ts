/** The consultation categories of domain.md §1.1, exactly as `renkei classify` prints them (INTERFACES.md). */
export const INTAKE_CATEGORIES = [
  '詐欺・悪質商法',
  'インターネットオークション',
  '名誉毀損・誹謗中傷等',
  '不正アクセス・コンピュータウイルス',
  '迷惑メール',
  '違法・有害情報',
  'その他',
] as const;

export type IntakeCategory = (typeof INTAKE_CATEGORIES)[number];

export function isIntakeCategory(value: unknown): value is IntakeCategory {
  return typeof value === 'string' && (INTAKE_CATEGORIES as readonly string[]).includes(value);
}

/** One labelled consultation of the shipped data sets (`data/*.synthetic.jsonl`). */
export interface LabelledConsultation {
  text: string;
  category: IntakeCategory;
  urgent: boolean;
}

/** The shipped synthetic data sets (see data/README.md). URLs only: reading them is the caller's I/O. */
export const TRAINING_SET_URL = new URL('./data/train.synthetic.jsonl', import.meta.url);
export const TEST_SET_URL = new URL('./data/test.synthetic.jsonl', import.meta.url);

/**
 * Parses JSON lines `{"text", "category", "urgent"}`; blank lines are skipped. Throws naming the 1-based line of
 * the first bad record.
 */
export function parseLabelledJsonl(source: string): LabelledConsultation[] {
  const out: LabelledConsultation[] = [];
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1}: not JSON`);
    }
    const r = v as Partial<Record<keyof LabelledConsultation, unknown>> | null;
    if (typeof r !== 'object' || r === null || typeof r.text !== 'string' || !isIntakeCategory(r.category)) {
      throw new Error(`line ${i + 1}: expected {"text": string, "category": <label>, "urgent": boolean}`);
    }
    out.push({ text: r.text, category: r.category, urgent: r.urgent === true });
  }
  return out;
}
