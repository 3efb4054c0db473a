import { expect, test } from '@playwright/test';

// Browser benchmark (issue 5): the graph explorer's fcose layout on 5,000 synthetic nodes in Chromium.
// Goal ≤ 3 s; the figure is printed and written down in docs/BENCHMARKS.md (## Graph explorer).
test('graph explorer lays out 5,000 nodes', async ({ page }) => {
  test.setTimeout(180_000);
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    await page.goto('/bench/graph?n=5000');
    const out = page.getByTestId('layout-ms');
    await expect(out).not.toBeEmpty({ timeout: 120_000 });
    runs.push(Number(await out.textContent()));
  }
  const sorted = [...runs].sort((a, b) => a - b);
  console.log(`graph layout 5000 nodes (fcose): runs ${runs.join(', ')} ms, median ${sorted[1]} ms`);
  // Generous bound: catches a regression by an order of magnitude, not machine noise.
  expect(sorted[1]).toBeLessThan(30_000);
});
