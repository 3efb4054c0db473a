import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BRANDS, buildBrandIndex, editDistance, scoreBrand, skeleton, THRESHOLD } from './index.ts';

const brandOf = (input: string): string | null => scoreBrand(input).brand;

describe('official domains', () => {
  it('every listed official domain, its subdomains and URLs on it give null', () => {
    for (const b of BRANDS) {
      for (const d of b.domains) {
        for (const input of [d, `www.${d}`, `https://login.${d}/${b.words[0] ?? ''}/signin`, `${d.toUpperCase()}.`]) {
          const v = scoreBrand(input);
          expect(v.brand, input).toBeNull();
          expect(v.officialOf, input).toBe(BRANDS.find((x) => x.domains.includes(d))?.label);
        }
      }
    }
  });

  it('a brand name inside another official domain stays null (Amazon link on a Yahoo! JAPAN page)', () => {
    expect(brandOf('https://search.yahoo.co.jp/search?p=amazon')).toBeNull();
  });
});

describe('clear look-alikes name the brand with the JPCERT/CC label', () => {
  it.each([
    ['https://www.amazon.co.jp.evil-example.cn/ap/signin', 'Amazon'], // official domain in the subdomain
    ['https://www-amazon-co-jp.evil-example.top/', 'Amazon'], // hyphenated official domain
    ['amazon.xyz', 'Amazon'], // TLD swap
    ['https://amaz0n-jp.example.com/', 'Amazon'], // confusable digit
    ['http://arnazon.co/', 'Amazon'], // rn for m (TR39 skeleton)
    ['https://amzaon.net/', 'Amazon'], // transposition
    ['https://epos-card.example.cn/', 'エポスカード'], // brand in the subdomain
    ['https://smbc-card-security.example/', '三井住友カード'], // hyphenated brand + word
    ['https://eki-net-login.info/', 'えきねっと'],
    ['https://mufgcard-update.example.top/', '三菱UFJニコス'],
    ['https://saison-netanswer.example.cn/', 'SAISON CARD'],
    ['https://auone-jp.example.cn/', 'au'],
    ['https://www.nhk.plus.example.com/', 'NHKプラス'], // brand split over two labels
    ['https://mercari-jp.duckdns.org/', 'メルカリ'], // brand in a free-hosting subdomain
    ['https://evil.example/jcb/login.php', 'JCB'], // brand as a path directory
    ['https://www.amazon.co.jp@evil.example/', 'Amazon'], // user-info trick
    ['hxxps://rakuten-card[.]co[.]jp[.]evil[.]cn/', '楽天カード'], // defanged
  ])('%s → %s', (input, label) => {
    const v = scoreBrand(input);
    expect(v.brand).toBe(label);
    expect(v.score).toBeGreaterThanOrEqual(THRESHOLD);
    expect(v.score).toBeLessThanOrEqual(1);
    expect(v.signals.length).toBeGreaterThan(0);
  });

  it('prefers the longer, more specific brand word (NHKプラス over NHK, 楽天カード over 楽天)', () => {
    expect(brandOf('https://nhkplus-login.example.cn/')).toBe('NHKプラス');
    expect(brandOf('https://rakuten-card.example.cn/')).toBe('楽天カード');
  });
});

describe('punycode homographs', () => {
  it('a Cyrillic а in amazon.co.jp is named Amazon', () => {
    const ascii = domainToASCII('аmazon.co.jp'); // U+0430
    expect(ascii.startsWith('xn--')).toBe(true);
    expect(brandOf(ascii)).toBe('Amazon');
    expect(brandOf(`https://${ascii}/gp/signin`)).toBe('Amazon');
    expect(brandOf('https://аmazon.co.jp/')).toBe('Amazon'); // the Unicode form too
  });

  it('a Greek ο in mercari.com and a Cyrillic е in eposcard are named', () => {
    expect(brandOf(domainToASCII('mercari.cοm.example.cn'))).toBe('メルカリ');
    expect(brandOf(domainToASCII('еposcard.com'))).toBe('エポスカード');
  });

  it('a Japanese IDN with the brand name is named', () => {
    expect(brandOf(domainToASCII('アマゾン-ログイン.com'))).toBe('Amazon');
  });
});

describe('no brand, no guess', () => {
  it.each([
    'https://www.example.com/',
    'https://news.example.jp/article/123',
    'https://kfzaom.com',
    'https://com.5xpkpo.cn', // "com" is not J:COM
    'https://gooey-example.net/', // short names only count as whole tokens
    'http://192.0.2.1/',
  ])('%s → null', (input) => {
    expect(brandOf(input)).toBeNull();
  });

  it('garbage never throws and gives null with a score in 0..1', () => {
    for (const input of ['', ' ', '%%%', 'http://', '://', '[::1', 'a'.repeat(5000), '\u0000\uffff', '.'.repeat(300)]) {
      const v = scoreBrand(input);
      expect(v.brand).toBeNull();
      expect(v.score).toBeGreaterThanOrEqual(0);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const v = scoreBrand(s);
        return v.score >= 0 && v.score <= 1 && (v.brand === null || BRANDS.some((b) => b.label === v.brand));
      }),
      { numRuns: 500 },
    );
  });
});

describe('building blocks', () => {
  it('skeleton folds confusables per TR39 (Cyrillic, digits, rn/m, full-width)', () => {
    expect(skeleton('аmazon')).toBe(skeleton('amazon'));
    expect(skeleton('arnazon')).toBe(skeleton('amazon'));
    expect(skeleton('paypa1')).toBe(skeleton('paypal'));
    expect(skeleton('ａｍａｚｏｎ')).toBe(skeleton('amazon'));
    expect(skeleton('amazon')).not.toBe(skeleton('amazom'));
  });

  it('edit distance counts a swap as one step and stops past the budget', () => {
    expect(editDistance('amazon', 'amzaon')).toBe(1);
    expect(editDistance('amazon', 'amazom')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abcdefgh', 'zzzzzzzz', 2)).toBe(3);
  });

  it('a brand list given by the caller is used instead of the shipped one', () => {
    const index = buildBrandIndex([
      { label: 'Example Bank', sector: 'bank', domains: ['examplebank.jp'], words: ['examplebank'], ja: [] },
    ]);
    expect(scoreBrand('examplebank-login.cn', index).brand).toBe('Example Bank');
    expect(scoreBrand('www.examplebank.jp', index).brand).toBeNull();
    expect(scoreBrand('amazon-login.cn', index).brand).toBeNull();
  });

  it('labels and official domains are unique, words are lower-case ASCII', () => {
    expect(new Set(BRANDS.map((b) => b.label)).size).toBe(BRANDS.length);
    const domains = BRANDS.flatMap((b) => b.domains);
    expect(new Set(domains).size).toBe(domains.length);
    for (const b of BRANDS) for (const w of b.words) expect(w).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('observables', () => {
  it('url and domain observables get a verdict, other types none', async () => {
    const { brandOfObservable } = await import('./index.ts');
    expect(brandOfObservable('domain', 'eposcard.co.jp.evil-example.cn')?.brand).toBe('エポスカード');
    expect(brandOfObservable('url', 'https://www.eposcard.co.jp/')?.brand).toBeNull();
    expect(brandOfObservable('ipv4', '192.0.2.1')).toBeUndefined();
    expect(brandOfObservable('email', 'support@amazon-jp.example')).toBeUndefined();
  });
});
