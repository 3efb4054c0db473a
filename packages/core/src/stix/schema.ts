// JSON-schema validation against the official STIX 2.1 schemas (oasis-open/cti-stix2-json-schemas @3bf9e69,
// BSD-3-Clause, vendored in data/schemas with their LICENSE; the interop profile in data/interop). Draft 2020-12,
// every $ref resolved from the vendored files by $id: nothing is fetched.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DATA = join(import.meta.dirname, 'data');
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/';

/** One reason an object or bundle is refused. */
export interface StixIssue {
  /** The object's id when it has one (`indicator--…`), the bundle's id for envelope problems, else null. */
  objectId: string | null;
  /** JSON pointer inside the bundle (`/objects/3/valid_until`), or inside the object when validated alone. */
  path: string;
  /** `schema`: the official JSON schemas; `semantic`: spec rules they cannot express; `pattern`: pattern syntax. */
  rule: 'schema' | 'semantic' | 'pattern' | 'interop';
  message: string;
}

/** Schema $ids by object type; ajv compiles each on first use (all 57 at once take seconds). */
interface Compiled {
  ajv: Ajv2020;
  byType: Map<string, string>;
  custom: ValidateFunction;
  interop: Map<string, string>;
  envelope: ValidateFunction;
}

let compiled: Compiled | null = null;

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJson(full));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out;
}

/** Host names with Unicode labels: valid when their IDNA A-label form is a valid host name. */
function idnHostname(value: string): boolean {
  const ascii = domainToASCII(value);
  return (
    ascii.length > 0 &&
    ascii.length <= 253 &&
    ascii.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(label))
  );
}

function compile(): Compiled {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: false, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat('idn-hostname', idnHostname);
  const byType = new Map<string, string>();
  const interopFiles: Array<[string, string]> = [];
  for (const file of listJson(join(DATA, 'schemas'))) ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')));
  // Two upstream interop files carry a wrong $id (course-of-action says campaign.json, observed-data has an extra
  // /schemas/): each is registered under the $id its file name implies, so its relative $refs resolve.
  for (const name of readdirSync(join(DATA, 'interop'))) {
    if (!name.endsWith('.json')) continue;
    const id = `${BASE}interop/${name}`;
    ajv.addSchema({ ...JSON.parse(readFileSync(join(DATA, 'interop', name), 'utf8')), $id: id });
    interopFiles.push([name.slice(0, -'.json'.length), id]);
  }
  for (const folder of ['sdos', 'sros', 'observables']) {
    for (const file of readdirSync(join(DATA, 'schemas', folder))) {
      const type = file.slice(0, -'.json'.length);
      byType.set(type, `${BASE}schemas/${folder}/${file}`);
    }
  }
  for (const type of ['language-content', 'marking-definition']) {
    byType.set(type, `${BASE}schemas/common/${type}.json`);
  }
  const interop = new Map<string, string>();
  for (const [name, id] of interopFiles) if (name !== 'core') interop.set(name, id);
  // Custom objects: the second branch of bundle.json's `objects.items.anyOf`, i.e. core or cyber-observable core.
  const custom = ajv.compile({
    oneOf: [{ $ref: `${BASE}schemas/common/core.json` }, { $ref: `${BASE}schemas/common/cyber-observable-core.json` }],
  });
  // bundle.json without its `objects` (each object is checked on its own, with the matching schema, for clear reasons).
  const envelope = ajv.compile({
    type: 'object',
    properties: {
      type: { enum: ['bundle'] },
      id: { allOf: [{ $ref: `${BASE}schemas/common/identifier.json` }, { pattern: '^bundle--' }] },
      objects: { type: 'array', minItems: 1 },
    },
    required: ['type', 'id'],
  });
  compiled = { ajv, byType, custom, interop, envelope };
  return compiled;
}

/** The STIX object types the official schemas define (SDOs, SROs, SCOs, language-content, marking-definition). */
export function knownStixTypes(): string[] {
  return [...compile().byType.keys()].sort();
}

function issuesOf(
  errors: ErrorObject[] | null | undefined,
  objectId: string | null,
  prefix: string,
  rule: StixIssue['rule'],
): StixIssue[] {
  if (!errors || errors.length === 0)
    return [{ objectId, path: prefix || '/', rule, message: 'does not match the schema' }];
  const first = errors[0]!;
  const extra =
    first.params && 'allowedValues' in first.params ? `: ${JSON.stringify(first.params.allowedValues)}` : '';
  const missing = first.params && 'missingProperty' in first.params ? `/${String(first.params.missingProperty)}` : '';
  return [
    {
      objectId,
      path: `${prefix}${first.instancePath}${missing}` || '/',
      rule,
      message: `${first.message ?? 'invalid'}${extra}`,
    },
  ];
}

function idOf(object: unknown): string | null {
  if (object && typeof object === 'object' && 'id' in object && typeof object.id === 'string') return object.id;
  return null;
}

/**
 * Checks one STIX object with the schema of its type (or, for a type the spec does not define, the custom-object
 * rules of bundle.json). `path` is the pointer prefix to report, e.g. `/objects/3`. At most one issue: ajv stops at
 * the first error, which is the clearest reason.
 */
export function schemaIssuesOfObject(object: unknown, path = ''): StixIssue[] {
  const { ajv, byType, custom } = compile();
  const objectId = idOf(object);
  if (!object || typeof object !== 'object' || Array.isArray(object)) {
    return [{ objectId: null, path: path || '/', rule: 'schema', message: 'must be an object' }];
  }
  const type = 'type' in object && typeof object.type === 'string' ? object.type : null;
  const id = type ? byType.get(type) : undefined;
  const validate = id ? ajv.getSchema(id)! : custom;
  return validate(object) ? [] : issuesOf(validate.errors, objectId, path, 'schema');
}

/** Checks a bundle's envelope (`type`, `id`, `objects` is a non-empty array), not its objects. */
export function schemaIssuesOfEnvelope(bundle: unknown): StixIssue[] {
  const { envelope } = compile();
  return envelope(bundle) ? [] : issuesOf(envelope.errors, idOf(bundle), '', 'schema');
}

/**
 * The interop profile (cti-stix2-json-schemas/interop): stricter rules partners' tools expect of what we send, e.g.
 * an indicator needs `name`, `indicator_types` and `created_by_ref`, and at most one TLP marking. Types without an
 * interop schema pass.
 */
export function interopIssuesOfObject(object: unknown, path = ''): StixIssue[] {
  const { ajv, interop } = compile();
  const type = object && typeof object === 'object' && 'type' in object ? String(object.type) : '';
  const id = interop.get(type);
  const validate = id ? ajv.getSchema(id)! : null;
  if (!validate || validate(object)) return [];
  return issuesOf(validate.errors, idOf(object), path, 'interop');
}
