import { type AhoCorasick, buildAhoCorasick } from './ahoCorasick.ts';
import { foldForMatching } from './fold.ts';
import { DEFAULT_URGENCY_RULES, type UrgencyRule, type UrgencyRuleSet } from './urgencyRules.ts';

export interface UrgencyReason {
  rule: string;
  reason: UrgencyRule['reason'];
  /** The rule's terms (as written in the rule set) found in the text. */
  matched: string[];
}

export interface UrgencyAssessment {
  urgent: boolean;
  /** Sum of the weights of the rules that fired, at most 1. */
  score: number;
  reasons: UrgencyReason[];
}

type Entry = { kind: 'term'; rule: number; term: string } | { kind: 'group'; group: string } | { kind: 'except' };

interface CompiledRules {
  set: UrgencyRuleSet;
  automaton: AhoCorasick;
  entries: Entry[][];
  lengths: number[];
}

/** Folds every term and builds one automaton over terms, group vocabularies and exceptions. */
export function compileUrgencyRules(set: UrgencyRuleSet): CompiledRules {
  const byPattern = new Map<string, Entry[]>();
  const add = (raw: string, entry: Entry): void => {
    const p = foldForMatching(raw);
    if (p === '') throw new Error(`urgency rule term folds to nothing: ${JSON.stringify(raw)}`);
    byPattern.set(p, [...(byPattern.get(p) ?? []), entry]);
  };
  set.rules.forEach((rule, i) => {
    for (const term of rule.terms) add(term, { kind: 'term', rule: i, term });
    for (const alternatives of rule.requires ?? []) {
      for (const g of alternatives) if (!set.groups[g]) throw new Error(`rule ${rule.id}: unknown group ${g}`);
    }
  });
  for (const [group, terms] of Object.entries(set.groups)) for (const t of terms) add(t, { kind: 'group', group });
  for (const t of set.except) add(t, { kind: 'except' });
  const patterns = [...byPattern.keys()];
  return {
    set,
    automaton: buildAhoCorasick(patterns),
    entries: patterns.map((p) => byPattern.get(p)!),
    lengths: patterns.map((p) => p.length),
  };
}

let defaultCompiled: CompiledRules | undefined;

function defaultRules(): CompiledRules {
  defaultCompiled ??= compileUrgencyRules(DEFAULT_URGENCY_RULES);
  return defaultCompiled;
}

/**
 * Flags 自殺予告, 犯行予告, 脅迫 with a date or place and other threats to life. One pass of an Aho–Corasick automaton
 * over the folded text (linear); a term occurrence lying inside an exception phrase (釘を刺す) does not count.
 */
export function assessUrgency(text: string, rules?: CompiledRules): UrgencyAssessment {
  const compiled = rules ?? defaultRules();
  const folded = foldForMatching(text);
  // reach[i]: the farthest end of an exception phrase starting at or before i (prefix maximum, linear)
  const exceptEnd = new Int32Array(folded.length + 1);
  const hits: Array<{ entry: Entry; start: number; end: number }> = [];
  compiled.automaton.scan(folded, (p, end) => {
    const start = end - compiled.lengths[p]!;
    for (const entry of compiled.entries[p]!) {
      if (entry.kind === 'except') exceptEnd[start] = Math.max(exceptEnd[start]!, end);
      else hits.push({ entry, start, end });
    }
  });
  for (let i = 1; i < exceptEnd.length; i++) exceptEnd[i] = Math.max(exceptEnd[i]!, exceptEnd[i - 1]!);
  const groups = new Set<string>();
  const termsByRule = new Map<number, Set<string>>();
  for (const { entry, start, end } of hits) {
    if (exceptEnd[start]! >= end) continue;
    if (entry.kind === 'group') groups.add(entry.group);
    else if (entry.kind === 'term') {
      const set = termsByRule.get(entry.rule) ?? new Set<string>();
      set.add(entry.term);
      termsByRule.set(entry.rule, set);
    }
  }
  const reasons: UrgencyReason[] = [];
  let score = 0;
  for (const [i, terms] of [...termsByRule].sort(([a], [b]) => a - b)) {
    const rule = compiled.set.rules[i]!;
    const satisfied = (rule.requires ?? []).every((alternatives) => alternatives.some((g) => groups.has(g)));
    if (!satisfied) continue;
    score += rule.weight;
    reasons.push({ rule: rule.id, reason: rule.reason, matched: [...terms] });
  }
  score = Math.min(1, score);
  return { urgent: score >= compiled.set.threshold, score, reasons };
}
