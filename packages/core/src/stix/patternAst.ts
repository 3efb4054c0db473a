// The typed tree that `parsePattern` returns: a plain, serialisable view of the STIX 2.1 patterning language
// (spec §9), independent of the ANTLR parse tree it is built from.

/** A literal value on the right-hand side of a comparison. Strings are unescaped; binary stays base64, hex stays hex. */
export type PatternLiteral =
  | { type: 'string'; value: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'timestamp'; value: string }
  | { type: 'binary'; value: string }
  | { type: 'hex'; value: string };

/** One step after the first property: `.key`, `.'quoted key'`, `[3]`, `[-1]` or `[*]`. */
export type PathStep = { key: string } | { index: number | '*' };

/** `file:hashes.'SHA-256'` → `{ objectType: 'file', property: 'hashes', steps: [{ key: 'SHA-256' }] }`. */
export interface ObjectPath {
  objectType: string;
  property: string;
  steps: PathStep[];
}

export type ComparisonOperator =
  | '='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'IN'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUBSET'
  | 'ISSUPERSET';

export type ComparisonExpression = ComparisonJoin | ComparisonTest;

export interface ComparisonJoin {
  kind: 'and' | 'or';
  left: ComparisonExpression;
  right: ComparisonExpression;
}

export type ComparisonTest =
  | {
      kind: 'comparison';
      path: ObjectPath;
      operator: ComparisonOperator;
      negated: boolean;
      /** An array for `IN (…)`, one literal otherwise. */
      value: PatternLiteral | PatternLiteral[];
    }
  | { kind: 'exists'; path: ObjectPath; negated: boolean };

export type Qualifier =
  | { kind: 'within'; seconds: number }
  | { kind: 'repeats'; times: number }
  | { kind: 'startstop'; start: string; stop: string };

export type ObservationExpression =
  /** `[ … ]` with the qualifiers that follow it, innermost first. */
  | { kind: 'observation'; comparison: ComparisonExpression; qualifiers: Qualifier[] }
  /** `( … )` with its qualifiers. */
  | { kind: 'group'; expression: ObservationExpression; qualifiers: Qualifier[] }
  | { kind: 'and' | 'or' | 'followedby'; left: ObservationExpression; right: ObservationExpression };

export interface PatternError {
  /** 1-based line and 0-based column in the pattern text. */
  line: number;
  column: number;
  message: string;
}

export type PatternParseResult = { ok: true; ast: ObservationExpression } | { ok: false; errors: PatternError[] };

/** Renders a path back to pattern syntax: `file:hashes.'SHA-256'`, `email-message:to_refs[*].value`. */
export function pathToString(path: ObjectPath): string {
  let out = `${path.objectType}:${keyText(path.property)}`;
  for (const step of path.steps) {
    if ('key' in step) out += `.${keyText(step.key)}`;
    else out += `[${step.index}]`;
  }
  return out;
}

function keyText(key: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) ? key : quoteStixString(key);
}

/** Quotes a string for a STIX pattern: the grammar knows only the escapes `\'` and `\\`. */
export function quoteStixString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Every comparison (and EXISTS test) in the tree, left to right. */
export function comparisonsOf(ast: ObservationExpression): ComparisonTest[] {
  const out: ComparisonTest[] = [];
  for (const obs of observationsOf(ast)) collectComparisons(obs.comparison, out);
  return out;
}

/** Every `[ … ]` observation in the tree, left to right. */
export function observationsOf(
  ast: ObservationExpression,
): Array<Extract<ObservationExpression, { kind: 'observation' }>> {
  const out: Array<Extract<ObservationExpression, { kind: 'observation' }>> = [];
  const walk = (node: ObservationExpression): void => {
    if (node.kind === 'observation') out.push(node);
    else if (node.kind === 'group') walk(node.expression);
    else {
      walk(node.left);
      walk(node.right);
    }
  };
  walk(ast);
  return out;
}

export function collectComparisons(node: ComparisonExpression, out: ComparisonTest[]): void {
  if (isJoin(node)) {
    collectComparisons(node.left, out);
    collectComparisons(node.right, out);
  } else out.push(node);
}

export function isJoin(node: ComparisonExpression): node is ComparisonJoin {
  return node.kind === 'and' || node.kind === 'or';
}
