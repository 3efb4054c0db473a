import { foldText } from './fold.ts';
import { INTAKE_CATEGORIES, type IntakeCategory, isIntakeCategory } from './labels.ts';

/**
 * Category suggestion: multinomial naive Bayes over the set of character n-grams (1–3 by default) of the folded text
 * (NFKC, lower case, no spaces, URLs/e-mail/phones as placeholders, digit runs as 0). Counts only, so training is
 * incremental: every officer confirmation is one `train` call. The model is a plain JSON-serialisable object.
 */
export interface ClassifierModel {
  format: 'renkei-intake-nb';
  version: 1;
  labels: IntakeCategory[];
  minN: number;
  maxN: number;
  /** Additive (Laplace/Lidstone) smoothing. */
  alpha: number;
  /** Posterior temperature per feature: scores are softmax(logPosterior / (1 + temperature × features)). */
  temperature: number;
  /** Training weight per label (documents). */
  docs: number[];
  /** Sum of feature counts per label. */
  totals: number[];
  /** n-gram → count per label (index as `labels`). */
  features: Record<string, number[]>;
  /** Number of distinct n-grams in `features`. */
  vocabulary: number;
}

export interface ClassifierOptions {
  minN?: number;
  maxN?: number;
  alpha?: number;
  temperature?: number;
}

export interface Suggestion {
  category: IntakeCategory;
  /** Posterior of the top category, 0..1 (tempered naive Bayes: calibrated-ish, see docs/BENCHMARKS.md). */
  score: number;
  /** Every category, most likely first. */
  ranking: Array<{ category: IntakeCategory; score: number }>;
}

export function createClassifier(options: ClassifierOptions = {}): ClassifierModel {
  const labels = [...INTAKE_CATEGORIES];
  return {
    format: 'renkei-intake-nb',
    version: 1,
    labels,
    minN: options.minN ?? 1,
    maxN: options.maxN ?? 3,
    alpha: options.alpha ?? 0.1,
    temperature: options.temperature ?? 0.08,
    docs: labels.map(() => 0),
    totals: labels.map(() => 0),
    features: {},
    vocabulary: 0,
  };
}

/** The distinct n-grams of a text, in first-seen order. */
export function textFeatures(text: string, minN = 1, maxN = 3): string[] {
  const s = foldText(text, true);
  const seen = new Set<string>();
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= s.length; i++) seen.add(s.slice(i, i + n));
  }
  return [...seen];
}

/**
 * Adds one labelled text (an officer's confirmed category) to the model, in place; `weight` counts it that many
 * times (e.g. a correction of a wrong suggestion may count more than a confirmation). Returns the model.
 */
export function train(model: ClassifierModel, text: string, label: IntakeCategory, weight = 1): ClassifierModel {
  const k = model.labels.indexOf(label);
  if (k < 0) throw new Error(`unknown category: ${label}`);
  if (!(weight > 0) || !Number.isFinite(weight)) throw new Error('weight must be a positive number');
  const feats = textFeatures(text, model.minN, model.maxN);
  for (const f of feats) {
    let row = Object.hasOwn(model.features, f) ? model.features[f] : undefined;
    if (!row) {
      row = model.labels.map(() => 0);
      // defineProperty: an n-gram named like `__proto__` stays an ordinary own key
      Object.defineProperty(model.features, f, { value: row, enumerable: true, writable: true, configurable: true });
      model.vocabulary++;
    }
    row[k] = row[k]! + weight;
  }
  model.docs[k] = model.docs[k]! + weight;
  model.totals[k] = model.totals[k]! + weight * feats.length;
  return model;
}

/** Trains a fresh model on many examples. */
export function trainAll(
  examples: Iterable<{ text: string; category: IntakeCategory }>,
  options?: ClassifierOptions,
): ClassifierModel {
  const model = createClassifier(options);
  for (const e of examples) train(model, e.text, e.category);
  return model;
}

/** Unnormalised log posteriors per label and the number of known features used. */
export function logPosteriors(model: ClassifierModel, text: string): { scores: number[]; known: number } {
  const L = model.labels.length;
  const allDocs = model.docs.reduce((a, b) => a + b, 0);
  // Lidstone-smoothed priors, so that a label nobody has confirmed yet is still possible
  const scores = model.docs.map((d) => Math.log((d + 1) / (allDocs + L)));
  const denominators = model.totals.map((t) => Math.log(t + model.alpha * Math.max(1, model.vocabulary)));
  let known = 0;
  for (const f of textFeatures(text, model.minN, model.maxN)) {
    const row = Object.hasOwn(model.features, f) ? model.features[f] : undefined;
    if (!row) continue; // an unseen n-gram says nothing about the label
    known++;
    for (let k = 0; k < L; k++) scores[k]! += Math.log(row[k]! + model.alpha) - denominators[k]!;
  }
  return { scores, known };
}

export function suggest(model: ClassifierModel, text: string): Suggestion {
  const { scores, known } = logPosteriors(model, text);
  const t = 1 + model.temperature * known;
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp((s - max) / t));
  const sum = exps.reduce((a, b) => a + b, 0);
  const ranking = model.labels
    .map((category, k) => ({ category, score: exps[k]! / sum }))
    .sort((a, b) => b.score - a.score || model.labels.indexOf(a.category) - model.labels.indexOf(b.category));
  const top = ranking[0]!;
  return { category: top.category, score: top.score, ranking };
}

export function serializeClassifier(model: ClassifierModel): string {
  return JSON.stringify(model);
}

function isNumberArray(v: unknown, length: number): v is number[] {
  return Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** Parses and checks a serialised model; throws with a one-line reason when it is not one. */
export function deserializeClassifier(json: string): ClassifierModel {
  const v: unknown = JSON.parse(json);
  const m = v as Partial<ClassifierModel> | null;
  if (typeof m !== 'object' || m === null || m.format !== 'renkei-intake-nb' || m.version !== 1) {
    throw new Error('not a renkei intake classifier model (format renkei-intake-nb, version 1)');
  }
  const labels = m.labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every(isIntakeCategory)) {
    throw new Error('model labels are not intake categories');
  }
  const L = labels.length;
  for (const key of ['minN', 'maxN', 'alpha', 'temperature', 'vocabulary'] as const) {
    if (typeof m[key] !== 'number' || !Number.isFinite(m[key])) throw new Error(`model ${key} is not a number`);
  }
  if (!isNumberArray(m.docs, L) || !isNumberArray(m.totals, L)) throw new Error('model counts do not match labels');
  if (typeof m.features !== 'object' || m.features === null) throw new Error('model features missing');
  const entries = Object.entries(m.features);
  for (const [f, row] of entries) {
    if (!isNumberArray(row, L)) throw new Error(`model feature ${JSON.stringify(f)} has a bad count row`);
  }
  const features: Record<string, number[]> = Object.fromEntries(entries);
  const vocabulary = entries.length;
  return { ...(m as ClassifierModel), labels: [...labels], features, vocabulary };
}
