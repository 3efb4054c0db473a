// STIX 2.1 pattern parser: the official STIXPattern.g4 grammar compiled by antlr-ng (generated/*.gen.ts, rebuilt by
// grammar/generate.mjs), its parse tree turned into the typed tree of patternAst.ts, then the rules of spec §9 that
// a context-free grammar cannot express (same object type under AND, START before STOP, positive counts, real dates).
import {
  BailErrorStrategy,
  BaseErrorListener,
  CharStream,
  CommonTokenStream,
  ParseCancellationException,
  type ParserRuleContext,
  PredictionMode,
  type TerminalNode,
} from 'antlr4ng';
import { STIXPatternLexer } from './generated/STIXPatternLexer.gen.ts';
import {
  type ComparisonExpressionAndContext,
  type ComparisonExpressionContext,
  type ObjectPathComponentContext,
  type ObjectPathContext,
  type ObservationExpressionAndContext,
  ObservationExpressionCompoundContext,
  type ObservationExpressionContext,
  type ObservationExpressionOrContext,
  ObservationExpressionRepeatedContext,
  type ObservationExpressionsContext,
  ObservationExpressionSimpleContext,
  ObservationExpressionStartStopContext,
  ObservationExpressionWithinContext,
  type OrderableLiteralContext,
  type PatternContext,
  type PrimitiveLiteralContext,
  KeyPathStepContext,
  IndexPathStepContext,
  PathStepContext,
  PropTestEqualContext,
  PropTestExistsContext,
  PropTestSetContext,
  type PropTestContext,
  PropTestLikeContext,
  PropTestOrderContext,
  PropTestParenContext,
  PropTestRegexContext,
  PropTestIsSubsetContext,
  PropTestIsSupersetContext,
  STIXPatternParser,
} from './generated/STIXPatternParser.gen.ts';
import {
  isJoin,
  type ComparisonExpression,
  type ComparisonOperator,
  type ObjectPath,
  type ObservationExpression,
  type PathStep,
  type PatternError,
  type PatternLiteral,
  type PatternParseResult,
  type Qualifier,
} from './patternAst.ts';

class Collect extends BaseErrorListener {
  readonly errors: PatternError[] = [];
  override syntaxError(_recognizer: unknown, _symbol: unknown, line: number, column: number, message: string): void {
    this.errors.push({ line, column, message });
  }
}

function runParser(text: string, listener: Collect | null): PatternContext {
  const lexer = new STIXPatternLexer(CharStream.fromString(text));
  lexer.removeErrorListeners();
  const parser = new STIXPatternParser(new CommonTokenStream(lexer));
  parser.removeErrorListeners();
  if (listener) {
    lexer.addErrorListener(listener);
    parser.addErrorListener(listener);
  } else {
    parser.interpreter.predictionMode = PredictionMode.SLL;
    parser.errorHandler = new BailErrorStrategy();
  }
  return parser.pattern();
}

