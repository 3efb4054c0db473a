// Synthetic fixture for the similar-text clusterer (test and bench/intake-clusters.bench.ts): variants of smishing
// templates that must merge, and texts sharing boilerplate (お客様のアカウント…) that must not. Deterministic.

/** Smishing/phishing templates; {url}, {tel} and {n} are filled per variant. Several share boilerplate on purpose. */
export const SMS_TEMPLATES: readonly string[] = [
  'お荷物のお届けにあがりましたが不在の為持ち帰りました。配送物を確認ください {url}',
  '【Amazon】お客様のアカウントが一時停止されました。下記よりご確認ください {url}',
  '【PayPay】不正利用検知のため、お客様のアカウントを一時停止しました。本人確認はこちら {url}',
  '【楽天】お客様のアカウントに異常なログインがありました。{n}時間以内にご確認ください {url}',
  '【三井住友銀行】お客様の口座がセキュリティ上の理由で制限されています。至急ご確認をお願いします {url}',
  '【国税庁】未納税金のお知らせ。本日中にお支払いがない場合は差押えとなります {url}',
  'ご利用料金のお支払いが確認できておりません。本日中にご連絡ください。{tel}',
  '【au】ご利用料金の請求金額が確定しました。お支払い手続きはこちら {url}',
  'ETC利用照会サービス：ETCサービスは無効になりました。引き続きご利用いただくには手続きをお願いします {url}',
  '【えきねっと】お客様のアカウントの有効期限が切れます。更新手続きはこちらから {url}',
  '税金の還付金があります。受け取り手続きの期限は{n}月{n}日です {url}',
  'あなたのスマートフォンはウイルスに感染しています。セキュリティアプリをインストールしてください {url}',
];

/** Distinct texts with the same boilerplate as the templates above: each must stay alone. */
export const MUST_NOT_MERGE: readonly string[] = [
  '【Amazon】お客様のアカウントでご注文の商品を発送しました。お届け予定日をご確認ください {url}',
  '【楽天】お客様のアカウントのポイントが{n}日で失効します。ポイントの確認はこちら {url}',
  '【PayPay】お客様のアカウントに{n}円のキャッシュバックが付与されました {url}',
  '【えきねっと】お客様のアカウントで座席の予約が完了しました。詳細はこちら {url}',
  'お客様のアカウント情報を更新しました。心当たりがない場合はお問い合わせください {tel}',
  '【三井住友銀行】お客様の口座への振込がありました。入金明細はこちら {url}',
  '【国税庁】確定申告の期限は{n}月{n}日です。e-Taxでの申告はこちら {url}',
  'ご利用料金の請求金額が確定しましたのでお知らせします。マイページでご確認ください {url}',
];

/** A small deterministic generator (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** ASCII → full-width (U+FF01–FF5E, space → U+3000). */
export function toFullWidth(s: string): string {
  return s.replace(/[!-~ ]/g, (c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
}

const WORDS = ['secure', 'login', 'jp', 'account', 'verify', 'pay', 'rakuten', 'amzn', 'post', 'delivery', 'info'];
const TLDS = ['example', 'top', 'cn', 'com', 'shop', 'xyz'];

function randomUrl(r: () => number): string {
  const host = `${pick(r, WORDS)}-${pick(r, WORDS)}${Math.floor(r() * 1000)}.${pick(r, TLDS)}`;
  const path = `/${Math.floor(r() * 1e6).toString(36)}`;
  if (r() < 0.3) return `hxxps://${host.replace(/\./g, '[.]')}${path}`;
  return `${r() < 0.5 ? 'https' : 'http'}://${host}${path}`;
}

function randomTel(r: () => number): string {
  const d = (n: number): string => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  return `0${pick(r, ['50', '80', '90', '3'])}-${d(4)}-${d(4)}`;
}

export function fill(template: string, r: () => number): string {
  return template
    .replace(/\{url\}/g, () => randomUrl(r))
    .replace(/\{tel\}/g, () => randomTel(r))
    .replace(/\{n\}/g, () => String(1 + Math.floor(r() * 28)));
}

/** What senders do to get past filters: full width, spaces or zero-width characters between characters. */
export function disguise(text: string, r: () => number): string {
  let s = text;
  if (r() < 0.4) s = toFullWidth(s);
  if (r() < 0.4) {
    const gap = pick(r, [' ', '\u3000', '\u200b']);
    s = [...s].map((c) => (r() < 0.3 ? c + gap : c)).join('');
  }
  if (r() < 0.2) s = `${pick(r, ['[SMS]', '※', '再送'])}${s}`; // a small edit the shingles must survive
  return s;
}

export interface FixtureText {
  id: string;
  text: string;
  /** Ground truth: texts with the same group must merge, different groups must not. */
  group: string;
}

/** `variants` disguised variants of every template, plus every must-not-merge text once. */
export function clusterFixture(variants = 12, seed = 6): FixtureText[] {
  const r = prng(seed);
  const out: FixtureText[] = [];
  SMS_TEMPLATES.forEach((t, i) => {
    for (let v = 0; v < variants; v++) out.push({ id: `t${i}-v${v}`, text: disguise(fill(t, r), r), group: `t${i}` });
  });
  MUST_NOT_MERGE.forEach((t, i) => {
    out.push({ id: `n${i}`, text: fill(t, r), group: `n${i}` });
  });
  return out;
}
