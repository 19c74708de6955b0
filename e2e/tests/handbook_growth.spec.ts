// 成長の記録 (one child's growth): a guardian enters the birth record (an impossible
// weight is refused in words), records a measurement with no signal — it is in the
// table, on the chart and 「送信待ち」 — and sees it sent once the signal is back; a
// viewer reads the page without forms; a page opened from the address bar works; axe
// finds nothing.
import { type Page } from '@playwright/test';
import {
  expect,
  test,
  createFamily,
  expectHeading,
  signIn,
  signUp,
  syncStatus,
  uniqueLogin,
  violations,
} from './support';

/** `YYYY-MM-DD`, `days` before today on this machine's calendar (the browser's too). */
function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function measurement(page: Page, words: string) {
  return page.getByTestId('measurements').getByRole('listitem').filter({ hasText: words });
}

test('a_guardian_records_birth_and_an_offline_measurement_that_is_charted_and_synced', async ({ page, context }) => {
  await signUp(page, uniqueLogin('growth'), '成長 花子');
  const familyPath = await createFamily(page, '成長 さくら', daysAgo(100));
  const familyId = familyPath.split('/').pop();

  // From the handbook, the family's section links to the page.
  await page.goto('/handbook');
  await expectHeading(page, '電子母子手帳');
  await page.getByRole('link', { name: '成長の記録' }).click();
  await expectHeading(page, '成長の記録');
  await expect(page).toHaveURL(new RegExp(`/handbook/${familyId}/growth$`));
  await expect(page.getByTestId('growth-needs-sex')).toBeVisible();

  // 50 kg at birth is a slip of units: refused, in Japanese, and nothing is saved.
  const birth = page.getByTestId('birth-form');
  await birth.getByLabel('女の子').check();
  await birth.getByLabel('体重（g）').fill('50000');
  await birth.getByLabel('身長（cm）').fill('49.5');
  await birth.getByRole('button', { name: '出生時の記録を保存する' }).click();
  await expect(birth.getByRole('alert')).toHaveText(
    '出生時の体重（g）・身長・頭囲・胸囲（cm）と在胎週数を確かめてください。',
  );
  await expect(page.getByTestId('birth-facts')).toHaveCount(0);

  // A rare weight asks first; 「このまま保存する」 is not needed for an ordinary one.
  await birth.getByLabel('体重（g）').fill('900');
  await birth.getByRole('button', { name: '出生時の記録を保存する' }).click();
  await expect(page.getByTestId('growth-confirm')).toContainText('出生時の体重が1000g未満か');
  await page.getByRole('button', { name: '直す', exact: true }).click();
  await birth.getByLabel('体重（g）').fill('3000');
  await birth.getByRole('button', { name: '出生時の記録を保存する' }).click();
  const facts = page.getByTestId('birth-facts');
  await expect(facts).toContainText('女の子');
  await expect(facts).toContainText('3000');
  await expect(facts).toContainText('49.5');
  await expect(page.getByRole('region', { name: '出生時の記録' }).getByTestId('sync-badge')).toHaveText('送信済み');

  // The chart is drawn for a girl, with the birth weight as its one point.
  const chart = page.getByTestId('growth-chart');
  await expect(chart).toHaveAttribute('role', 'img');
  await expect(chart).toHaveAttribute('aria-label', /体重の成長曲線/);
  await expect(chart.getByTestId('growth-point')).toHaveCount(1);

  // No signal: the measurement is kept on this phone.
  await context.setOffline(true);
  const form = page.getByTestId('measure-form');
  await form.getByLabel('体重（kg）').fill('5.75');
  await form.getByLabel('身長（cm）').fill('60.5');
  await form.getByRole('button', { name: '記録する' }).click();
  await expect(form.getByRole('status')).toHaveText(/この端末に保存しました/);
  const item = measurement(page, '体重 5.75 kg');
  await expect(item).toContainText('身長 60.5 cm');
  await expect(item.getByTestId('sync-badge')).toHaveText('送信待ち');
  await expect(chart.getByTestId('growth-point')).toHaveCount(2);
  const table = page.getByTestId('growth-table');
  await expect(table.getByRole('row').filter({ hasText: '5.75' })).toContainText('3か月');
  await expect(page.getByTestId('growth-words')).toHaveText(/^体重は.*パーセンタイル/);

  // Length has its own chart: the birth length and the new one.
  await page.getByRole('button', { name: '身長', exact: true }).click();
  await expect(chart).toHaveAttribute('aria-label', /身長の成長曲線/);
  await expect(chart.getByTestId('growth-point')).toHaveCount(2);
  await expect(table.getByRole('row').filter({ hasText: '60.5' })).toBeVisible();

  // The signal is back: sent without anyone pressing anything.
  await context.setOffline(false);
  await expect(item.getByTestId('sync-badge')).toHaveText('送信済み');
  await expect(syncStatus(page)).toHaveText(/送信済み・最新の状態です/);

  // Opened from the address bar, it reads the same from the phone and the server.
  await page.goto(`/handbook/${familyId}/growth`);
  await expectHeading(page, '成長の記録');
  await expect(measurement(page, '体重 5.75 kg').getByTestId('sync-badge')).toHaveText('送信済み');
  await expect(page.getByTestId('growth-chart').getByTestId('growth-point')).toHaveCount(2);
  expect(await violations(page)).toEqual([]);
});

test('a_viewer_reads_the_growth_page_without_forms', async ({ page }) => {
  await signIn(page, 'grandma');
  const me = await (await page.request.get('/api/me')).json();
  const family = me.families.find((f: { role: string }) => f.role === 'viewer');
  expect(family).toBeTruthy();
  await page.goto(`/handbook/${family.id}/growth`);
  await expectHeading(page, '成長の記録');
  await expect(page.getByText('閲覧のみの家族は、記録を見ることができます。')).toBeVisible();
  await expect(page.getByRole('region', { name: '成長曲線' })).toBeVisible();
  await expect(page.getByTestId('birth-form')).toHaveCount(0);
  await expect(page.getByTestId('measure-form')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '記録する' })).toHaveCount(0);
  expect(await violations(page)).toEqual([]);
});

test('the_growth_page_of_a_family_one_is_not_in_says_so', async ({ page }) => {
  await signIn(page, 'grandma');
  await page.goto('/handbook/0193a3b4-7c2d-7e8f-9a0b-1c2d3e4f5a6b/growth');
  await expectHeading(page, '成長の記録');
  await expect(page.getByText('この手帳は、いまのアカウントでは見られません。', { exact: false })).toBeVisible();
  await expect(page.getByTestId('growth-chart')).toHaveCount(0);
});

test('what_a_guardian_types_is_kept_when_the_account_check_answers_late', async ({ page }) => {
  await signIn(page, 'hanako');
  // The account is checked again at every start; hold its answer back until the person
  // has typed, as a slow network does. Drawing the page anew would empty the form.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/me', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/handbook/0193a6f0-0000-7000-8000-00000000f001/growth');
  await expectHeading(page, '成長の記録');
  const weight = page.getByTestId('measure-form').getByLabel('体重（kg）');
  await weight.fill('7.85');
  const answered = page.waitForResponse('**/api/me');
  release();
  await answered;
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced');
  await expect(weight).toHaveValue('7.85');
});
