// A person opens the app and moves between the three modules and settings.
import { expect, test, expectHeading, navLink, settingsLink } from './support';

test('opens_in_japanese_even_when_the_browser_prefers_english', async ({ page }) => {
  await page.goto('/');
  await expectHeading(page, 'ようこそ');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page).toHaveTitle('ようこそ | つながる');
});

test('navigates_the_three_modules_from_the_bottom_bar_and_settings_from_the_header', async ({ page }) => {
  await page.goto('/');
  const stops = [
    { label: '母子手帳', path: '/handbook', heading: '電子母子手帳' },
    { label: 'イベント 回覧板', path: '/events', heading: 'イベント・回覧板' },
    { label: 'カレッジ', path: '/college', heading: 'つながるカレッジねりま' },
  ];
  for (const stop of stops) {
    await navLink(page, stop.label).click();
    await expectHeading(page, stop.heading);
    await expect(page).toHaveURL(stop.path);
    await expect(navLink(page, stop.label)).toHaveAttribute('aria-current', 'page');
  }
  await settingsLink(page).click();
  await expectHeading(page, '設定');
  await expect(page).toHaveURL('/settings');
  await expect(settingsLink(page)).toHaveAttribute('aria-current', 'page');
  // The browser's back button goes back a page, inside the app.
  await page.goBack();
  await expectHeading(page, 'つながるカレッジねりま');
  await page.goBack();
  await expectHeading(page, 'イベント・回覧板');
});

test('a_module_page_says_what_will_come_instead_of_being_empty', async ({ page }) => {
  await page.goto('/college');
  await expect(page.getByRole('heading', { name: 'これからできること' })).toBeVisible();
  await expect(page.getByText('受講の申し込みと、公開の抽選')).toBeVisible();
  await expect(page.getByText('ただいま準備中です。')).toBeVisible();
  // The handbook has none left: its checkups, growth and vaccinations are pages now.
  await page.goto('/handbook');
  await expectHeading(page, '電子母子手帳');
  await expect(page.getByText('ただいま準備中です。')).toHaveCount(0);
});

test('opens_a_deep_link_and_an_unknown_address', async ({ page }) => {
  await page.goto('/college');
  await expectHeading(page, 'つながるカレッジねりま');
  await page.goto('/no-such-page');
  await expectHeading(page, 'ページが見つかりません');
  await page.getByRole('link', { name: 'ホームへ戻る' }).click();
  await expectHeading(page, 'ようこそ');
});

test('explains_how_to_add_the_app_to_the_home_screen', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'ホーム画面に追加する方法' }).click();
  await expectHeading(page, 'ホーム画面に追加する');
  await expect(page.getByRole('heading', { name: 'iPhone・iPad（Safari）' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Android（Chrome）' })).toBeVisible();
  await expect(page.getByText('「ホーム画面に追加」を押します。')).toBeVisible();
});

test('the_manifest_makes_the_app_installable', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  const response = await request.get(href!);
  expect(response.headers()['content-type']).toContain('application/manifest+json');
  const manifest = await response.json();
  expect(manifest).toMatchObject({ short_name: 'つながる', lang: 'ja', display: 'standalone', start_url: '/' });
  const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  for (const icon of manifest.icons) {
    expect((await request.get(icon.src)).status(), icon.src).toBe(200);
  }
});