/** A problem found while building the tree; carries the position of the offending rule. */
class SemanticError extends Error {
  constructor(
    readonly where: ParserRuleContext,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a STIX 2.1 pattern. Never throws: a bad pattern gives `{ ok: false, errors }` with positions. */
export function parsePattern(text: string): PatternParseResult {
  // Two stages, as ANTLR recommends: fast SLL prediction that gives up at the first error; only a pattern it
  // refuses (or cannot decide) is parsed again with full LL and an error listener, for exact messages.
  let tree: PatternContext;
  try {
    tree = runParser(text, null);
  } catch (error) {
    if (!(error instanceof ParseCancellationException)) throw error;
    const listener = new Collect();
    tree = runParser(text, listener);
    if (listener.errors.length > 0) return { ok: false, errors: listener.errors };
  }
  try {
    const ast = observations(tree.observationExpressions());
    return { ok: true, ast };
  } catch (error) {
    if (error instanceof SemanticError) {
      const start = error.where.start;
      return { ok: false, errors: [{ line: start?.line ?? 1, column: start?.column ?? 0, message: error.message }] };
    }
    throw error;
  }
}

/** True when `text` is a valid STIX 2.1 pattern. */
export function isValidPattern(text: string): boolean {
  return parsePattern(text).ok;
}

function observations(ctx: ObservationExpressionsContext): ObservationExpression {
  const parts = ctx.observationExpressions();
  if (parts.length === 2) return { kind: 'followedby', left: observations(parts[0]!), right: observations(parts[1]!) };
  return observationOr(ctx.observationExpressionOr()!);
}

function observationOr(ctx: ObservationExpressionOrContext): ObservationExpression {
  const parts = ctx.observationExpressionOr();
  if (parts.length === 2) return { kind: 'or', left: observationOr(parts[0]!), right: observationOr(parts[1]!) };
  return observationAnd(ctx.observationExpressionAnd()!);
}

function observationAnd(ctx: ObservationExpressionAndContext): ObservationExpression {
  const parts = ctx.observationExpressionAnd();
  if (parts.length === 2) return { kind: 'and', left: observationAnd(parts[0]!), right: observationAnd(parts[1]!) };
  return observation(ctx.observationExpression()!);
}

function observation(ctx: ObservationExpressionContext): ObservationExpression {
  if (ctx instanceof ObservationExpressionSimpleContext) {
    return { kind: 'observation', comparison: comparisonOr(ctx.comparisonExpression()), qualifiers: [] };
  }
  if (ctx instanceof ObservationExpressionCompoundContext) {
    return { kind: 'group', expression: observations(ctx.observationExpressions()), qualifiers: [] };
  }
  let inner: ObservationExpressionContext;
  let qualifier: Qualifier;
  if (ctx instanceof ObservationExpressionWithinContext) {
    const q = ctx.withinQualifier();
    const seconds = Number((q.IntPosLiteral() ?? q.FloatPosLiteral())!.getText());
    if (!(seconds > 0)) throw new SemanticError(q, 'WITHIN needs a positive number of seconds');
    inner = ctx.observationExpression();
    qualifier = { kind: 'within', seconds };
  } else if (ctx instanceof ObservationExpressionRepeatedContext) {
    const q = ctx.repeatedQualifier();
    const times = Number(q.IntPosLiteral().getText());
    if (!(times > 0)) throw new SemanticError(q, 'REPEATS needs a positive integer');
    inner = ctx.observationExpression();
    qualifier = { kind: 'repeats', times };
  } else if (ctx instanceof ObservationExpressionStartStopContext) {
    const q = ctx.startStopQualifier();
    const start = timestamp(q.TimestampLiteral(0)!, q);
    const stop = timestamp(q.TimestampLiteral(1)!, q);
    if (Date.parse(stop) <= Date.parse(start)) throw new SemanticError(q, 'STOP must be later than START');
    inner = ctx.observationExpression();
    qualifier = { kind: 'startstop', start, stop };
  } else {
    throw new SemanticError(ctx, 'unknown observation expression');
  }
  const node = observation(inner);
  if (node.kind === 'observation' || node.kind === 'group')
    return { ...node, qualifiers: [...node.qualifiers, qualifier] };
  return { kind: 'group', expression: node, qualifiers: [qualifier] };
}

function comparisonOr(ctx: ComparisonExpressionContext): ComparisonExpression {
  const parts = ctx.comparisonExpression();
  if (parts.length === 2) return { kind: 'or', left: comparisonOr(parts[0]!), right: comparisonOr(parts[1]!) };
  return comparisonAnd(ctx.comparisonExpressionAnd()!);
}

function comparisonAnd(ctx: ComparisonExpressionAndContext): ComparisonExpression {
  const parts = ctx.comparisonExpressionAnd();
  if (parts.length === 2) {
    const node: ComparisonExpression = { kind: 'and', left: comparisonAnd(parts[0]!), right: comparisonAnd(parts[1]!) };
    const types = objectTypes(node);
    if (types.size > 1) {
      throw new SemanticError(
        ctx,
        `comparisons joined by AND must use one object type, found ${[...types].join(', ')}`,
      );
    }
    return node;
  }
  return propTest(ctx.propTest()!);
}

function propTest(ctx: PropTestContext): ComparisonExpression {
  if (ctx instanceof PropTestParenContext) return comparisonOr(ctx.comparisonExpression());
  if (ctx instanceof PropTestExistsContext) {
    return { kind: 'exists', path: objectPath(ctx.objectPath()), negated: ctx.NOT() !== null };
  }
  const make = (
    c: { objectPath(): ObjectPathContext; NOT(): TerminalNode | null },
    operator: ComparisonOperator,
    value: PatternLiteral | PatternLiteral[],
  ): ComparisonExpression => ({
    kind: 'comparison',
    path: objectPath(c.objectPath()),
    operator,
    negated: c.NOT() !== null,
    value,
  });
  if (ctx instanceof PropTestEqualContext) {
    return make(ctx, ctx.EQ() ? '=' : '!=', primitive(ctx.primitiveLiteral()));
  }
  if (ctx instanceof PropTestOrderContext) {
    const operator: ComparisonOperator = ctx.GT() ? '>' : ctx.LT() ? '<' : ctx.GE() ? '>=' : '<=';
    return make(ctx, operator, orderable(ctx.orderableLiteral()));
  }
  if (ctx instanceof PropTestSetContext) {
    return make(ctx, 'IN', ctx.setLiteral().primitiveLiteral().map(primitive));
  }
  const stringOperand = (node: TerminalNode): PatternLiteral => ({ type: 'string', value: unquote(node.getText()) });
  if (ctx instanceof PropTestLikeContext) return make(ctx, 'LIKE', stringOperand(ctx.StringLiteral()));
  if (ctx instanceof PropTestRegexContext) return make(ctx, 'MATCHES', stringOperand(ctx.StringLiteral()));
  if (ctx instanceof PropTestIsSubsetContext) return make(ctx, 'ISSUBSET', stringOperand(ctx.StringLiteral()));
  if (ctx instanceof PropTestIsSupersetContext) return make(ctx, 'ISSUPERSET', stringOperand(ctx.StringLiteral()));
  throw new SemanticError(ctx, 'unknown comparison');
}

function objectPath(ctx: ObjectPathContext): ObjectPath {
  const first = ctx.firstPathComponent();
  const quoted = first.StringLiteral();
  const property = quoted ? unquote(quoted.getText()) : first.getText();
  const steps: PathStep[] = [];
  const component = ctx.objectPathComponent();
  if (component) pathSteps(component, steps);
  return { objectType: ctx.objectType().getText(), property, steps };
}

function pathSteps(ctx: ObjectPathComponentContext, out: PathStep[]): void {
  if (ctx instanceof PathStepContext) {
    for (const part of ctx.objectPathComponent()) pathSteps(part, out);
  } else if (ctx instanceof KeyPathStepContext) {
    const quoted = ctx.StringLiteral();
    out.push({ key: quoted ? unquote(quoted.getText()) : ctx.IdentifierWithoutHyphen()!.getText() });
  } else if (ctx instanceof IndexPathStepContext) {
    out.push({ index: ctx.ASTERISK() ? '*' : Number((ctx.IntPosLiteral() ?? ctx.IntNegLiteral())!.getText()) });
  }
}

function primitive(ctx: PrimitiveLiteralContext): PatternLiteral {
  const bool = ctx.BoolLiteral();
  if (bool) return { type: 'bool', value: bool.getText() === 'true' };
  return orderable(ctx.orderableLiteral()!);
}

function orderable(ctx: OrderableLiteralContext): PatternLiteral {
  const text = ctx.getText();
  if (ctx.StringLiteral()) return { type: 'string', value: unquote(text) };
  if (ctx.IntPosLiteral() || ctx.IntNegLiteral()) return { type: 'int', value: Number(text) };
  if (ctx.FloatPosLiteral() || ctx.FloatNegLiteral()) return { type: 'float', value: Number(text) };
  if (ctx.TimestampLiteral()) return { type: 'timestamp', value: timestamp(ctx.TimestampLiteral()!, ctx) };
  if (ctx.BinaryLiteral()) return { type: 'binary', value: text.slice(2, -1) };
  return { type: 'hex', value: text.slice(2, -1) };
}

/** `t'2016-02-29T00:00:00Z'` → the inner text, refusing dates that do not exist (the grammar accepts 2015-02-30). */
function timestamp(node: TerminalNode, where: ParserRuleContext): string {
  const value = node.getText().slice(2, -1);
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) {
    throw new SemanticError(where, `timestamp ${value} is not a real date`);
  }
  return value;
}

/** Removes the quotes of a StringLiteral and resolves its two escapes, `\'` and `\\`. */
function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(['\\])/g, '$1');
}

function objectTypes(node: ComparisonExpression, out = new Set<string>()): Set<string> {
  if (isJoin(node)) {
    objectTypes(node.left, out);
    objectTypes(node.right, out);
  } else out.add(node.path.objectType);
  return out;
}
