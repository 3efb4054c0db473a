// IoC extraction benchmark: throughput (MB/s) of our extractor and of ioc-extractor 8.2.0 (NFKC first, then
// extractIOC(text, {refang: true})) on the same input, and the recall of both on the development vectors.
//
//   npx tsx bench/extract.bench.ts [--mb 4] [--rounds 5]
//
// Inputs: mixed Japanese text built from the JPCERT phishing URL list (defanged) and the vectors, and the 21
// e-mails in shared/data/phishing-eml. Nothing is fetched. Results: docs/BENCHMARKS.md, "IoC extraction".
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { extractIOC } from 'ioc-extractor';
import { emlToExtractJson, extractEml, extractIocs, toExtractJson } from '../packages/core/src/ioc/index.ts';
import type { ExtractJson, IocType } from '../packages/core/src/ioc/types.ts';
import { checkVector, type VectorCase } from '../packages/core/src/ioc/vectorCompare.test-util.ts';

const SHARED = new URL('../../shared/data/', import.meta.url);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const targetMb = arg('mb', 4);
const rounds = arg('rounds', 5);

function defangUrl(u: string): string {
  return u.replace(/^http/, 'hxxp').replace(/\./g, '[.]');
}

/** Mixed Japanese text: smishing-style sentences around real (defanged) phishing URLs, phones, hashes, prose. */
function mixedJapanese(bytes: number): string {
  const csv = readFileSync(new URL('jpcert-phishurl/202206.csv', SHARED), 'utf8').split('\n').slice(1);
  const urls = csv.map((l) => l.split(',')[1]).filter((u): u is string => !!u && u.startsWith('http'));
  const vectors = (
    JSON.parse(readFileSync(new URL('ioc-vectors/vectors.json', SHARED), 'utf8')) as { vectors: VectorCase[] }
  ).vectors;
  const templates = [
    (u: string) => `【重要】お客様のアカウントが一時停止されました。下記よりご確認ください。${defangUrl(u)}\n`,
    (u: string) => `お荷物のお届けにあがりましたが不在の為持ち帰りました。確認はこちら→${u}　期限：２４時間\n`,
    (u: string) => `相談者によると、SMS（送信元 080-1234-5678）で「${defangUrl(u)}」に誘導されたとのこと。\n`,
    (u: string) => `検体のSHA256：093e394933c4545ba7019f511961b9a5ab91156cf791f45de074acad03d1a44a（${u}から取得）\n`,
    () =>
      '本日午後、市内在住の男性から、警察官を名乗る者から電話があり、キャッシュカードを渡してしまったとの届出がありました。\n',
    () => '振込先は みずほ銀行 渋谷支店 普通 1234567 ヤマダ タロウ とのことで、口座凍結を依頼済み。\n',
  ];
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    const u = urls[i % urls.length]!;
    const t = templates[i % templates.length]!(u);
    const v = vectors[i % vectors.length]!.input;
    parts.push(t, v, '\n');
    size += Buffer.byteLength(t) + Buffer.byteLength(v) + 1;
    i++;
  }
  return parts.join('');
}

function mbPerSecond(bytes: number, fn: () => unknown): number {
  fn(); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return bytes / 1024 / 1024 / (best / 1000);
}

async function mbPerSecondAsync(bytes: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return bytes / 1024 / 1024 / (best / 1000);
}

const theirs = (text: string) => extractIOC(text.normalize('NFKC'), { refang: true });

/** ioc-extractor's result in our JSON shape (it has no phones, bank accounts or TLP). */
function theirsAsJson(text: string): ExtractJson {
  const r = theirs(text);
  const map: Array<[IocType, string[]]> = [
    ['url', r.urls],
    ['domain', r.domains],
    ['ipv4', r.ipv4s],
    ['ipv6', r.ipv6s],
    ['email', r.emails],
    ['md5', r.md5s],
    ['sha1', r.sha1s],
    ['sha256', r.sha256s],
    ['sha512', r.sha512s],
    ['ssdeep', r.ssdeeps],
    ['cve', r.cves],
    ['btc', r.btcs],
    ['eth', r.eths],
    ['xmr', r.xmrs],
    ['asn', r.asns],
  ];
  const out: ExtractJson = {};
  for (const [k, v] of map) if (v.length > 0) out[k] = v;
  return out;
}

function recall(extract: (s: string) => ExtractJson): { passed: number; total: number; failed: string[] } {
  const { vectors } = JSON.parse(readFileSync(new URL('ioc-vectors/vectors.json', SHARED), 'utf8')) as {
    vectors: VectorCase[];
  };
  const failed = vectors.filter((v) => checkVector(v, extract(v.input)).length > 0).map((v) => v.id);
  return { passed: vectors.length - failed.length, total: vectors.length, failed };
}

const text = mixedJapanese(targetMb * 1024 * 1024);
const textBytes = Buffer.byteLength(text);
const emlDirs = ['phishing-eml/phishing_pot/', 'phishing-eml/japanese/'];
const emls = emlDirs.flatMap((d) =>
  readdirSync(new URL(d, SHARED))
    .filter((f) => f.endsWith('.eml'))
    .map((f) => readFileSync(new URL(d + f, SHARED))),
);
const emlBytes = emls.reduce((n, b) => n + b.length, 0);
const emlTexts = emls.map((b) => b.toString('latin1'));

const oursText = mbPerSecond(textBytes, () => extractIocs(text, { snippets: false }));
const theirsText = mbPerSecond(textBytes, () => theirs(text));
const oursEmlRaw = mbPerSecond(emlBytes, () => {
  for (const t of emlTexts) extractIocs(t, { snippets: false });
});
const theirsEmlRaw = mbPerSecond(emlBytes, () => {
  for (const t of emlTexts) theirs(t);
});
const oursEmlParsed = await mbPerSecondAsync(emlBytes, async () => {
  for (const b of emls) emlToExtractJson((await extractEml(b)).findings);
});

const ours = recall((s) => toExtractJson(extractIocs(s)));
const other = recall(theirsAsJson);

const f = (n: number) => n.toFixed(2);
console.log(
  `node ${process.version}, ${rounds} rounds (best), mixed Japanese text ${f(textBytes / 1048576)} MB, e-mail corpus ${emls.length} files ${f(emlBytes / 1048576)} MB`,
);
console.log('| input | renkei MB/s | ioc-extractor MB/s | ratio (renkei / ioc-extractor) |');
console.log('|---|---|---|---|');
console.log(`| mixed Japanese text | ${f(oursText)} | ${f(theirsText)} | ${f(oursText / theirsText)} |`);
console.log(
  `| e-mail corpus, raw .eml as text | ${f(oursEmlRaw)} | ${f(theirsEmlRaw)} | ${f(oursEmlRaw / theirsEmlRaw)} |`,
);
console.log(`| e-mail corpus, parsed (mailparser + hashes + HTML links) | ${f(oursEmlParsed)} | — | — |`);
console.log(
  `recall on vectors.json: renkei ${ours.passed}/${ours.total}, ioc-extractor ${other.passed}/${other.total}`,
);
if (ours.failed.length) console.log(`renkei fails: ${ours.failed.join(', ')}`);
console.log(`ioc-extractor fails: ${other.failed.join(', ')}`);
