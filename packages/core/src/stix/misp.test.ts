import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IOC_TYPES, type IocRole, type IocType } from '../ioc/types.ts';
import { MISP_TYPES_READ, mispAttributeFor, observablesFromMispAttribute } from './misp.ts';
import {
  MispFormatError,
  mispEventAttributes,
  mispEventFileName,
  mispHashesCsv,
  mispHashRows,
  mispManifestEntry,
  parseMispHashesCsv,
  parseMispManifest,
  unwrapMispEvent,
} from './mispFeed.ts';
import { papTag, strictestTlp, TLP_LEVELS, tlpPapFromTags, tlpTag } from './tlp.ts';

const MISP = join(import.meta.dirname, '../../../../../shared/data/misp');
const describeTypes = (
  JSON.parse(readFileSync(join(MISP, 'pymisp-data/describeTypes.json'), 'utf8')) as {
    result: { types: string[]; category_type_mappings: Record<string, string[]> };
  }
).result;

const SAMPLES: Record<Exclude<IocType, 'tlp'>, string> = {
  url: 'http://example.jp/login',
  domain: 'example.jp',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  email: 'taro@example.jp',
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  sha512: 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce',
  ssdeep: '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C',
  cve: 'CVE-2024-12345',
  btc: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  eth: '0x52908400098527886e0f7030069857d2e4169ee7',
  xmr: '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A',
  phone: '+81312345678',
  bank_account: '0001-001-1-1234567',
  asn: 'AS13335',
};

describe('MISP attribute types', () => {
  it('writes only types and categories that describeTypes allows', () => {
    const roles: Array<IocRole | undefined> = [undefined, 'sender', 'reply_to', 'recipient', 'return_path'];
    for (const type of IOC_TYPES) {
      for (const role of roles) {
        const spec = mispAttributeFor(type, type === 'tlp' ? 'TLP:RED' : SAMPLES[type], role);
        if (type === 'tlp') {
          expect(spec).toBeNull();
          continue;
        }
        expect(describeTypes.types, type).toContain(spec!.type);
        expect(describeTypes.category_type_mappings[spec!.category], `${type} ${spec!.category}`).toContain(spec!.type);
      }
    }
  });

  it('reads only types describeTypes knows', () => {
    for (const t of MISP_TYPES_READ) expect(describeTypes.types).toContain(t);
  });

  it.each(Object.entries(SAMPLES))('round-trips %s through a MISP attribute', (type, value) => {
    const spec = mispAttributeFor(type as IocType, value)!;
    expect(observablesFromMispAttribute(spec)).toEqual([{ type, value }]);
  });

  it('reads composite, legacy and differently written values into our canonical forms and roles', () => {
    const read = (type: string, value: string, comment?: string) =>
      observablesFromMispAttribute({ type, value, comment });
    expect(read('domain|ip', 'Example.JP|2001:DB8::1')).toEqual([
      { type: 'domain', value: 'example.jp' },
      { type: 'ipv6', value: '2001:db8::1' },
    ]);
    expect(read('filename|sha256', `a.exe|${SAMPLES.sha256.toUpperCase()}`)).toEqual([
      { type: 'sha256', value: SAMPLES.sha256 },
    ]);
    expect(read('ip-src|port', '198.51.100.0/24|443')).toEqual([{ type: 'ipv4', value: '198.51.100.0/24' }]);
    expect(read('AS', '13335')).toEqual([{ type: 'asn', value: 'AS13335' }]);
    expect(read('phone-number', '03-1234-5678')).toEqual([{ type: 'phone', value: '+81312345678' }]);
    expect(read('email-src', 'Sender@Example.JP')).toEqual([
      { type: 'email', value: 'Sender@example.jp', role: 'sender' },
    ]);
    expect(read('target-email', 'victim@example.jp')).toEqual([
      { type: 'email', value: 'victim@example.jp', role: 'victim' },
    ]);
    expect(read('hostname', 'www.example.jp')).toEqual([{ type: 'domain', value: 'www.example.jp' }]);
  });

  it('does not read references, free text or broken values as observables', () => {
    const read = (type: string, value: string) => observablesFromMispAttribute({ type, value });
    expect(read('link', 'https://www.virustotal.com/file/x/analysis/')).toEqual([]);
    expect(read('text', 'http://example.jp/')).toEqual([]);
    expect(read('filename', 'a.exe')).toEqual([]);
    expect(read('other', SAMPLES.eth)).toEqual([]);
    expect(read('ip-dst', '999.1.1.1')).toEqual([]);
    expect(read('vulnerability', 'not a cve')).toEqual([]);
  });
});

