import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ClassifierModel,
  createClassifier,
  deserializeClassifier,
  serializeClassifier,
  suggest,
  textFeatures,
  train,
  trainAll,
} from './classifier.ts';
import { INTAKE_CATEGORIES, parseLabelledJsonl, TEST_SET_URL, TRAINING_SET_URL } from './labels.ts';

const trainingSet = parseLabelledJsonl(readFileSync(TRAINING_SET_URL, 'utf8'));
let base: ClassifierModel;

beforeAll(() => {
  base = trainAll(trainingSet);
});

describe('data sets', () => {
  it('ship at least 300 training and 100 test consultations over all seven labels, disjoint', () => {
    const testSet = parseLabelledJsonl(readFileSync(TEST_SET_URL, 'utf8'));
    expect(trainingSet.length).toBeGreaterThanOrEqual(300);
    expect(testSet.length).toBeGreaterThanOrEqual(100);
    for (const set of [trainingSet, testSet]) {
      expect(new Set(set.map((e) => e.category))).toEqual(new Set(INTAKE_CATEGORIES));
      expect(set.some((e) => e.urgent)).toBe(true);
    }
    const seen = new Set(trainingSet.map((e) => e.text));
    expect(testSet.filter((e) => seen.has(e.text))).toEqual([]);
  });

  it('names the line of a bad record', () => {
    expect(() => parseLabelledJsonl('{"text":"a","category":"その他","urgent":false}\n\n{"text":1}')).toThrow(
      /^line 3:/,
    );
  });
});

describe('classifier', () => {
  it('suggests the obvious categories with a ranking that sums to 1', () => {
    const s = suggest(base, 'ヤフオクで落札した時計の代金を振り込んだのに出品者から発送されません');
    expect(s.category).toBe('インターネットオークション');
    expect(s.ranking.map((r) => r.category).sort()).toEqual([...INTAKE_CATEGORIES].sort());
    expect(s.ranking.reduce((a, r) => a + r.score, 0)).toBeCloseTo(1, 9);
    expect(s.score).toBe(s.ranking[0]!.score);
    expect(suggest(base, '会社のファイルサーバがランサムウェアで暗号化された').category).toBe(
      '不正アクセス・コンピュータウイルス',
    );
  });

  it('is not moved by full-width characters, inserted spaces or a different defanged URL', () => {
    const a = 'アマゾンを名乗るSMSが来た。リンクは https://amzn-check.example/login 、開いていない';
    const b = 'アマゾンを名乗る ＳＭＳ が来た。リンクは hxxps://other-site[.]example/x 、開いて いない';
    expect(textFeatures(b)).toEqual(textFeatures(a));
    expect(suggest(base, b)).toEqual(suggest(base, a));
  });

  it('learns a new phrasing from a handful (≤5) of officer confirmations', () => {
    const model = deserializeClassifier(serializeClassifier(base));
    // contact-form spam: not in the training set; the suggestion starts elsewhere
    const probe = '会社のお問い合わせフォームに、同じ業者から毎日のように営業の文章が送られてくる';
    expect(suggest(model, probe).category).not.toBe('迷惑メール');
    const confirmations = [
      'ホームページのお問い合わせフォームに毎日大量の営業文が投稿される',
      '問い合わせフォームから広告の文章がひっきりなしに届いて困っている',
      'お問い合わせフォーム経由の営業メッセージが1日に何十件も来る',
    ];
    for (const text of confirmations) train(model, text, '迷惑メール');
    expect(suggest(model, probe).category).toBe('迷惑メール');
    // what it knew before still holds
    expect(suggest(model, 'ヤフオクで落札した時計の代金を振り込んだのに出品者から発送されません').category).toBe(
      'インターネットオークション',
    );
  });

  it('round-trips through JSON and keeps learning after it', () => {
    const json = serializeClassifier(base);
    const copy = deserializeClassifier(json);
    expect(serializeClassifier(copy)).toBe(json);
    const text = 'ＬＩＮＥが乗っ取られて友だちに電子マネーを頼むメッセージが送られた';
    expect(suggest(copy, text)).toEqual(suggest(base, text));
    train(copy, text, 'その他', 3);
    expect(copy.docs).not.toEqual(base.docs); // the original is untouched
  });

  it('refuses what is not a model, and a __proto__ n-gram stays data', () => {
    expect(() => deserializeClassifier('{"format":"x"}')).toThrow(/not a renkei intake classifier/);
    expect(() => deserializeClassifier('[]')).toThrow();
    const m = createClassifier({ minN: 9, maxN: 9 });
    train(m, '__proto__', 'その他');
    const back = deserializeClassifier(serializeClassifier(m));
    expect(Object.getPrototypeOf(back.features)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back.features, '__proto__')?.value).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(() => train(m, 'x', 'nope' as never)).toThrow(/unknown category/);
  });

  it('an empty model still answers with a uniform ranking', () => {
    const s = suggest(createClassifier(), '何か');
    expect(s.score).toBeCloseTo(1 / 7, 9);
  });
});
