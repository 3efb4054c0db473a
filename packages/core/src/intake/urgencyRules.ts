// Urgent-triage rules as data (issue 6 item 3). Terms are written naturally; they are folded exactly like the
// text (NFKC, lower case, no spaces or fillers, katakana → hiragana, digit runs → 0) before matching, so one
// entry covers 殺す/ｺﾛｽ/コロス only if its kana form is listed (ころす covers コロス and ｺﾛｽ).

export interface UrgencyRule {
  id: string;
  /** What the duty desk sees. */
  reason: '自殺予告' | '犯行予告' | '脅迫' | '生命への脅威';
  /** Added to the score when the rule fires; the text is urgent when the score reaches the set's threshold. */
  weight: number;
  /** Any one of these fires the rule (subject to `requires`). */
  terms: readonly string[];
  /** Each entry is a list of group names; at least one group of every entry must also occur in the text. */
  requires?: ReadonlyArray<readonly string[]>;
}

export interface UrgencyRuleSet {
  threshold: number;
  /** Co-occurrence vocabularies referred to by `requires`. */
  groups: Readonly<Record<string, readonly string[]>>;
  /** Phrases inside which a term does not count (釘を刺す is not 刺す; 爆弾発言 is not 爆弾). */
  except: readonly string[];
  rules: readonly UrgencyRule[];
}

const WEEKDAYS = ['月曜', '火曜', '水曜', '木曜', '金曜', '土曜', '日曜'];

export const DEFAULT_URGENCY_RULES: UrgencyRuleSet = {
  threshold: 1,
  groups: {
    date: [
      ...WEEKDAYS,
      ...['明日', 'あした', 'あす', '今日', 'きょう', '今夜', 'こんや', '今晩', '今朝', '明朝', '明後日', 'あさって'],
      ...['今週', '来週', '週末', '来月', '今月', '今度の', '0日', '0時', '0月', '0/0', '午前', '午後', '正午'],
      ...['朝', '夜', '放課後', '当日', '今から', 'これから', 'いまから', '近いうち'],
    ],
    place: [
      ...['家', '自宅', '住所', 'アパート', 'マンション'],
      ...['学校', '高校', '中学', '小学校', '大学', '幼稚園', '保育園', '駅', '会場', '役所', '役場', '県庁', '庁舎'],
      ...['本社', '会社', '職場', '店', '病院', '前で', '公園', '施設', '祭り', '花火大会', 'イベント', '運動会'],
      ...['式典', 'ライブ', '警察署', '交番', '空港', '電車', '新幹線', 'バス', 'モール', '体育館', '集会', '神社'],
    ],
    publicPlace: [
      ...['学校', '高校', '中学', '小学校', '大学', '幼稚園', '保育園', '駅', '会場', '役所', '役場', '県庁', '庁舎'],
      ...['本社', '会社', '職場', '店', '病院', '前で', '公園', '施設', '祭り', '花火大会', 'イベント', '運動会'],
      ...['式典', 'ライブ', '警察署', '交番', '空港', '電車', '新幹線', 'バス', 'モール', '体育館', '集会', '神社'],
    ],
  },
  except: [
    ...['釘を刺', 'くぎを刺', '止めを刺', 'とどめを刺', '虫に刺', '蚊に刺', '刺身', '名刺', '刺繍', '風刺'],
    ...['爆弾発言', '爆弾セール', '爆弾低気圧', '殺虫', '殺菌', '殺到', '相殺', '忙殺', '黙殺', '笑殺'],
    ...['燃やすごみ', '燃やすゴミ', '脂肪を燃やす', 'カロリーを燃やす', '死ぬほど', '死にたいくらい'],
  ],
  rules: [
    {
      id: 'suicide-intent',
      reason: '自殺予告',
      weight: 1,
      terms: [
        ...['死にたい', 'しにたい', '自殺する', '自殺します', '自殺しよう', '自殺したい', '死のう', 'しのう'],
        ...['死ぬつもり', '死にます', '今から死ぬ', 'もう死ぬ', '飛び降りる', '飛び降りよう', '飛び降りて死'],
        ...['首を吊', '首をつる', '首吊', '首つり', 'くびつり', '命を絶', '生きていたくない', '生きていても意味がない'],
        ...['一緒に死', '死んでくれる人', '薬をたくさん飲んで', '楽に死ねる', '自殺志願'],
      ],
    },
    {
      id: 'suicide-hint-with-date',
      reason: '自殺予告',
      weight: 1,
      terms: ['遺書', '練炭', '終わりにする', '消えたい', 'いなくなりたい', '今までありがとう', '最後に誰かに'],
      requires: [['date']],
    },
    {
      id: 'threat-to-life',
      reason: '生命への脅威',
      weight: 1,
      terms: [
        ...[
          '殺してやる',
          'ころしてやる',
          '殺すぞ',
          'ころすぞ',
          'ぶっ殺',
          'ぶっころ',
          'ぶち殺',
          '殺したる',
          'ころしたる',
        ],
        ...['殺しに行く', '殺しにいく', 'ころしにいく', '殺される', '刺し殺', '命はない', '命の保証はない'],
      ],
    },
    {
      id: 'crime-announcement',
      reason: '犯行予告',
      weight: 1,
      terms: [
        ...['殺す', 'ころす', '殺害', '刺す', '刺して', '爆破', 'ばくは', '爆弾', '爆発させ', '放火', '火をつけ'],
        ...['火を付け', '燃やす', '燃やして', '灯油をま', 'ガソリンをま', '襲撃', '皆殺し', 'みなごろし', '無差別'],
        ...['撃ち殺', '銃撃', '発砲', 'ナイフを振り回', '刃物を振り回', '吹き飛ば', '殺傷', '危害を加え'],
      ],
      requires: [['date', 'place']],
    },
    {
      id: 'threat-with-date-or-place',
      reason: '脅迫',
      weight: 1,
      terms: [
        ...['ただじゃおかない', 'ただではおかない', '痛い目', '覚悟しろ', '覚悟しとけ', '待ち伏せ', '襲う', '襲いに'],
        ...['殴り込', '乗り込んで', '痛めつけ', '拉致', '後悔させ', '思い知らせ', '報復', '仕返しに行く'],
      ],
      requires: [['date', 'publicPlace']],
    },
  ],
};
