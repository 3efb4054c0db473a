import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

const pagesChecked: string[] = [];

/**
 * Runs axe (WCAG 2.1 A/AA rules plus best practices) on the page as it is now and fails on any serious or
 * critical violation. Minor and moderate findings are attached to the report instead.
 * With E2E_SCREENSHOTS=1 it also saves a full-page screenshot for a human to look at.
 */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const other = results.violations.filter((v) => !blocking.includes(v));
  pagesChecked.push(name);
  if (other.length > 0) {
    await test.info().attach(`axe-minor-${name}`, {
      body: JSON.stringify(
        other.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
        null,
        2,
      ),
      contentType: 'application/json',
    });
  }
  if (process.env.E2E_SCREENSHOTS) {
    await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  }
  const summary = blocking.map(
    (v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(summary, `axe on ${name}`).toEqual([]);
}
