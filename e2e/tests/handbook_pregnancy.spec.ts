// The pregnancy's records in real Chromium: a mother enters her last period and body
// before pregnancy and sees 妊娠N週M日 and her weight-gain guide; a check-up written
// with no signal is kept on the phone and sent when the signal is back; an impossible
// blood pressure is refused in plain words; the page works opened straight from the
// address bar; a viewer reads without forms; axe finds nothing.
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
  waitForServiceWorker,
} from './support';

/** A day `days` from today, as `YYYY-MM-DD` in this machine's time. */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function openPregnancy(page: Page, familyPath: string) {
  const id = familyPath.split('/').pop();
  await page.goto(`/handbook/${id}/pregnancy`);
  await expectHeading(page, '妊娠中の記録');
}

test('a_mother_records_her_pregnancy_and_a_checkup_made_offline_reaches_the_server', async ({ page, context }) => {
  await signUp(page, uniqueLogin('mother'), '練馬 はな');
  // The child is due in about 20 weeks.
  const family = await createFamily(page, '未定', dayFromToday(140));
  await waitForServiceWorker(page);
  await openPregnancy(page, family);
  await expect(page.getByText('まだ出産予定日が記録されていません。')).toBeVisible();

  // 20 weeks and 3 days ago: today is 妊娠20週3日.
  await page.getByLabel('最終月経の開始日').fill(dayFromToday(-143));
  await page.getByLabel('妊娠前の身長（cm）').fill('158');
  await page.getByLabel('妊娠前の体重（kg）').fill('52.0');
  await page.getByRole('button', { name: '保存する', exact: true }).click();
  await expect(page.getByTestId('pregnancy-week')).toHaveText('今日は妊娠20週3日です。');
  // BMI 52 / 1.58² = 20.8: ふつう, 10–13 kg.
  await expect(page.getByText('妊娠前のBMIは20.8（ふつう）。妊娠中の体重増加の目安は10〜13kgです。')).toBeVisible();
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced');

  // An impossible blood pressure is refused, nothing saved.
  await page.getByLabel('体重（kg）', { exact: true }).fill('56.4');
  await page.getByLabel('上（最高）').fill('60');
  await page.getByLabel('下（最低）').fill('110');
  await page.getByRole('button', { name: '健診の記録を保存' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '血圧（上が下より大きい）' })).toBeVisible();
  await expect(page.getByText('まだ健診の記録はありません。')).toBeVisible();

  // No signal: the check-up is kept on the phone, 送信待ち.
  await context.setOffline(true);
  await page.getByLabel('上（最高）').fill('112');
  await page.getByLabel('下（最低）').fill('68');
  await page.getByLabel('尿たんぱく').selectOption('−');
  await page.getByRole('button', { name: '健診の記録を保存' }).click();
  const visit = page.getByTestId('visits').getByRole('listitem').filter({ hasText: '体重 56.4kg' }).first();
  await expect(visit).toContainText('妊娠20週3日');
  await expect(visit).toContainText('血圧 112/68');
  await expect(visit.getByTestId('sync-badge')).toHaveText('送信待ち');
  await expect(page.getByText('最新の健診では、妊娠前から+4.4kgです。')).toBeVisible();

  // Opened again from the address bar with no signal: still there.
  await openPregnancy(page, family);
  await expect(visit.getByTestId('sync-badge')).toHaveText('送信待ち');

  await context.setOffline(false);
  await expect(visit.getByTestId('sync-badge')).toHaveText('送信済み');
  await expect(syncStatus(page)).toHaveText(/送信済み・最新の状態です/);
  expect(await violations(page)).toEqual([]);
});

test('a_viewer_reads_the_pregnancy_page_without_forms', async ({ page }) => {
  await signIn(page, 'grandma');
  const me = await page.evaluate(async () => (await fetch('/api/me')).json());
  const family = me.families[0].id as string;
  await page.goto(`/handbook/${family}/pregnancy`);
  await expectHeading(page, '妊娠中の記録');
  await expect(page.getByRole('heading', { name: '妊婦健診の記録' })).toBeVisible();
  await expect(page.getByRole('button', { name: '健診の記録を保存' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '保存する', exact: true })).toHaveCount(0);
  await expect(page.getByLabel('血液型（ABO）')).toBeDisabled();
  expect(await violations(page)).toEqual([]);
});

test('a_family_the_person_is_not_in_shows_words_not_a_broken_page', async ({ page }) => {
  await signIn(page, 'ichiro');
  await page.goto('/handbook/0193a6f0-0000-7000-8000-00000000f001/pregnancy');
  await expectHeading(page, '妊娠中の記録');
  await expect(page.getByText('この手帳は見られません。')).toBeVisible();
});
