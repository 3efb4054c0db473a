import type { Confidentiality } from '../auth/subject.ts';

/** What the PDF engine draws: a flat list of blocks, already filled in (no fields left). */
export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; align: 'left' | 'center' | 'right' }
  | { kind: 'table'; header: string[] | null; rows: string[][] }
  | { kind: 'pageBreak' };

/** 格付 and 取扱制限 (統一基準): printed at the top of every page. */
export interface Marking {
  confidentiality: Confidentiality;
  /** 取扱制限, e.g. 複製禁止, 配布禁止, 持出禁止. */
  handling?: readonly string[];
}

export interface DocumentSpec {
  /** Shown in the PDF's properties (not drawn; a template draws its own title). */
  title: string;
  marking: Marking;
  blocks: Block[];
}

/** `機密性2　取扱制限：複製禁止・配布禁止` — the line drawn at the top of every page. */
export function markingText(m: Marking): string {
  const handling = (m.handling ?? []).filter((h) => h.trim() !== '');
  return handling.length
    ? `機密性${m.confidentiality}　取扱制限：${handling.join('・')}`
    : `機密性${m.confidentiality}`;
}
