import type { ElementDefinition } from 'cytoscape';
import { useEffect, useState } from 'react';
import { measureLayout } from './CytoscapeGraph';

/** A seeded synthetic graph: `n` nodes in small clusters chained together, about 1.5 edges per node. */
export function syntheticGraph(n: number): ElementDefinition[] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const out: ElementDefinition[] = [];
  for (let i = 0; i < n; i++)
    out.push({ data: { id: `n${i}`, label: `ノード${i}`, kind: i % 10 === 0 ? 'place' : 'observable' } });
  for (let i = 1; i < n; i++) {
    const parent = i % 25 === 0 ? Math.floor(rand() * i) : i - 1 - Math.floor(rand() * Math.min(i, 5));
    out.push({ data: { id: `e${i}`, source: `n${parent}`, target: `n${i}` } });
    if (rand() < 0.5) out.push({ data: { id: `x${i}`, source: `n${Math.floor(rand() * i)}`, target: `n${i}` } });
  }
  return out;
}

/**
 * Test-only page (no data, no sign-in): lays out a synthetic graph of `?n=` nodes (default 5,000) with the
 * explorer's fcose settings and shows the time. Used by e2e/90-graph-bench.spec.ts.
 */
export function GraphBenchPage() {
  const [result, setResult] = useState<string>('');
  useEffect(() => {
    const n = Number(new URLSearchParams(window.location.search).get('n') ?? '5000');
    const elements = syntheticGraph(n);
    const timer = setTimeout(() => setResult(measureLayout(elements).toFixed(0)), 50);
    return () => clearTimeout(timer);
  }, []);
  return (
    <main>
      <h1>Graph layout benchmark</h1>
      <p>
        layout ms: <output data-testid="layout-ms">{result}</output>
      </p>
    </main>
  );
}
