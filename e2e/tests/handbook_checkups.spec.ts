// 乳幼児健診 (/handbook/{family}/checkups) in real Chromium: health staff find a family on
// the 保健相談所 page and enter a checkup only once its guardians consent; the guardian
// reads the findings and writes their own record (a milestone's day, the form's
// questions); a viewer reads without a form; the demo child's checkups open from the
// address bar with no signal. Every page is checked with axe and for finger-sized targets.
import type { Browser, Page } from '@playwright/test';
import {
  expect,
  test,
  createFamily,
  expectHeading,
  signIn,
  signUp,
  smallTargets,
  syncStatus,
  uniqueLogin,
  violations,
  waitForServiceWorker,
} from './support';

const DEMO_FAMILY = '0193a6f0-0000-7000-8000-00000000f001';

function daysAgo(n: number): string {
  const day = new Date();
  day.setDate(day.getDate() - n);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

async function openCheckups(page: Page, path: string) {
  await page.goto(path);
  await expectHeading(page, '乳幼児健診');
}

async function staffPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'hoken');
  return page;
}

test('health_staff_enter_a_checkup_only_with_consent_and_the_guardian_adds_their_record', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const child = `練馬 ${uniqueLogin('kenshin').slice(-6)}`;
  await signUp(page, uniqueLogin('kenshin'), '健診 花子');
  const familyPath = await createFamily(page, child, daysAgo(100));
  const family = familyPath.split('/').pop()!;
  const path = `/handbook/${family}/checkups`;

  // Without consent the health centre neither lists nor opens this handbook.
  const staff = await staffPage(browser);
  await staff.goto('/health-centre');
  await expectHeading(staff, '保健相談所');
  await expect(staff.getByTestId('centre-families').or(staff.getByText('共有されている手帳はありません。'))).toBeVisible();
  await expect(staff.getByRole('link', { name: child })).toHaveCount(0);
  await openCheckups(staff, path);
  await expect(staff.getByText('この手帳は、いまのアカウントでは見られません。')).toBeVisible();
  await expect(staff.getByRole('button', { name: '健診の結果を保存する' })).toHaveCount(0);

  // The guardian consents on the family page.
  await page.goto(familyPath);
  await page.getByLabel('保健相談所にこの手帳を見せる').check();
  await expect(page.getByText('保健相談所との共有を始めました。')).toBeVisible();

  // Now it is listed and opens on its checkups, with the form for staff.
  await staff.goto('/health-centre');
  await staff.getByRole('link', { name: child }).click();
  await expectHeading(staff, '乳幼児健診');
  await expect(staff.getByLabel('健診', { exact: true })).toHaveValue('3-4m');
  expect(await violations(staff)).toEqual([]);
  expect(await smallTargets(staff)).toEqual([]);
  // No judgement: refused in words, nothing saved.
  await staff.getByLabel('体重（kg）').fill('6.2');
  await staff.getByRole('button', { name: '健診の結果を保存する' }).click();
  await expect(staff.getByText('判定（健康・要観察・要精査）を選んでください。')).toBeVisible();
  await expect(staff.getByTestId('checkup-finding')).toHaveCount(0);
  // A day before the birth is refused too.
  await staff.getByLabel('健康', { exact: true }).check();
  await staff.getByLabel('健診日').fill(daysAgo(120));
  await staff.getByRole('button', { name: '健診の結果を保存する' }).click();
  await expect(staff.getByText('日付は生まれた日から今日までの間にしてください。')).toBeVisible();
  await staff.getByLabel('健診日').fill(daysAgo(1));
  await staff.getByLabel('身長（cm）').fill('61.5');
  await staff.getByLabel('施設名').fill('練馬区 光が丘保健相談所');
  await staff.getByRole('button', { name: '健診の結果を保存する' }).click();
  const finding = staff.getByTestId('checkup-finding');
  await expect(finding).toHaveCount(1);
  await expect(finding).toContainText('判定: 健康');
  await expect(finding).toContainText('体重（kg）: 6.2');
  await expect(finding.getByTestId('sync-badge')).toHaveText('送信済み');
  await staff.context().close();

  // The guardian reads the findings, has no findings form, and writes their record.
  await openCheckups(page, path);
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced');
  const section = page.getByTestId('checkup-age').filter({ hasText: '3〜4か月児健診' });
  await expect(section.getByTestId('checkup-finding')).toContainText('判定: 健康');
  await expect(page.getByRole('button', { name: '健診の結果を保存する' })).toHaveCount(0);
  await section.getByRole('button', { name: '保護者の記録を書く・直す' }).click();
  const form = section.getByTestId('checkup-parent-form');
  await form.getByLabel('首がすわった日').fill(daysAgo(5));
  await form.getByRole('group', { name: 'あやすとよく笑いますか。' }).getByLabel('はい').check();
  await form.getByLabel('気づいたこと・相談したいこと').fill('よく笑います');
  expect(await violations(page)).toEqual([]);
  expect(await smallTargets(page)).toEqual([]);
  await form.getByRole('button', { name: '保護者の記録を保存する' }).click();
  const record = section.getByTestId('checkup-parent');
  await expect(record).toContainText('首がすわった日');
  await expect(record).toContainText('あやすとよく笑いますか。 はい');
  await expect(section).toContainText('よく笑います');
  await expect(section.getByTestId('sync-badge').last()).toHaveText('送信済み');

  // Opened again from its address, both are there.
  await openCheckups(page, path);
  await expect(section.getByTestId('checkup-parent')).toContainText('あやすとよく笑いますか。 はい');
  await expect(section.getByTestId('checkup-finding')).toContainText('判定: 健康');
});

test('the_demo_childs_checkups_open_offline_and_a_viewer_has_no_form', async ({ page, context }) => {
  await signIn(page, 'hanako');
  await page.goto('/');
  await waitForServiceWorker(page);
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  const path = `/handbook/${DEMO_FAMILY}/checkups`;
  await openCheckups(page, path);
  await expect(page.getByTestId('checkup-finding')).toHaveCount(4);
  await expect(page.getByTestId('checkups-next')).toContainText('9〜10か月児健診');

  await context.setOffline(true);
  await openCheckups(page, path);
  await expect(page.getByTestId('checkup-finding')).toHaveCount(4);
  const six = page.getByTestId('checkup-age').filter({ hasText: '6〜7か月児健診' });
  await expect(six.getByTestId('checkup-parent')).toContainText('寝返りをした日');
  expect(await violations(page)).toEqual([]);
  await context.setOffline(false);

  const grandma = await page.context().browser()!.newContext();
  const viewer = await grandma.newPage();
  await signIn(viewer, 'grandma');
  await openCheckups(viewer, path);
  await expect(viewer.getByTestId('checkup-finding')).toHaveCount(4);
  await expect(viewer.getByRole('button', { name: '保護者の記録を書く・直す' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: '健診の結果を保存する' })).toHaveCount(0);
  await grandma.close();
});
