// Intake category suggestion: per-class precision/recall and the confusion matrix on the held-out synthetic test
// set, for the naive Bayes classifier against a majority-class and a keyword baseline; urgency rules on the same
// set; how calibrated the scores are; training and suggestion speed.
//
//   npx tsx bench/intake-classifier.bench.ts
//
// Results: docs/BENCHMARKS.md, "Intake: category suggestion".
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { suggest, trainAll } from '../packages/core/src/intake/classifier.ts';
import {
  INTAKE_CATEGORIES,
  type IntakeCategory,
  type LabelledConsultation,
  parseLabelledJsonl,
  TEST_SET_URL,
  TRAINING_SET_URL,
} from '../packages/core/src/intake/labels.ts';
import { assessUrgency } from '../packages/core/src/intake/urgency.ts';
import { keywordBaseline } from './intake-keyword-baseline.ts';

const trainSet = parseLabelledJsonl(readFileSync(TRAINING_SET_URL, 'utf8'));
const testSet = parseLabelledJsonl(readFileSync(TEST_SET_URL, 'utf8'));
const SHORT: Record<IntakeCategory, string> = {
  '詐欺・悪質商法': '詐欺',
  インターネットオークション: 'オークション',
  '名誉毀損・誹謗中傷等': '誹謗中傷',
  '不正アクセス・コンピュータウイルス': '不正アクセス',
  迷惑メール: '迷惑メール',
  '違法・有害情報': '違法有害',
  その他: 'その他',
};

type Predict = (text: string) => IntakeCategory;
const pct = (x: number): string => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)}`);

function evaluate(predict: Predict, set: readonly LabelledConsultation[]) {
  const idx = (c: IntakeCategory): number => INTAKE_CATEGORIES.indexOf(c);
  const confusion = INTAKE_CATEGORIES.map(() => INTAKE_CATEGORIES.map(() => 0));
  for (const e of set) confusion[idx(e.category)]![idx(predict(e.text))]!++;
  const perClass = INTAKE_CATEGORIES.map((c, i) => {
    const tp = confusion[i]![i]!;
    const predicted = confusion.reduce((a, row) => a + row[i]!, 0);
    const actual = confusion[i]!.reduce((a, b) => a + b, 0);
    const precision = predicted === 0 ? Number.NaN : tp / predicted;
    const recall = tp / actual;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { c, precision, recall, f1: Number.isNaN(f1) ? 0 : f1, support: actual };
  });
  const accuracy = INTAKE_CATEGORIES.reduce((a, _, i) => a + confusion[i]![i]!, 0) / set.length;
  const macroF1 = perClass.reduce((a, p) => a + p.f1, 0) / perClass.length;
  return { confusion, perClass, accuracy, macroF1 };
}

const t0 = performance.now();
const model = trainAll(trainSet);
const trainMs = performance.now() - t0;
const majorityLabel = INTAKE_CATEGORIES.map((c) => [c, trainSet.filter((e) => e.category === c).length] as const).sort(
  (a, b) => b[1] - a[1],
)[0]![0];

const systems: Array<[string, Predict]> = [
  ['naive Bayes (renkei)', (t) => suggest(model, t).category],
  ['keyword baseline', keywordBaseline],
  [`majority baseline (${SHORT[majorityLabel]})`, () => majorityLabel],
];

console.log(`training set ${trainSet.length}, test set ${testSet.length}; trained in ${trainMs.toFixed(0)} ms,`);
console.log(
  `vocabulary ${model.vocabulary} n-grams, model JSON ${(JSON.stringify(model).length / 1024).toFixed(0)} KiB\n`,
);
console.log('| system | test accuracy | test macro-F1 | training-set accuracy (keyword: its only check) |');
console.log('|---|---|---|---|');
const results = systems.map(([name, p]) => [name, evaluate(p, testSet)] as const);
for (const [name, r] of results) {
  const onTrain = evaluate(systems.find(([n]) => n === name)![1], trainSet).accuracy;
  console.log(`| ${name} | ${pct(r.accuracy)} % | ${pct(r.macroF1)} % | ${pct(onTrain)} % |`);
}

console.log('\nPer class on the test set, precision / recall (%):\n');
console.log(`| class (support) | ${results.map(([n]) => n).join(' | ')} |`);
console.log(`|---|${results.map(() => '---').join('|')}|`);
for (let i = 0; i < INTAKE_CATEGORIES.length; i++) {
  const c = INTAKE_CATEGORIES[i]!;
  const cells = results.map(([, r]) => `${pct(r.perClass[i]!.precision)} / ${pct(r.perClass[i]!.recall)}`);
  console.log(`| ${SHORT[c]} (${results[0]![1].perClass[i]!.support}) | ${cells.join(' | ')} |`);
}

for (const [name, r] of results.slice(0, 2)) {
  console.log(`\nConfusion matrix, ${name} (rows: true, columns: suggested):\n`);
  console.log(`| true \\ suggested | ${INTAKE_CATEGORIES.map((c) => SHORT[c]).join(' | ')} |`);
  console.log(`|---|${INTAKE_CATEGORIES.map(() => '---').join('|')}|`);
  INTAKE_CATEGORIES.forEach((c, i) => {
    console.log(`| ${SHORT[c]} | ${r.confusion[i]!.join(' | ')} |`);
  });
}

// calibration: mean top score vs accuracy in score bins
const bins = [0, 0.5, 0.8, 0.95, 1.0001];
console.log('\nCalibration of the top score on the test set:\n');
console.log('| score bin | texts | mean score | accuracy |');
console.log('|---|---|---|---|');
let ece = 0;
for (let b = 0; b + 1 < bins.length; b++) {
  const inBin = testSet
    .map((e) => ({ s: suggest(model, e.text), e }))
    .filter(({ s }) => s.score >= bins[b]! && s.score < bins[b + 1]!);
  if (inBin.length === 0) continue;
  const mean = inBin.reduce((a, { s }) => a + s.score, 0) / inBin.length;
  const acc = inBin.filter(({ s, e }) => s.category === e.category).length / inBin.length;
  ece += (inBin.length / testSet.length) * Math.abs(mean - acc);
  console.log(`| ${bins[b]}–${Math.min(1, bins[b + 1]!)} | ${inBin.length} | ${mean.toFixed(3)} | ${acc.toFixed(3)} |`);
}
console.log(`\nexpected calibration error ${ece.toFixed(3)}`);

// urgency rules on both sets
for (const [name, set] of [
  ['training', trainSet],
  ['test', testSet],
] as const) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const misses: string[] = [];
  for (const e of set) {
    const u = assessUrgency(e.text).urgent;
    if (u && e.urgent) tp++;
    else if (u) fp++;
    else if (e.urgent) {
      fn++;
      misses.push(e.text.slice(0, 40));
    }
  }
  const urgentCount = set.filter((e) => e.urgent).length;
  console.log(
    `\nurgency on the ${name} set: ${urgentCount} urgent of ${set.length}; precision ${pct(tp / (tp + fp))} %, recall ${pct(tp / (tp + fn))} % (TP ${tp}, FP ${fp}, FN ${fn})`,
  );
  for (const m of misses) console.log(`  missed: ${m}…`);
}

const texts = testSet.map((e) => e.text);
const t1 = performance.now();
let n = 0;
while (performance.now() - t1 < 1000) {
  for (const t of texts) {
    suggest(model, t);
    assessUrgency(t);
    n++;
  }
}
console.log(`\nsuggest + urgency: ${((performance.now() - t1) / n).toFixed(3)} ms per consultation`);
