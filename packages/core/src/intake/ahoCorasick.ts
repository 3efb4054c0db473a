/**
 * Aho–Corasick automaton over UTF-16 code units: all occurrences of all patterns in one pass, linear in the text
 * plus the number of matches. Built once per rule set.
 */
export interface AhoCorasick {
  /** Calls `onMatch(patternIndex, endOffset)` for every occurrence (end exclusive). */
  scan(text: string, onMatch: (pattern: number, end: number) => void): void;
}

export function buildAhoCorasick(patterns: readonly string[]): AhoCorasick {
  const next: Array<Map<number, number>> = [new Map()];
  const fail: number[] = [0];
  const out: number[][] = [[]];
  patterns.forEach((p, index) => {
    if (p.length === 0) throw new Error('empty pattern');
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      let t = next[s]!.get(c);
      if (t === undefined) {
        t = next.length;
        next.push(new Map());
        fail.push(0);
        out.push([]);
        next[s]!.set(c, t);
      }
      s = t;
    }
    out[s]!.push(index);
  });
  // breadth-first: failure links, and each state's outputs include those of its failure state
  const queue: number[] = [...next[0]!.values()];
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!;
    for (const [c, t] of next[s]!) {
      let f = fail[s]!;
      while (f !== 0 && !next[f]!.has(c)) f = fail[f]!;
      const g = next[f]!.get(c);
      fail[t] = g !== undefined && g !== t ? g : 0;
      out[t] = [...out[t]!, ...out[fail[t]!]!];
      queue.push(t);
    }
  }
  return {
    scan(text, onMatch) {
      let s = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        while (s !== 0 && !next[s]!.has(c)) s = fail[s]!;
        s = next[s]!.get(c) ?? 0;
        for (const p of out[s]!) onMatch(p, i + 1);
      }
    },
  };
}
