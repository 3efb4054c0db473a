// Keyword baseline for the intake category benchmark (bench/intake-classifier.bench.ts): the first category, in a
// fixed order, with any of its keywords in the NFKC/lower-cased text; その他 when none matches. Written once from
// the labelling guide (packages/core/src/intake/data/README.md), checked on the training set only.
import type { IntakeCategory } from '../packages/core/src/intake/labels.ts';

export const KEYWORD_RULES: ReadonlyArray<readonly [IntakeCategory, readonly string[]]> = [
  [
    'インターネットオークション',
    ['ヤフオク', 'メルカリ', 'ラクマ', 'オークション', 'フリマ', '落札', '出品者', 'ジモティー'],
  ],
  [
    '不正アクセス・コンピュータウイルス',
    [
      '乗っ取',
      '不正ログイン',
      '不正アクセス',
      'ランサム',
      '暗号化',
      '感染',
      'マルウェア',
      '改ざん',
      'ログインされ',
      'ddos',
    ],
  ],
  [
    '違法・有害情報',
    ['闇バイト', '大麻', '覚醒剤', '児童ポルノ', '爆破', '爆弾', '買取', '買い取', 'ヤミ金', 'わいせつ', '募集'],
  ],
  ['名誉毀損・誹謗中傷等', ['誹謗中傷', '中傷', '悪口', '書き込', '晒', '名誉毀損', 'なりすまし', '口コミ', '殺す']],
  ['詐欺・悪質商法', ['詐欺', '振り込', '振込', '電子マネー', 'ギフトカード', '投資', '送金', '支払', '払っ', '払わ']],
  ['迷惑メール', ['迷惑メール', 'sms', 'ショートメール', 'メール', 'フィッシング', 'スパム']],
];

export function keywordBaseline(text: string): IntakeCategory {
  const t = text.normalize('NFKC').toLowerCase();
  for (const [category, words] of KEYWORD_RULES) if (words.some((w) => t.includes(w))) return category;
  return 'その他';
}
