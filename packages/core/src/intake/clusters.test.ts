import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { clusterFixture, MUST_NOT_MERGE, SMS_TEMPLATES, toFullWidth } from './clusterFixture.ts';
import { pairwiseScores, TextClusterer } from './clusters.ts';
import { createMinHasher, estimatedJaccard } from './minhash.ts';

const hasher = createMinHasher();

describe('similar-text clusters', () => {
  it('merges every variant of a template and keeps texts with shared boilerplate apart (pairwise P = R = 1)', () => {
    const fixture = clusterFixture();
    const clusterer = new TextClusterer();
    for (const f of fixture) clusterer.add(f.id, f.text);
    const predicted = new Map(fixture.map((f) => [f.id, clusterer.clusterOf(f.id)!]));
    const scores = pairwiseScores(predicted, new Map(fixture.map((f) => [f.id, f.group])));
    expect(scores).toMatchObject({ precision: 1, recall: 1 });
    expect(clusterer.clusters().size).toBe(SMS_TEMPLATES.length + MUST_NOT_MERGE.length);
    expect(clusterer.clusterOf('t3-v7')).toBe('t3-v0'); // named after its first text
  });

  it('sees one SMS with a different URL, full width, inserted spaces and zero-width characters as the same', () => {
    const a = 'お荷物のお届けにあがりましたが不在の為持ち帰りました。配送物を確認ください https://a-b1.example/x1';
    const b =
      'お荷物の お届けに あがりましたが\u200b不在の為持ち帰り ました。配送物を確認ください　ｈｘｘｐｓ：／／ｚｚ［．］ｔｏｐ／ｑ';
    expect(estimatedJaccard(hasher.signature(a), hasher.signature(b))).toBe(1);
    const c = new TextClusterer();
    expect(c.add('a', a)).toBe('a');
    expect(c.add('b', b)).toBe('a');
    expect(c.add('other', '【楽天】お客様のアカウントのポイントが3日で失効します https://r.example')).toBe('other');
  });

  it('a bridging text joins two clusters under the older id; empty texts stay alone', () => {
    // x and y share a long core (estimated Jaccard below 0.7); z is the core alone, close to both
    const core = 'あいうえおかきくけこさしすせそたちつてと';
    const c = new TextClusterer({ threshold: 0.7 });
    c.add('x', `${core}なにぬねのは`);
    expect(c.add('y', `${core}まみむめもや`)).toBe('y');
    expect(c.add('z', core)).toBe('x');
    expect(c.clusterOf('y')).toBe('x');
    expect(c.add('e1', ' \u200b ')).toBe('e1');
    expect(c.add('e2', '')).toBe('e2');
    expect(() => c.add('x', 'again')).toThrow(/already clustered/);
    expect(c.size).toBe(5);
  });

  it('pairwise scores count pairs', () => {
    const truth = new Map([
      ['a', '1'],
      ['b', '1'],
      ['c', '2'],
      ['d', '2'],
    ]);
    const predicted = new Map([
      ['a', 'x'],
      ['b', 'x'],
      ['c', 'x'],
      ['d', 'y'],
    ]);
    expect(pairwiseScores(predicted, truth)).toMatchObject({ predictedPairs: 3, truePairs: 2, correctPairs: 1 });
  });

  it('is deterministic', () => {
    const text = SMS_TEMPLATES[0]!;
    expect(createMinHasher().signature(text)).toEqual(hasher.signature(text));
    expect(createMinHasher({ seed: 1 }).signature(text)).not.toEqual(hasher.signature(text));
  });
});

// Text from what these messages are made of: kana, kanji, ASCII, full-width and punctuation (no combining marks).
const char = fc.constantFrom(
  ...'あいうえおかきくけこアイウエオカキクケコｱｲｳｴｵ荷物確認料金未納abcXYZ019.:/-【】「」。、！？ ＡＢＣ１２３'.split(
    '',
  ),
);
const text = fc.array(char, { minLength: 1, maxLength: 80 }).map((cs) => cs.join(''));

describe('properties', () => {
  test.prop([text, fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom(' ', '\u3000', '\u200b', '\t')], {
    numRuns: 200,
  })('inserting spaces does not change the signature', (t, positions, gap) => {
    const cs = [...t];
    for (const p of positions) cs.splice(p % (cs.length + 1), 0, gap);
    expect(hasher.signature(cs.join(''))).toEqual(hasher.signature(t));
  });

  test.prop([text], { numRuns: 200 })('converting to full width does not change the cluster', (t) => {
    const c = new TextClusterer();
    const first = c.add('a', t);
    expect(hasher.signature(toFullWidth(t))).toEqual(hasher.signature(t));
    if (hasher.signature(t).length > 0) expect(c.add('b', toFullWidth(t))).toBe(first);
  });
});
