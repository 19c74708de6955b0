// Every page, in both languages and at the largest text on the narrowest phone, passes
// axe's WCAG 2.x A/AA rules, keeps controls big enough for a finger, and never scrolls
// sideways.
import { type Page } from '@playwright/test';
import {
  expect,
  test,
  createFamily,
  expectHeading,
  pages,
  signUp,
  smallTargets,
  syncStatus,
  uniqueLogin,
  violations,
  writeNote,
} from './support';

async function chooseSettings(page: Page, lang: 'ja' | 'en', textSize: string) {
  await page.goto('/');
  await page.evaluate(
    ([l, s]) => {
      localStorage.setItem('tsunagaru.lang', l);
      localStorage.setItem('tsunagaru.text-size', s);
    },
    [lang, textSize],
  );
}

for (const { lang, textSize, width } of [
  { lang: 'ja' as const, textSize: 'standard', width: 390 },
  { lang: 'en' as const, textSize: 'standard', width: 390 },
  { lang: 'ja' as const, textSize: 'extra-large', width: 320 },
]) {
  test(`no_page_has_wcag_violations_${lang}_${textSize}_${width}px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 720 });
    await chooseSettings(page, lang, textSize);
    for (const target of pages) {
      await page.goto(target.path);
      await expectHeading(page, target[lang]);
      expect(await violations(page), `${target.path} (${lang}, ${textSize})`).toEqual([]);

      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `${target.path} scrolls sideways at ${width}px`).toBeLessThanOrEqual(width);
    }
  });
}

test('every_control_is_at_least_48_px_for_a_finger', async ({ page }) => {
  for (const target of pages) {
    await page.goto(target.path);
    expect(await smallTargets(page), target.path).toEqual([]);
  }
});

test('the_signed_in_pages_pass_axe_and_fit_a_finger_and_a_small_phone', async ({ page }) => {
  await signUp(page, uniqueLogin('axe'), '練馬 花子');
  const familyPath = await createFamily(page, '練馬 さくら');
  await page.getByRole('button', { name: '招待コードをつくる' }).click();
  await expect(page.getByTestId('invite-code')).toBeVisible();
  // Errors shown, too: they must be just as readable.
  expect(await violations(page), `${familyPath} with an invite code`).toEqual([]);
  // The handbook with a sent note, then with one waiting to be sent (the sync bar in
  // its 送信待ち colours).
  await page.goto('/handbook');
  await writeNote(page, 'よく眠りました。');
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced');
  await page.context().setOffline(true);
  await writeNote(page, '少しせきが出ます。');
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'failed');
  expect(await violations(page), '/handbook with a note waiting to be sent').toEqual([]);
  await page.context().setOffline(false);
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced');
  for (const { textSize, width } of [
    { textSize: 'standard', width: 390 },
    { textSize: 'extra-large', width: 320 },
  ]) {
    await page.setViewportSize({ width, height: 720 });
    await page.evaluate((s) => localStorage.setItem('tsunagaru.text-size', s), textSize);
    for (const [path, heading] of [
      ['/account', 'アカウント'],
      [familyPath, '家族'],
      ['/handbook', '電子母子手帳'],
    ]) {
      await page.goto(path);
      await expectHeading(page, heading);
      await expect(page.getByRole('status').filter({ hasText: '読み込み中…' })).toHaveCount(0);
      expect(await violations(page), `${path} (${textSize})`).toEqual([]);
      expect(await smallTargets(page), `${path} (${textSize})`).toEqual([]);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `${path} scrolls sideways at ${width}px`).toBeLessThanOrEqual(width);
    }
  }
  await page.goto('/account');
  await page.getByRole('button', { name: '参加する' }).click();
  await expect(page.getByRole('alert').first()).toBeVisible();
  expect(await violations(page), '/account with an error').toEqual([]);
});

test('body_text_is_at_least_18_px', async ({ page }) => {
  for (const target of pages) {
    await page.goto(target.path);
    const tooSmall = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('main p, main li, main label, nav a span, header a, header p')]
        .filter((el) => parseFloat(getComputedStyle(el).fontSize) < 18)
        .map((el) => el.innerText.slice(0, 30)),
    );
    expect(tooSmall, target.path).toEqual([]);
  }
});

test('a_keyboard_user_can_skip_to_the_content', async ({ page }) => {
  await page.goto('/events');
  // Wait until the app has drawn the page and knows no one is signed in (the header
  // changes once then), so the first Tab lands on the finished page.
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'ログイン' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '本文へ移動' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});
