// Each module's pages are a WASM chunk of their own (`routing::module_pages!`), fetched
// the first time one of its pages is opened: a fresh profile fetches exactly that
// module's chunk (and no other module's) to draw it, by deep link and by navigation,
// and the home page fetches none. Every page also fetches the `platform` chunk (the
// account check and the sync engine), only after its first paint. A chunk that cannot
// be fetched says so and loads when asked again with the network back.
import type { Page } from '@playwright/test';
import { expect, test, expectHeading, navLink } from './support';

/// The chunk files the page asked for, by module name (`split_<module>_…`); shared
/// chunks (`chunk_N`) are listed as `shared`.
function chunkLog(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    const split = /^split_([a-z]+)(?:_.*)?\.wasm$/.exec(name);
    if (split) seen.push(split[1]);
    else if (/^chunk_\d+.*\.wasm$/.test(name)) seen.push('shared');
  });
  return seen;
}

const modules = [
  { module: 'handbook', path: '/handbook', heading: '電子母子手帳', nav: '母子手帳' },
  { module: 'events', path: '/events', heading: 'イベント・回覧板', nav: 'イベント 回覧板' },
  { module: 'circulars', path: '/circulars', heading: '回覧板', nav: null },
  { module: 'college', path: '/college', heading: 'つながるカレッジねりま', nav: 'カレッジ' },
  { module: 'account', path: '/sign-in', heading: 'ログイン', nav: null },
];

const others = (module: string, seen: string[]) =>
  seen.filter((m) => m !== module && m !== 'shared' && m !== 'platform');

test('the_home_page_fetches_no_module_chunk_and_the_platform_and_service_worker_only_after_its_first_paint', async ({ page }) => {
  const seen = chunkLog(page);
  // When the page asks for the service worker (which then precaches every file).
  await page.addInitScript(() => {
    const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
    navigator.serviceWorker.register = (...args: Parameters<typeof register>) => {
      (window as unknown as { registeredAt: number }).registeredAt = performance.now();
      return register(...args);
    };
  });
  await page.goto('/');
  await expectHeading(page, 'ようこそ');
  await page.waitForLoadState('networkidle');
  expect(seen.filter((m) => m !== 'shared')).toEqual(['platform']);
  const { paint, platform, worker } = await page.evaluate(() => ({
    worker: (window as unknown as { registeredAt?: number }).registeredAt ?? null,
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    platform:
      performance
        .getEntriesByType('resource')
        .find((entry) => /\/split_platform[^/]*\.wasm$/.test(entry.name))?.startTime ?? null,
  }));
  expect(paint).not.toBeNull();
  expect(platform).not.toBeNull();
  expect(platform!).toBeGreaterThan(paint!);
  expect(worker).not.toBeNull();
  expect(worker!).toBeGreaterThan(paint!);
});

for (const { module, path, heading, nav } of modules) {
  test(`a_deep_link_to_${module}_fetches_its_chunk_and_no_other_modules`, async ({ page }) => {
    const seen = chunkLog(page);
    await page.goto(path);
    await expectHeading(page, heading);
    expect(seen).toContain(module);
    expect(others(module, seen)).toEqual([]);
  });

  if (nav) {
    test(`opening_${module}_from_the_bottom_bar_fetches_its_chunk_then`, async ({ page }) => {
      const seen = chunkLog(page);
      await page.goto('/');
      await expectHeading(page, 'ようこそ');
      expect(seen).not.toContain(module);
      await navLink(page, nav).click();
      await expectHeading(page, heading);
      expect(seen).toContain(module);
      expect(others(module, seen)).toEqual([]);
    });
  }
}

test.describe(() => {
  // No service worker: the chunk's request goes to the network, where the test cuts it.
  test.use({ serviceWorkers: 'block' });

  test('a_chunk_that_cannot_be_fetched_says_so_and_loads_when_tried_again', async ({ page }) => {
    const cut = /\/split_college[^/]*\.wasm$/;
    await page.route(cut, (route) => route.abort('internetdisconnected'));
    await page.goto('/college');
    const failed = page.getByTestId('chunk-failed');
    await expect(failed).toBeVisible();
    await expect(failed).toContainText('この画面を読み込めませんでした');
    await page.unroute(cut);
    await page.getByRole('button', { name: 'もう一度読み込む' }).click();
    await expectHeading(page, 'つながるカレッジねりま');
    await expect(failed).toHaveCount(0);
  });
});
