// The browser enforces the server's Content-Security-Policy: the app must run under it
// with no violation (trunk's loader allowed by its hash, WebAssembly by
// 'wasm-unsafe-eval', nothing else inline), with the other security headers present.
import { test, expect, pages, expectHeading, waitForServiceWorker } from './support';

test('the_app_runs_under_a_strict_csp_with_no_violation', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  const response = await page.goto('/');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toContain("'wasm-unsafe-eval'");
  expect(headers['content-security-policy']).not.toContain('unsafe-inline');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  await expectHeading(page, 'ようこそ');
  await waitForServiceWorker(page);

  for (const { path, ja } of pages) {
    await page.goto(path);
    await expectHeading(page, ja);
  }
  for (const path of ['/sign-in', '/sign-up']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  expect(violations).toEqual([]);
});
