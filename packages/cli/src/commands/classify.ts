import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import {
  assessUrgency,
  type ClassifierModel,
  deserializeClassifier,
  parseLabelledJsonl,
  suggest,
  TRAINING_SET_URL,
  trainAll,
} from '@renkei/core/intake/index';
import { CliFailure } from '../failure.ts';

/** The model file the server will keep up to date; until it exists, the shipped training set is used. */
export const MODEL_FILE = 'intake-model.json';

async function loadModel(): Promise<ClassifierModel> {
  const { loadConfig } = await import('@renkei/server/platform/config');
  const file = join(loadConfig().dataDir, MODEL_FILE);
  if (existsSync(file)) {
    try {
      return deserializeClassifier(await readFile(file, 'utf8'));
    } catch (err) {
      throw new CliFailure(`cannot use ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return trainAll(parseLabelledJsonl(await readFile(TRAINING_SET_URL, 'utf8')));
}

function textOf(line: string): string | undefined {
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string') {
      return (v as { text: string }).text;
    }
  } catch {
    // reported by the caller with the line number
  }
  return undefined;
}

export function register(program: Command): void {
  program
    .command('classify')
    .description(
      '相談の分類候補と緊急性を判定する / suggest the consultation category and urgency (JSON lines on stdin)',
    )
    .option('--json', 'JSON lines {"category", "score", "urgent"} で出力 / print JSON lines (INTERFACES.md)')
    .action(async (opts: { json?: boolean }) => {
      if (process.stdin.isTTY) throw new CliFailure('no input: pipe JSON lines {"text": "…"} on stdin', 2);
      const model = await loadModel();
      let n = 0;
      for await (const raw of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
        n++;
        const line = raw.trim();
        if (line === '') continue;
        const text = textOf(line);
        // results for the lines before stay printed; the bad line is named and nothing after it is guessed at
        if (text === undefined) throw new CliFailure(`line ${n}: expected a JSON object {"text": "…"}`);
        const s = suggest(model, text);
        const u = assessUrgency(text);
        const score = Math.round(s.score * 10_000) / 10_000;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ category: s.category, score, urgent: u.urgent })}\n`);
        } else {
          const urgent = u.urgent ? `  至急 / urgent: ${[...new Set(u.reasons.map((r) => r.reason))].join('・')}` : '';
          process.stdout.write(`${s.category}  ${score.toFixed(2)}${urgent}\n`);
        }
      }
    });
}
