// A person changes the language and the text size, and finds them kept next time.
import { expect, test, expectHeading, navLink } from './support';

test('switches_to_english_and_keeps_it_after_a_reload', async ({ page }) => {
  await page.goto('/settings');
  await page.getByLabel('English').check();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this phone' })).toBeVisible();
  await expectHeading(page, 'Settings');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(navLink(page, 'Handbook')).toBeVisible();

  await page.reload();
  await expectHeading(page, 'Settings');
  await navLink(page, 'Events & circulars').click();
  await expectHeading(page, 'Events & circulars');

  await page.goto('/settings');
  await page.getByLabel('日本語').check();
  await expectHeading(page, '設定');
  await expect(page.getByRole('status').filter({ hasText: 'この端末に保存しました' })).toBeVisible();
});

test('chooses_extra_large_text_and_keeps_it_after_a_reload', async ({ page }) => {
  await page.goto('/settings');
  const rootSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  expect(await rootSize()).toBe('18px');

  await page.getByLabel('特大').check();
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'extra-large');
  expect(await rootSize()).toBe('26px');
  await expect(page.getByRole('status').filter({ hasText: 'この端末に保存しました' })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('特大')).toBeChecked();
  expect(await rootSize()).toBe('26px');

  await page.getByLabel('大', { exact: true }).check();
  expect(await rootSize()).toBe('22px');
  await page.getByLabel('標準').check();
  expect(await rootSize()).toBe('18px');
});

test('settings_can_be_changed_with_the_keyboard_alone', async ({ page }) => {
  await page.goto('/settings');
  await page.getByLabel('標準').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('大', { exact: true })).toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
});
