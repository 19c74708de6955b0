// 予防接種 (/handbook/{family}/vaccines) in real Chromium: a guardian sees the schedule
// the rules give from the birth date, records a dose with no signal (kept on the phone,
// 「送信待ち」, sent when the signal is back), is refused a dose before the age the rules
// allow, and saves a calendar file that names no vaccine; a viewer reads without a form;
// someone outside the family reads nothing. Every page is opened straight by its address.
import fs from 'node:fs';
import type { Page } from '@playwright/test';
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

/** The demo family (`server --demo`): 練馬 さくら, hanako's child, grandma a viewer. */
const DEMO_FAMILY = '0193a6f0-0000-7000-8000-00000000f001';

/** Every routine vaccine's name, in both languages, as the rules spell them (in part). */
const VACCINE_WORDS = [
  'B型肝炎', 'ロタ', '5種混合', '4種混合', 'ヒブ', '肺炎球菌', 'BCG', '麻しん', '風しん', '水痘',
  '日本脳炎', '2種混合', 'Hepatitis', 'Rotavirus', 'DTaP', 'Hib', 'Pneumococcal', 'PCV',
  'Measles', 'Varicella', 'encephalitis', 'vaccin', 'ワクチン', '予防接種',
];

/** A day `n` days before today on this computer's calendar, `YYYY-MM-DD`. */
function daysAgo(n: number): string {
  const day = new Date();
  day.setDate(day.getDate() - n);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** A new guardian with a child born about three months ago; returns the page's path. */
async function babyOfThreeMonths(page: Page, child: string): Promise<string> {
  await signUp(page, uniqueLogin('vax'), '予防 花子');
  const family = await createFamily(page, child, daysAgo(95));
  return `/handbook/${family.split('/').pop()}/vaccines`;
}

async function openVaccines(page: Page, path: string) {
  await page.goto(path);
  await expectHeading(page, '予防接種');
  await expect(page.getByTestId('vaccines-schedule')).toBeVisible();
}

const recordButton = (page: Page) => page.getByRole('button', { name: '接種を記録する' });

test('a_guardian_records_a_dose_offline_and_it_is_sent_when_the_signal_returns', async ({ page, context }) => {
  const path = await babyOfThreeMonths(page, '練馬 ひかり');
  await openVaccines(page, path);
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced');

  // Due now: hepatitis B from two months, among what to have next.
  const next = page.getByTestId('vaccines-next');
  await expect(next.getByTestId('dose-hepb-1')).toContainText('B型肝炎 1回目');
  await expect(next.getByTestId('dose-hepb-1').getByTestId('dose-status')).toHaveText('受けられます');
  await expect(next.getByTestId('dose-hepb-1')).toContainText('おすすめの時期');
  await expect(page.getByTestId('dose-record')).toHaveCount(0);
  expect(await violations(page)).toEqual([]);

  // 5種混合 at ten days old (it starts at two months) is refused, in words.
  await page.getByLabel('ワクチン', { exact: true }).selectOption('dpt_ipv_hib');
  await page.getByLabel('何回目').selectOption('1');
  await page.getByLabel('受けた日', { exact: true }).fill(daysAgo(85));
  await recordButton(page).click();
  const refused = page.getByTestId('dose-refused');
  await expect(refused).toContainText('記録できません。');
  await expect(refused).toContainText('から受けられます。それより前の日付では記録できません。');
  await expect(page.getByTestId('dose-record')).toHaveCount(0);
  expect(await violations(page)).toEqual([]);

  // With no signal, hepatitis B three days ago is kept on the phone.
  await context.setOffline(true);
  await page.getByLabel('ワクチン', { exact: true }).selectOption('hepb');
  await page.getByLabel('何回目').selectOption('1');
  await page.getByLabel('受けた日', { exact: true }).fill(daysAgo(3));
  await page.getByLabel('ロット番号（なくてもかまいません）').fill('AB1234');
  await page.getByLabel('受けた医療機関（なくてもかまいません）').fill('ねりま小児科');
  await recordButton(page).click();
  await expect(page.getByText('この端末に保存しました。')).toBeVisible();
  await expect(refused).toHaveCount(0);
  const record = page.getByTestId('dose-record').filter({ hasText: 'B型肝炎 1回目' });
  await expect(record).toContainText('AB1234');
  await expect(record.getByTestId('sync-badge')).toHaveText('送信待ち');
  const hepb1 = page.getByTestId('vaccines-schedule').getByTestId('dose-hepb-1');
  await expect(hepb1.getByTestId('dose-status')).toHaveText('接種済み');
  await expect(next.getByTestId('dose-hepb-1')).toHaveCount(0);

  // The same dose again is refused as a duplicate.
  await page.getByLabel('ワクチン', { exact: true }).selectOption('hepb');
  await page.getByLabel('何回目').selectOption('1');
  await page.getByLabel('受けた日', { exact: true }).fill(daysAgo(2));
  await recordButton(page).click();
  await expect(refused).toContainText('もう記録されています');
  await expect(page.getByTestId('dose-record')).toHaveCount(1);

  // The signal is back: it is sent without anyone pressing anything.
  await context.setOffline(false);
  await expect(record.getByTestId('sync-badge')).toHaveText('送信済み');
  await expect(syncStatus(page)).toHaveText(/送信済み・最新の状態です/);

  // Opened again from its address, it is still there, sent.
  await openVaccines(page, path);
  await expect(page.getByTestId('dose-record').filter({ hasText: 'B型肝炎 1回目' }).getByTestId('sync-badge')).toHaveText('送信済み');
  await expect(hepb1.getByTestId('dose-status')).toHaveText('接種済み');
  expect(await violations(page)).toEqual([]);

  // Deleting asks first.
  await record.getByRole('button', { name: '消す' }).click();
  await expect(record.getByRole('alert')).toContainText('この接種の記録を消しますか');
  await record.getByRole('button', { name: '消す' }).click();
  await expect(page.getByTestId('dose-record')).toHaveCount(0);
  await expect(hepb1.getByTestId('dose-status')).not.toHaveText('接種済み');
});

test('a_dose_too_soon_after_the_previous_one_asks_before_it_is_saved', async ({ page }) => {
  const path = await babyOfThreeMonths(page, '練馬 みなと');
  await openVaccines(page, path);
  await page.getByLabel('ワクチン', { exact: true }).selectOption('hepb');
  await page.getByLabel('何回目').selectOption('1');
  await page.getByLabel('受けた日', { exact: true }).fill(daysAgo(20));
  await recordButton(page).click();
  await expect(page.getByText('この端末に保存しました。')).toBeVisible();

  // Dose 2 needs 27 days after dose 1: ten days is possible on paper, so it asks.
  await page.getByLabel('ワクチン', { exact: true }).selectOption('hepb');
  await page.getByLabel('何回目').selectOption('2');
  await page.getByLabel('受けた日', { exact: true }).fill(daysAgo(10));
  await recordButton(page).click();
  const question = page.getByTestId('dose-confirm');
  await expect(question).toContainText('確かめてください。');
  await expect(page.getByTestId('dose-record')).toHaveCount(1);
  expect(await violations(page)).toEqual([]);
  await question.getByRole('button', { name: 'このまま記録する' }).click();
  await expect(page.getByTestId('dose-record')).toHaveCount(2);
  await expect(page.getByTestId('dose-record').filter({ hasText: 'B型肝炎 2回目' })).toBeVisible();
});

test('the_calendar_file_holds_the_next_days_and_no_health_details', async ({ page }) => {
  const child = '練馬 そら';
  const path = await babyOfThreeMonths(page, child);
  await openVaccines(page, path);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'カレンダー用のファイルを保存' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('tsunagaru.ics');
  const text = fs.readFileSync((await download.path())!, 'utf8');
  expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
  expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  const events = text.match(/BEGIN:VEVENT\r\n/g) ?? [];
  expect(events.length).toBeGreaterThan(1);
  expect(text).toContain('SUMMARY:お子さんの予定（つながる）\r\n');
  expect(text).toMatch(/DTSTART;VALUE=DATE:\d{8}\r\n/);
  for (const word of [...VACCINE_WORDS, child, '練馬', 'ひかり', 'そら']) {
    expect(text, `the file names ${word}`).not.toContain(word);
  }
  // Every line is at most 75 octets and ends with CRLF.
  for (const line of text.split('\r\n')) {
    expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(line).not.toContain('\n');
  }
  await expect(page.getByText('ファイルを保存しました。')).toBeVisible();
});

test('a_viewer_reads_the_schedule_without_a_form', async ({ page }) => {
  await signIn(page, 'grandma');
  await openVaccines(page, `/handbook/${DEMO_FAMILY}/vaccines`);
  await expect(page.getByText('練馬 さくらの予防接種')).toBeVisible();
  await expect(page.getByTestId('vaccines-viewer')).toHaveText('閲覧のみのため、記録は書けません。');
  await expect(recordButton(page)).toHaveCount(0);
  await expect(page.getByLabel('受けた日', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '直す' })).toHaveCount(0);
  expect(await violations(page)).toEqual([]);
});

test('someone_outside_the_family_and_a_child_not_yet_born_see_plain_words', async ({ page }) => {
  await signUp(page, uniqueLogin('vaxout'), '外の 人');
  await page.goto(`/handbook/${DEMO_FAMILY}/vaccines`);
  await expectHeading(page, '予防接種');
  await expect(page.getByText('この手帳は見られません。')).toBeVisible();
  await expect(page.getByTestId('vaccines-schedule')).toHaveCount(0);
  expect(await violations(page)).toEqual([]);

  const family = await createFamily(page, '練馬 みらい', daysAgo(-40));
  await page.goto(`/handbook/${family.split('/').pop()}/vaccines`);
  await expectHeading(page, '予防接種');
  await expect(page.getByTestId('vaccines-before-birth')).toContainText('生まれた日から始まります');
  await expect(recordButton(page)).toHaveCount(0);
  expect(await violations(page)).toEqual([]);
});
