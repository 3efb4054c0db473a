/**
 * Markers of hosting "account suspended" pages and of domain parking pages (lower-cased substrings of the body).
 * Phishing sites that were taken down usually end on one of these rather than disappearing from DNS.
 */
export const SUSPENDED_MARKERS: readonly string[] = [
  'this account has been suspended',
  'account suspended',
  'suspendedpage.cgi',
  'website is suspended',
  'this site has been suspended',
  'site not available',
  'this website has been disabled',
  'this domain has been suspended',
  'has been terminated for violation',
  'phishing site has been removed',
  // Japanese hosting and registrar pages
  'アカウントは停止',
  'アカウントが停止',
  'このサイトは停止',
  'サイトは現在停止',
  '公開を停止',
  '利用停止',
  'ご利用を停止',
  'サービスを停止しております',
  '一時停止中',
  '凍結されています',
  'このページは現在ご利用いただけません',
];

export const PARKED_MARKERS: readonly string[] = [
  'this domain is parked',
  'domain is for sale',
  'buy this domain',
  'this domain may be for sale',
  'parked free',
  'sedoparking',
  'parkingcrew',
  'bodis.com',
  'domain parking',
  'parked by',
  'future home of something quite cool',
  // Japanese registrar parking / "not yet uploaded" pages
  'このドメインは',
  'で取得されています',
  'ドメインパーキング',
  'このドメインは売り出し中',
  'ホームページがアップロードされていません',
  'ただいま準備中',
  'お名前.com',
  'ムームードメイン',
];

/** Whether a fetched page is a suspended or parked page; markers are matched in the first 256 KiB. */
export function pageKind(body: Buffer, contentType: string | undefined): 'suspended' | 'parked' | null {
  if (contentType && !/text|html|xml/i.test(contentType)) return null;
  const text = body
    .subarray(0, 256 * 1024)
    .toString('utf8')
    .toLowerCase();
  if (SUSPENDED_MARKERS.some((m) => text.includes(m))) return 'suspended';
  // A parking marker alone is weak ("このドメインは" appears on ordinary pages): require two, or one with a short page.
  const parked = PARKED_MARKERS.filter((m) => text.includes(m)).length;
  if (parked >= 2 || (parked === 1 && text.length < 4096)) return 'parked';
  return null;
}
