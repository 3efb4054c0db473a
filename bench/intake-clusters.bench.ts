// Similar-text clusters: pairwise precision/recall on the fixture (smishing variants + must-not-merge set), then
// the time to cluster N generated texts (default 100,000) one by one, as the intake queue would.
//
//   npx tsx bench/intake-clusters.bench.ts [--n 100000] [--campaigns 1000] [--unique 0.3] [--threshold 0.7]
//
// The large set: `campaigns` distinct templates drawn from brand × lure × detail × call-to-action pieces (so
// different templates share whole phrases, the hard case), each sent in disguised variants (other URLs and numbers, full width,
// inserted spaces or zero-width characters, a prefix), Zipf-like campaign sizes, plus a share of unrelated
// one-off texts. Ground truth: one group per template, one per one-off text. Results: docs/BENCHMARKS.md,
// "Intake: similar-text clusters".
import { performance } from 'node:perf_hooks';
import { clusterFixture, disguise, fill, prng } from '../packages/core/src/intake/clusterFixture.ts';
import { CLUSTER_DEFAULTS, pairwiseScores, TextClusterer } from '../packages/core/src/intake/clusters.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const N = arg('n', 100_000);
const CAMPAIGNS = arg('campaigns', 1000);
const UNIQUE = arg('unique', 0.3);
const THRESHOLD = arg('threshold', CLUSTER_DEFAULTS.threshold);

function score(clusterer: TextClusterer, truth: Map<string, string>) {
  const predicted = new Map<string, string>();
  for (const id of truth.keys()) predicted.set(id, clusterer.clusterOf(id)!);
  return pairwiseScores(predicted, truth);
}

// 1. the fixture
{
  const fixture = clusterFixture(12);
  const c = new TextClusterer({ threshold: THRESHOLD });
  for (const f of fixture) c.add(f.id, f.text);
  const s = score(c, new Map(fixture.map((f) => [f.id, f.group])));
  console.log(
    `fixture: ${fixture.length} texts, ${c.clusters().size} clusters; pairwise precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)} (${s.correctPairs}/${s.predictedPairs} predicted pairs correct, ${s.correctPairs}/${s.truePairs} true pairs found)`,
  );
}

// 2. the large generated set
const BRANDS = [
  ...[
    'Amazon',
    '楽天',
    'PayPay',
    'au',
    'ドコモ',
    'ソフトバンク',
    '三井住友銀行',
    'ゆうちょ銀行',
    'JAバンク',
    'えきねっと',
  ],
  ...[
    'セゾンカード',
    'イオンカード',
    'JCB',
    'メルカリ',
    '日本郵便',
    'ヤマト運輸',
    '佐川急便',
    '国税庁',
    'NHK',
    'ETC利用照会',
  ],
];
const LURES = [
  ...['お客様のアカウントが一時停止されました', 'お客様のアカウントに異常なログインがありました'],
  ...['ご利用料金のお支払いが確認できておりません', 'お荷物のお届けにあがりましたが不在の為持ち帰りました'],
  ...['ポイントの有効期限が近づいています', 'カードのご利用を一時的に制限しております'],
  ...['未納のお知らせ、法的手続きに移行します', '本人確認が完了していないため機能を制限しました'],
  ...['セキュリティ強化のため登録情報の更新をお願いします', '還付金の受け取り手続きが完了していません'],
  ...['不正利用の疑いがある取引を検知しました', 'ご請求金額が確定しました'],
  ...['配送先住所に不備があります', 'ログインパスワードの有効期限が切れました'],
  ...['抽選で当選されました、景品の受け取りをお願いします', 'お支払い方法の確認が必要です'],
  ...['サービスの自動更新に失敗しました', '口座の利用を制限しています'],
  ...['税金の滞納があります', '端末がウイルスに感染している可能性があります'],
];
const DETAILS = [
  ...['期限は本日中です', '対応がない場合はご利用いただけなくなります', 'ご不便をおかけして申し訳ございません'],
  ...['確認にはお時間をいただく場合があります', 'お早めのお手続きをお願いいたします', '再配達の受付は明日までです'],
  ...[
    'このメッセージは重要なお知らせです',
    '既にお手続き済みの場合はご容赦ください',
    '第三者による不正な利用を防ぐためです',
  ],
  ...['お手続きは数分で完了します', '保管期限を過ぎると返送されます', '未対応の場合は延滞金が発生します'],
  ...['お客様の安全を最優先に対応しております', 'ご本人様確認のご協力をお願いします', '詳しい理由はお答えできません'],
];
const CTAS = [
  '下記よりご確認ください {url}',
  '{n}時間以内に手続きをお願いします {url}',
  '詳細はこちら {url}',
  'お問い合わせは {tel} まで',
  'ログインして確認してください {url} ※本メールは送信専用です',
  '至急こちらからお手続きを {url}',
  '受け取りはこちら {url}',
  'アプリから確認 {url}',
];
const WORDS =
  '相談 昨日 電話 警察 銀行 家族 息子 会社 書類 確認 予約 返事 学校 病院 駅前 週末 買い物 写真 パソコン 携帯 手紙 財布 住所 名前 約束 仕事 時間 先生 友達 近所'.split(
    ' ',
  );

const r = prng(2026);
const templates = new Set<string>();
while (templates.size < CAMPAIGNS) {
  const p = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  templates.add(`【${p(BRANDS)}】${p(LURES)}。${p(DETAILS)}。${p(CTAS)}`);
}
const uniqueTemplates = [...templates];
const texts: Array<{ id: string; text: string; group: string }> = [];
for (let i = 0; i < N; i++) {
  if (r() < UNIQUE) {
    const words = Array.from({ length: 12 + Math.floor(r() * 20) }, () => WORDS[Math.floor(r() * WORDS.length)]!);
    texts.push({ id: `u${i}`, text: `${words.join('の')}について。`, group: `u${i}` });
  } else {
    const k = Math.min(uniqueTemplates.length - 1, Math.floor(uniqueTemplates.length * r() ** 2)); // Zipf-like
    texts.push({ id: `c${i}`, text: disguise(fill(uniqueTemplates[k]!, r), r), group: `t${k}` });
  }
}
const clusterer = new TextClusterer({ threshold: THRESHOLD });
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
for (const t of texts) clusterer.add(t.id, t.text);
const seconds = (performance.now() - t0) / 1000;
const rss = process.memoryUsage().rss;
const s = score(clusterer, new Map(texts.map((t) => [t.id, t.group])));
const sizes = [...clusterer.clusters().values()].map((m) => m.length).sort((a, b) => b - a);
console.log(
  `large: ${N} texts (${uniqueTemplates.length} templates, ${(UNIQUE * 100).toFixed(0)} % one-off texts) clustered in ${seconds.toFixed(2)} s = ${(N / seconds).toFixed(0)} texts/s (${((seconds * 1e6) / N).toFixed(0)} µs each)`,
);
console.log(
  `  ${sizes.length} clusters, largest ${sizes.slice(0, 3).join(', ')}; pairwise precision ${s.precision.toFixed(4)}, recall ${s.recall.toFixed(4)}; RSS ${(rss / 2 ** 20).toFixed(0)} MiB (+${((rss - rss0) / 2 ** 20).toFixed(0)} MiB)`,
);