describe('TLP and PAP tags', () => {
  it('round-trips every level and picks the most restrictive', () => {
    for (const level of TLP_LEVELS) expect(tlpPapFromTags([tlpTag(level)]).tlp).toBe(level);
    expect(tlpPapFromTags(['tlp:green', 'TLP:AMBER+STRICT', 'PAP:GREEN', papTag('amber')])).toEqual({
      tlp: 'amber+strict',
      pap: 'amber',
    });
    expect(tlpPapFromTags(['tlp:white', 'PAP:WHITE'])).toEqual({ tlp: 'clear', pap: 'clear' });
    expect(
      tlpPapFromTags(['tlp:ex:chr', 'tlp:unclear', 'circl:incident-classification="malware"', 'tlp:"red"']),
    ).toEqual({ tlp: 'red', pap: null });
    expect(tlpPapFromTags([])).toEqual({ tlp: null, pap: null });
    expect(strictestTlp(['clear', 'red', 'amber'])).toBe('red');
  });

  it('knows every value of the shared tlp and PAP taxonomies except the two without a level', () => {
    for (const [file, prefix] of [
      ['tlp', 'tlp'],
      ['PAP', 'PAP'],
    ] as const) {
      const taxonomy = JSON.parse(readFileSync(join(MISP, 'taxonomies', file, 'machinetag.json'), 'utf8')) as {
        predicates: Array<{ value: string }>;
      };
      for (const { value } of taxonomy.predicates) {
        const read = tlpPapFromTags([`${prefix}:${value}`]);
        const level = prefix === 'tlp' ? read.tlp : read.pap;
        if (['ex:chr', 'unclear'].includes(value)) expect(level).toBeNull();
        else expect(level, value).not.toBeNull();
      }
    }
  });
});

describe('MISP events and feeds', () => {
  const tests = join(MISP, 'pymisp-tests/tests');
  const files = [
    ...['57c4445b-c548-4654-af0b-4be3950d210f.json', 'misp_event.json', 'new_misp_event.json'].map((f) =>
      join(tests, f),
    ),
    ...readdirSync(join(tests, 'mispevent_testfiles'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(tests, 'mispevent_testfiles', f)),
  ];

  it('reads the PyMISP test events with and without the Event wrapper', () => {
    let read = 0;
    for (const file of files) {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const inner = (doc.Event ?? doc) as Record<string, unknown>;
      if (typeof inner.info !== 'string') continue;
      const event = unwrapMispEvent(doc);
      expect(unwrapMispEvent(inner)).toEqual(event);
      expect(event.info).toBe(inner.info);
      read++;
    }
    expect(read).toBeGreaterThan(5);
  });

  it('refuses what is not an event with a reason', () => {
    expect(() => unwrapMispEvent([])).toThrow(MispFormatError);
    expect(() => unwrapMispEvent({ Event: { uuid: 'x' } })).toThrow(/no info/);
    expect(() => unwrapMispEvent({ info: 'x' }, { requireUuid: true })).toThrow(/uuid/);
    expect(() => unwrapMispEvent({ info: 'x', Attribute: [{ type: 'url' }] })).toThrow(/Attribute 0/);
    expect(() => unwrapMispEvent({ info: 'x', Attribute: {} })).toThrow(/not a list/);
  });

  it('builds manifest entries, hashes.csv rows and file names that read back', () => {
    const event = unwrapMispEvent(
      JSON.parse(readFileSync(join(tests, '57c4445b-c548-4654-af0b-4be3950d210f.json'), 'utf8')),
    );
    const text = JSON.stringify({ Event: event });
    const entry = mispManifestEntry(event, text);
    expect(entry).toMatchObject({ info: event.info, timestamp: event.timestamp, date: event.date, Orgc: event.Orgc });
    expect(entry['integrity:sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(parseMispManifest({ [event.uuid]: entry })[event.uuid]).toEqual(entry);
    const rows = mispHashRows(event);
    const parts = mispEventAttributes(event).map(({ attribute: a }) =>
      a.type.includes('|') ? a.value.split('|').length : 1,
    );
    expect(rows).toHaveLength(parts.reduce((x, y) => x + y, 0));
    expect(parseMispHashesCsv(mispHashesCsv([event]))).toEqual(rows);
    expect(mispEventFileName(event.uuid)).toBe(`${event.uuid}.json`);
    expect(() => parseMispManifest({ 'not-a-uuid': entry })).toThrow(MispFormatError);
    expect(() => parseMispHashesCsv('abc,def')).toThrow(/line 1/);
  });

  it('hashes composite values part by part, as PyMISP does', () => {
    const rows = mispHashRows({
      uuid: '57c4445b-c548-4654-af0b-4be3950d210f',
      info: 'x',
      Object: [
        { name: 'file', Attribute: [{ type: 'filename|md5', value: 'a.exe|d41d8cd98f00b204e9800998ecf8427e' }] },
      ],
    });
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    expect(rows).toEqual([
      [md5('a.exe'), '57c4445b-c548-4654-af0b-4be3950d210f'],
      [md5('d41d8cd98f00b204e9800998ecf8427e'), '57c4445b-c548-4654-af0b-4be3950d210f'],
    ]);
  });
});
