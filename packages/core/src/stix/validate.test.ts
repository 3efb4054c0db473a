import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interopIssuesOfObject, knownStixTypes } from './schema.ts';
import { compareTimestamps, validateBundle, validateStixObject } from './semantic.ts';

const SHARED = join(import.meta.dirname, '../../../../../shared/data');
const EXAMPLES = join(SHARED, 'stix2-examples');
const expected = JSON.parse(readFileSync(join(EXAMPLES, 'expected-counts.json'), 'utf8')) as Record<
  string,
  { objects: number }
>;
const negative = JSON.parse(readFileSync(join(EXAMPLES, 'negative/invalid-indicator-cases.json'), 'utf8')) as {
  cases: Array<{ id: string; bundle: { objects: Array<Record<string, unknown>> }; json_schema_detects: boolean }>;
};

describe('vendored schemas', () => {
  it('are the shared official schemas, byte for byte', () => {
    for (const folder of ['common', 'sdos', 'sros', 'observables']) {
      const shared = join(SHARED, 'stix2-schemas/schemas', folder);
      const ours = join(import.meta.dirname, 'data/schemas', folder);
      expect(readdirSync(ours).sort()).toEqual(readdirSync(shared).sort());
      for (const name of readdirSync(shared)) {
        expect(readFileSync(join(ours, name), 'utf8'), name).toBe(readFileSync(join(shared, name), 'utf8'));
      }
    }
  });
});

describe('validateBundle', () => {
  it('knows every type of the official schemas', () => {
    expect(knownStixTypes()).toHaveLength(41);
    expect(knownStixTypes()).toContain('x509-certificate');
  });

  it.each(Object.keys(expected))('accepts the official example %s', (file) => {
    const bundle = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as { objects: unknown[] };
    expect(bundle.objects).toHaveLength(expected[file]!.objects);
    expect(validateBundle(bundle)).toEqual({ valid: true, issues: [] });
  });

  it('has the 12 invalid cases, 5 of which the schemas cannot catch', () => {
    expect(negative.cases).toHaveLength(12);
    expect(negative.cases.filter((c) => !c.json_schema_detects)).toHaveLength(5);
  });

  it.each(negative.cases.map((c) => [c.id, c] as const))('refuses %s with a reason naming the object', (_id, c) => {
    const result = validateBundle(c.bundle);
    expect(result.valid).toBe(false);
    const issue = result.issues[0]!;
    expect(issue.path).toMatch(/^\/objects\/0/);
    expect(issue.message.length).toBeGreaterThan(5);
    if (c.id !== 'neg-missing-id') expect(issue.objectId).toMatch(/--/);
    expect(issue.rule).toBe(
      c.json_schema_detects ? 'schema' : c.id === 'neg-bad-pattern-syntax' ? 'pattern' : 'semantic',
    );
  });

  it('gives the property that is wrong for each case the schemas miss', () => {
    const paths = Object.fromEntries(
      negative.cases
        .filter((c) => !c.json_schema_detects)
        .map((c) => [c.id, validateBundle(c.bundle).issues.map((i) => i.path)]),
    );
    expect(paths).toEqual({
      'neg-spec-version-20': ['/objects/0/spec_version'],
      'neg-modified-before-created': ['/objects/0/modified'],
      'neg-valid-until-before-valid-from': ['/objects/0/valid_until'],
      'neg-bad-pattern-syntax': ['/objects/0/pattern'],
      'neg-created-by-ref-wrong-type': ['/objects/0/created_by_ref'],
    });
  });

  it('refuses a bad envelope, a 2.0 bundle and duplicate objects', () => {
    expect(validateBundle({ type: 'bundle' }).issues[0]).toMatchObject({ path: '/id', rule: 'schema' });
    expect(validateBundle([]).valid).toBe(false);
    const indicator = negative.cases[0]!.bundle.objects[0]!;
    const ok = { ...indicator, id: 'indicator--d81f86b9-975b-4c0b-875e-810c5ad45a4f' };
    const base = { type: 'bundle', id: 'bundle--56be2a3b-1534-4bef-8fe9-602926274089' };
    expect(validateBundle({ ...base, objects: [ok] }).valid).toBe(true);
    expect(validateBundle({ ...base, spec_version: '2.0', objects: [ok] }).issues[0]!.path).toBe('/spec_version');
    expect(validateBundle({ ...base, objects: [ok, ok] }).issues[0]!.message).toMatch(/twice/);
  });

  it('accepts custom objects that follow the common rules and refuses those that do not', () => {
    const phone = {
      type: 'x-phone-number',
      id: 'x-phone-number--d81f86b9-975b-4c0b-875e-810c5ad45a4f',
      value: '+81312345678',
    };
    expect(validateStixObject(phone)).toEqual([]);
    expect(validateStixObject({ ...phone, id: 'phone' })).toHaveLength(1);
  });

  it('checks the interop profile: an indicator needs created_by_ref', () => {
    const indicator = {
      ...negative.cases[0]!.bundle.objects[0]!,
      id: 'indicator--d81f86b9-975b-4c0b-875e-810c5ad45a4f',
    };
    expect(interopIssuesOfObject(indicator)[0]).toMatchObject({ rule: 'interop', path: '/created_by_ref' });
    expect(
      interopIssuesOfObject({ ...indicator, created_by_ref: 'identity--d81f86b9-975b-4c0b-875e-810c5ad45a4f' }),
    ).toEqual([]);
  });

  it('compares timestamps beyond milliseconds', () => {
    expect(compareTimestamps('2020-01-01T00:00:00.0001Z', '2020-01-01T00:00:00Z')).toBeGreaterThan(0);
    expect(compareTimestamps('2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00Z')).toBe(0);
    expect(compareTimestamps('2019-12-31T23:59:59.999Z', '2020-01-01T00:00:00Z')).toBeLessThan(0);
  });
});
