// A person opens the app once with a signal, then again on the subway with none.
import { expect, test, cachedUrls, expectHeading, navLink, settingsLink, waitForServiceWorker } from './support';

test('reloads_and_works_fully_with_the_network_off', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  await expect(page.getByTestId('network-status')).toHaveText('オンライン');

  await context.setOffline(true);
  await expect(page.getByTestId('network-status')).toHaveText('オフライン');
  await page.reload();
  await expectHeading(page, 'ようこそ');
  await expect(page.getByTestId('network-status')).toHaveText('オフライン');
  await expect(page.getByText('電波がないため、この端末に保存された情報を表示しています。')).toBeVisible();

  for (const [label, heading] of [
    ['母子手帳', '電子母子手帳'],
    ['イベント 回覧板', 'イベント・回覧板'],
    ['カレッジ', 'つながるカレッジねりま'],
  ]) {
    await navLink(page, label).click();
    await expectHeading(page, heading);
  }
  await settingsLink(page).click();
  await expectHeading(page, '設定');
  // A deep link typed while offline opens too: every page is the same cached shell.
  await page.goto('/college');
  await expectHeading(page, 'つながるカレッジねりま');

  await context.setOffline(false);
  await expect(page.getByTestId('network-status')).toHaveText('オンライン');
  await expect(page.getByText('電波がないため、この端末に保存された情報を表示しています。')).toHaveCount(0);
});

test('the_service_worker_precaches_the_build_and_never_the_api', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  const health = await page.evaluate(async () => (await fetch('/api/health')).status);
  expect(health).toBe(200);

  const urls = await cachedUrls(page);
  expect(urls).toContain('/index.html');
  expect(urls.some((u) => u.endsWith('_bg.wasm'))).toBe(true);
  expect(urls.some((u) => u.endsWith('.css'))).toBe(true);
  expect(urls.filter((u) => u.startsWith('/api'))).toEqual([]);

  await context.setOffline(true);
  const offlineApi = await page.evaluate(async () => {
    try {
      await fetch('/api/health');
      return 'answered';
    } catch {
      return 'network error';
    }
  });
  expect(offlineApi).toBe('network error');
});
