import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAhoCorasick } from './ahoCorasick.ts';
import { foldForMatching } from './fold.ts';
import { parseLabelledJsonl, TRAINING_SET_URL } from './labels.ts';
import { assessUrgency, compileUrgencyRules } from './urgency.ts';
import { DEFAULT_URGENCY_RULES } from './urgencyRules.ts';

const reasonsOf = (text: string): string[] => assessUrgency(text).reasons.map((r) => r.reason);

describe('urgent triage rules', () => {
  it.each([
    ['明日、〇〇中学校を爆破する', '犯行予告'],
    ['今週の土曜に駅前で無差別に人を刺す', '犯行予告'],
    ['市役所に火をつけてやる。12月24日決行', '犯行予告'],
    ['お前の家は知ってる。今夜燃やしに行く、ガソリンをまいてな', '犯行予告'],
    ['「殺してやる」と元夫からLINEが来ました', '生命への脅威'],
    ['知らない人から「ぶっ殺すぞ」とDMが来た', '生命への脅威'],
    ['もう死にたい。今夜、橋から飛び降りようと思う', '自殺予告'],
    ['今までありがとう。今夜で終わりにする', '自殺予告'],
    ['来週、会社の前で待ち伏せして痛い目にあわせる', '脅迫'],
  ])('flags %s', (text, reason) => {
    const a = assessUrgency(text);
    expect(a.urgent).toBe(true);
    expect(a.score).toBe(1);
    expect(a.reasons.map((r) => r.reason)).toContain(reason);
  });

  it('sees through full width, half-width katakana, inserted spaces, zero-width characters and katakana', () => {
    for (const text of [
      'あした　学校を　ば く は　する',
      '明日 学 校 を 爆\u200B破 す る',
      '１２月２４日、駅で人をコロス',
      '12月24日、駅で人をｺﾛｽ',
      'お前をコロシテヤル',
      'シニタイ。もう無理',
      '殺・し・て・や・る',
    ]) {
      expect(assessUrgency(text).urgent, text).toBe(true);
    }
  });

  it('does not flag ordinary fraud consultations, nor violence words without a date or place', () => {
    for (const text of [
      '明日までに支払わないと法的措置をとると電話で言われました。架空請求でしょうか',
      '会社のパソコンがウイルスに感染し、明日の朝までに身代金を払えと表示されています',
      'サポート詐欺で駆除費用を払わされた。警告が殺到して焦ってしまった',
      '上司に釘を刺されたので、明日会社で正式に相談します',
      '爆サイに私の住所が書き込まれました',
      '死ぬほど後悔しています。明日銀行に行きます',
      '通販サイトで買った殺虫剤が届かない。今日で3週間です',
      'ゲームで「殺す」ってチャットに書かれたけど冗談だと思う',
      'うちの会社に爆弾発言をする社員がいて困っている',
    ]) {
      expect(assessUrgency(text), text).toMatchObject({ urgent: false, reasons: [] });
    }
  });

  it('agrees with every label of the training set (the rules were written from it)', () => {
    const wrong = parseLabelledJsonl(readFileSync(TRAINING_SET_URL, 'utf8'))
      .filter((e) => assessUrgency(e.text).urgent !== e.urgent)
      .map((e) => e.text);
    expect(wrong).toEqual([]);
  });

  it('names the matched terms and rules', () => {
    const a = assessUrgency('明日、駅で刺す');
    expect(a.reasons).toEqual([{ rule: 'crime-announcement', reason: '犯行予告', matched: ['刺す'] }]);
    expect(reasonsOf('ころしてやる、殺すぞ')).toEqual(['生命への脅威']);
  });

  it('rules are data: a custom set with its own group and weights', () => {
    const rules = compileUrgencyRules({
      threshold: 1,
      groups: { target: ['校長'] },
      except: [],
      rules: [
        { id: 'a', reason: '脅迫', weight: 0.5, terms: ['許さない'] },
        { id: 'b', reason: '脅迫', weight: 0.5, terms: ['ツブス'], requires: [['target']] },
      ],
    });
    expect(assessUrgency('絶対に許さない', rules)).toMatchObject({ urgent: false, score: 0.5 });
    expect(assessUrgency('許さない、校長をつぶす', rules)).toMatchObject({ urgent: true, score: 1 });
    expect(() =>
      compileUrgencyRules({ ...DEFAULT_URGENCY_RULES, rules: [{ id: 'x', reason: '脅迫', weight: 1, terms: [' '] }] }),
    ).toThrow(/folds to nothing/);
  });

  it('runs in linear time on long hostile input', () => {
    const time = (n: number): number => {
      const text = '殺'.repeat(n) + 'こ'.repeat(n) + '明日駅'.repeat(n / 3);
      const t0 = performance.now();
      assessUrgency(text);
      return performance.now() - t0;
    };
    time(2000);
    const small = Math.min(time(20_000), time(20_000));
    const large = Math.min(time(80_000), time(80_000));
    expect(large).toBeLessThan(small * 8 + 50);
  });
});

describe('folding and the automaton', () => {
  it('folds width, case, spaces, fillers and katakana', () => {
    expect(foldForMatching('ＡＢＣ　コ ロ ス・12時')).toBe('abcころす0時');
  });

  it('finds overlapping patterns', () => {
    const found: Array<[number, number]> = [];
    buildAhoCorasick(['he', 'she', 'hers', 'his']).scan('ushers', (p, end) => found.push([p, end]));
    expect(found).toEqual([
      [1, 4],
      [0, 4],
      [2, 6],
    ]);
  });
});
