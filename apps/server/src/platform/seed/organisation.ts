/**
 * A Fukushima-like organisation (domain.md §0, §8): the headquarters, its bureaus and divisions with the
 * abbreviations used in document numbers, and the police stations. Editable by an admin afterwards; the
 * 2023 reorganisation (サイバー犯罪対策室 → サイバー犯罪対策課) is kept as history with validity dates.
 */
export interface UnitSeed {
  code: string;
  name: string;
  kana: string;
  kind: 'headquarters' | 'bureau' | 'division' | 'station' | 'office';
  parent: string | null;
  abbr?: string;
  from?: string;
  to?: string;
}

const D = (
  code: string,
  name: string,
  kana: string,
  parent: string,
  abbr: string,
  extra: Partial<UnitSeed> = {},
): UnitSeed => ({
  code,
  name,
  kana,
  kind: 'division',
  parent,
  abbr,
  ...extra,
});

const STATIONS: [string, string, string][] = [
  ['fukushima', '福島警察署', 'フクシマ'],
  ['fukushima-kita', '福島北警察署', 'フクシマキタ'],
  ['date', '伊達警察署', 'ダテ'],
  ['nihonmatsu', '二本松警察署', 'ニホンマツ'],
  ['koriyama', '郡山警察署', 'コオリヤマ'],
  ['koriyama-kita', '郡山北警察署', 'コオリヤマキタ'],
  ['sukagawa', '須賀川警察署', 'スカガワ'],
  ['tamura', '田村警察署', 'タムラ'],
  ['ishikawa', '石川警察署', 'イシカワ'],
  ['shirakawa', '白河警察署', 'シラカワ'],
  ['tanagura', '棚倉警察署', 'タナグラ'],
  ['aizuwakamatsu', '会津若松警察署', 'アイヅワカマツ'],
  ['kitakata', '喜多方警察署', 'キタカタ'],
  ['aizubange', '会津坂下警察署', 'アイヅバンゲ'],
  ['minamiaizu', '南会津警察署', 'ミナミアイヅ'],
  ['soma', '相馬警察署', 'ソウマ'],
  ['minamisoma', '南相馬警察署', 'ミナミソウマ'],
  ['futaba', '双葉警察署', 'フタバ'],
  ['iwaki-chuo', 'いわき中央警察署', 'イワキチュウオウ'],
  ['iwaki-higashi', 'いわき東警察署', 'イワキヒガシ'],
  ['iwaki-minami', 'いわき南警察署', 'イワキミナミ'],
];

export const ORGANISATION_SEED: UnitSeed[] = [
  { code: 'hq', name: '福島県警察本部', kana: 'フクシマケンケイサツホンブ', kind: 'headquarters', parent: null },
  { code: 'keimu', name: '警務部', kana: 'ケイムブ', kind: 'bureau', parent: 'hq' },
  { code: 'seian', name: '生活安全部', kana: 'セイカツアンゼンブ', kind: 'bureau', parent: 'hq' },
  { code: 'chiiki', name: '地域部', kana: 'チイキブ', kind: 'bureau', parent: 'hq' },
  { code: 'keiji', name: '刑事部', kana: 'ケイジブ', kind: 'bureau', parent: 'hq' },
  { code: 'kotsu', name: '交通部', kana: 'コウツウブ', kind: 'bureau', parent: 'hq' },
  { code: 'keibi', name: '警備部', kana: 'ケイビブ', kind: 'bureau', parent: 'hq' },
  D('keimu-ka', '警務課', 'ケイムカ', 'keimu', '務'),
  D('kyoyo-ka', '教養課', 'キョウヨウカ', 'keimu', '教'),
  D('joho-kanri-ka', '情報管理課', 'ジョウホウカンリカ', 'keimu', '情'),
  D('kenmin-service-ka', '県民サービス課', 'ケンミンサービスカ', 'keimu', '県サ'),
  D('seian-kikaku-ka', '生活安全企画課', 'セイカツアンゼンキカクカ', 'seian', '生企'),
  D('seikatsu-kankyo-ka', '生活環境課', 'セイカツカンキョウカ', 'seian', '生環'),
  {
    code: 'cyber-shitsu',
    name: '生活環境課サイバー犯罪対策室',
    kana: 'サイバーハンザイタイサクシツ',
    kind: 'office',
    parent: 'seikatsu-kankyo-ka',
    from: '2015-04-01',
    to: '2023-03-31',
  },
  D('cyber-ka', 'サイバー犯罪対策課', 'サイバーハンザイタイサクカ', 'seian', 'サ対', { from: '2023-04-01' }),
  D('shonen-ka', '少年女性安全対策課', 'ショウネンジョセイアンゼンタイサクカ', 'seian', '少対'),
  D('chiiki-kikaku-ka', '地域企画課', 'チイキキカクカ', 'chiiki', '地企'),
  D('tsushin-shirei-ka', '通信指令課', 'ツウシンシレイカ', 'chiiki', '総指'),
  D('keiji-somu-ka', '刑事総務課', 'ケイジソウムカ', 'keiji', '刑総'),
  D('sosa-ikka', '捜査第一課', 'ソウサダイイッカ', 'keiji', '捜一'),
  D('sosa-nika', '捜査第二課', 'ソウサダイニカ', 'keiji', '捜二'),
  D('soshiki-ka', '組織犯罪対策課', 'ソシキハンザイタイサクカ', 'keiji', '組対'),
  D('kotsu-kikaku-ka', '交通企画課', 'コウツウキカクカ', 'kotsu', '交企'),
  D('koan-ka', '公安課', 'コウアンカ', 'keibi', '公'),
  D('keibi-ka', '警備課', 'ケイビカ', 'keibi', '備'),
  ...STATIONS.map(
    ([code, name, kana]): UnitSeed => ({
      code: `st-${code}`,
      name,
      kana: `${kana}ケイサツショ`,
      kind: 'station',
      parent: 'hq',
    }),
  ),
];
