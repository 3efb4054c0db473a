// STIX 2.1 rules the JSON schemas cannot express: versions, reference targets, time order, pattern syntax.
import { parsePattern } from './patternParse.ts';
import { type StixIssue, schemaIssuesOfEnvelope, schemaIssuesOfObject } from './schema.ts';

type Json = Record<string, unknown>;

/** Pairs `[earlier, later, strict]`: the later timestamp must not be before (strict: must be after) the earlier. */
const TIME_ORDER: Array<[string, string, boolean]> = [
  ['created', 'modified', false],
  ['valid_from', 'valid_until', true],
  ['first_seen', 'last_seen', false],
  ['first_observed', 'last_observed', false],
  ['start_time', 'stop_time', true],
];

/** Reference properties whose target type the spec fixes (the schemas check only the id's form, not always the type). */
const REF_TYPES: Record<string, string[]> = {
  created_by_ref: ['identity'],
  object_marking_refs: ['marking-definition'],
  where_sighted_refs: ['identity', 'location'],
  observed_data_refs: ['observed-data'],
};

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

/** Compares two RFC 3339 timestamps exactly (fractions beyond milliseconds too); NaN when one does not parse. */
export function compareTimestamps(a: string, b: string): number {
  if (!RFC3339.test(a) || !RFC3339.test(b)) return Number.NaN;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return Number.NaN;
  if (ta !== tb) return ta - tb;
  const fa = /\.(\d+)/.exec(a)?.[1] ?? '';
  const fb = /\.(\d+)/.exec(b)?.[1] ?? '';
  const width = Math.max(fa.length, fb.length);
  return fa.padEnd(width, '0').localeCompare(fb.padEnd(width, '0'));
}

function typeOfRef(ref: string): string {
  const at = ref.indexOf('--');
  return at < 0 ? '' : ref.slice(0, at);
}

/**
 * The semantic rules for one object: spec_version is 2.1; created_by_ref names an identity (and the other typed refs
 * their types); modified not before created, valid_until after valid_from, last_seen not before first_seen…; an
 * indicator with pattern_type `stix` has a pattern the grammar accepts.
 */
export function semanticIssuesOfObject(object: unknown, path = ''): StixIssue[] {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return [];
  const o = object as Json;
  const objectId = typeof o.id === 'string' ? o.id : null;
  const issues: StixIssue[] = [];
  const add = (property: string, message: string, rule: StixIssue['rule'] = 'semantic'): void => {
    issues.push({ objectId, path: `${path}/${property}`, rule, message });
  };
  if (o.spec_version !== undefined && o.spec_version !== '2.1') {
    add('spec_version', `spec_version must be 2.1 in a STIX 2.1 bundle, not ${JSON.stringify(o.spec_version)}`);
  }
  for (const [property, types] of Object.entries(REF_TYPES)) {
    const value = o[property];
    const refs = Array.isArray(value) ? value : value === undefined ? [] : [value];
    refs.forEach((ref, i) => {
      if (typeof ref === 'string' && !types.includes(typeOfRef(ref))) {
        const where = Array.isArray(value) ? `${property}/${i}` : property;
        add(where, `${property} must point to ${types.join(' or ')}, not ${typeOfRef(ref) || ref}`);
      }
    });
  }
  for (const [earlier, later, strict] of TIME_ORDER) {
    const a = o[earlier];
    const b = o[later];
    if (typeof a !== 'string' || typeof b !== 'string') continue;
    const order = compareTimestamps(a, b);
    if (order > 0 || (strict && order === 0)) {
      add(later, `${later} (${b}) must be ${strict ? 'after' : 'no earlier than'} ${earlier} (${a})`);
    }
  }
  if (o.type === 'indicator' && o.pattern_type === 'stix' && typeof o.pattern === 'string') {
    const result = parsePattern(o.pattern);
    if (!result.ok) {
      const e = result.errors[0]!;
      add('pattern', `pattern is not a valid STIX pattern (${e.line}:${e.column} ${e.message})`, 'pattern');
    }
  }
  return issues;
}

/** Schema and semantic issues of one object: what a streaming import calls for each object it reads. */
export function validateStixObject(object: unknown, path = ''): StixIssue[] {
  const schema = schemaIssuesOfObject(object, path);
  return [...schema, ...semanticIssuesOfObject(object, path)];
}

export interface BundleValidation {
  valid: boolean;
  issues: StixIssue[];
}

/**
 * Validates a parsed STIX 2.1 bundle: envelope and every object against the official schemas, then the semantic
 * rules; also a bundle that declares `spec_version` (a STIX 2.0 bundle) and duplicate objects (same id and modified).
 * Stops collecting after `maxIssues` (default 100).
 */
export function validateBundle(bundle: unknown, options: { maxIssues?: number } = {}): BundleValidation {
  const max = options.maxIssues ?? 100;
  const issues = schemaIssuesOfEnvelope(bundle);
  if (issues.length > 0) return { valid: false, issues };
  const b = bundle as Json;
  const bundleId = typeof b.id === 'string' ? b.id : null;
  if (b.spec_version !== undefined) {
    issues.push({
      objectId: bundleId,
      path: '/spec_version',
      rule: 'semantic',
      message: `a STIX 2.1 bundle has no spec_version (this looks like STIX ${String(b.spec_version)})`,
    });
  }
  const objects = Array.isArray(b.objects) ? b.objects : [];
  const seen = new Set<string>();
  for (let i = 0; i < objects.length && issues.length < max; i++) {
    const object = objects[i] as unknown;
    issues.push(...validateStixObject(object, `/objects/${i}`));
    const o = object as Json;
    if (typeof o?.id === 'string') {
      const key = `${o.id} ${typeof o.modified === 'string' ? o.modified : ''}`;
      if (seen.has(key)) {
        issues.push({
          objectId: o.id,
          path: `/objects/${i}/id`,
          rule: 'semantic',
          message: 'the same object twice (same id and modified)',
        });
      }
      seen.add(key);
    }
  }
  return { valid: issues.length === 0, issues: issues.slice(0, max) };
}
