// The 町会 event board in real Chromium: an editor posts an event; a resident finds it
// by words with no signal, signs up offline (送信待ち), and sees 参加確定 with a check-in
// code once the signal is back; the editor checks them in offline. A full event puts the
// next party on the waiting list, and a cancellation on one phone promotes the party on
// another, who is told.
import { type Browser, type Page } from '@playwright/test';
import {
  expect,
  test,
  expectHeading,
  signIn,
  signUp,
  smallTargets,
  syncStatus,
  uniqueLogin,
  violations,
  waitForServiceWorker,
} from './support';

function tag() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A day `days` from today, YYYY-MM-DD. */
function inDays(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function synced(page: Page) {
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced');
}

/** The editor of 桜台つつじ町会 publishes an event and lands on its page. */
async function postEvent(page: Page, title: string, capacity: string) {
  await page.goto('/events');
  await expectHeading(page, 'イベント・回覧板');
  await page.getByRole('link', { name: 'イベントを作る' }).click();
  await expectHeading(page, 'イベントを作る');
  await page.getByLabel('催し名').fill(title);
  await page.getByLabel('日にち（始まり）').fill(inDays(10));
  await page.getByLabel('始まる時刻').fill('10:00');
  await page.getByLabel('終わる時刻').fill('11:30');
  await page.getByLabel('会場名').fill('桜台第二公園');
  await page.getByLabel('住所').fill('練馬区桜台二丁目5番');
  await page.getByLabel('定員（人）').fill(capacity);
  await page.getByRole('button', { name: '公開する' }).click();
  await expectHeading(page, title);
  await synced(page);
}

async function newResident(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, uniqueLogin('resident'), name);
  return { context, page };
}

function rsvpState(page: Page) {
  return page.getByTestId('rsvp-state');
}

async function signUpFor(page: Page, adults: string) {
  await page.getByLabel('大人の人数').fill(adults);
  await page.getByLabel('子どもの人数').fill('0');
  await page.getByRole('button', { name: '申し込む' }).click();
}

test('an_editor_posts_an_event_and_a_resident_finds_it_offline_signs_up_and_is_checked_in', async ({ page, browser }) => {
  const id = tag();
  const title = `防災倉庫ツアー ${id}`;
  await signIn(page, 'sakuradai-editor');
  await postEvent(page, title, '20');

  const { page: resident } = await newResident(browser, '桜台 みどり');
  await waitForServiceWorker(resident);
  await resident.goto('/events');
  await expectHeading(resident, 'イベント・回覧板');
  await synced(resident);

  // No signal: the board, the search and the sign-up all work from the phone.
  await resident.context().setOffline(true);
  await resident.reload();
  await expectHeading(resident, 'イベント・回覧板');
  await resident.getByLabel('ことばで探す').fill(`つあー　${id}`);
  await expect(resident.getByTestId('board-count')).toHaveText('1件あります');
  await resident.getByTestId('event-card').getByRole('link', { name: title }).click();
  await expectHeading(resident, title);
  await expect(resident.getByTestId('event-places')).toContainText('20人');
  await signUpFor(resident, '2');
  await expect(rsvpState(resident)).toHaveText('送信待ち');
  await expect(resident.getByText('大人2人・子ども0人')).toBeVisible();

  // The signal is back: the server decides, and the phone shows it.
  await resident.context().setOffline(false);
  await expect(rsvpState(resident)).toHaveText('参加確定');
  const code = (await resident.getByTestId('check-in-code').innerText()).trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3}$/);
  await expect(resident.getByTestId('event-places')).toHaveText('20人');

  // At the door, the editor has no signal either: the code is checked on the phone.
  await page.reload();
  await expectHeading(page, title);
  await synced(page);
  await expect(page.getByTestId('attendee-totals')).toHaveText('参加確定 2人、キャンセル待ち 0組、受付済み 0人');
  await page.context().setOffline(true);
  await page.getByLabel('受付番号').fill('ZZZ-ZZZ');
  await page.getByRole('button', { name: '受付する' }).click();
  await expect(page.getByRole('alert')).toHaveText('この番号の申し込みはありません。もう一度確かめてください。');
  await page.getByLabel('受付番号').fill(code.toLowerCase());
  await page.getByRole('button', { name: '受付する' }).click();
  await expect(page.getByText('桜台 みどりさん（2人）を受付しました。')).toBeVisible();
  await expect(page.getByTestId('attendees')).toContainText('受付済み（送信待ち）');
  await page.context().setOffline(false);
  await expect(page.getByTestId('attendees')).toContainText('受付済み');
  await expect(page.getByTestId('attendees')).not.toContainText('送信待ち');
  await expect(page.getByTestId('attendee-totals')).toHaveText('参加確定 2人、キャンセル待ち 0組、受付済み 2人');
});

test('a_full_event_waitlists_and_a_cancellation_on_one_phone_promotes_the_party_on_another', async ({ page, browser }) => {
  const title = `はじめての将棋教室 ${tag()}`;
  await signIn(page, 'sakuradai-editor');
  await postEvent(page, title, '2');
  const eventPath = new URL(page.url()).pathname;

  const first = (await newResident(browser, '石神井 一')).page;
  await first.goto(eventPath);
  await expectHeading(first, title);
  await signUpFor(first, '2');
  await expect(rsvpState(first)).toHaveText('参加確定');

  const second = (await newResident(browser, '大泉 二葉')).page;
  await second.goto(eventPath);
  await expectHeading(second, title);
  await expect(second.getByTestId('event-places')).toHaveText('2人（満員です）');
  await expect(second.getByText('満員です。申し込むとキャンセル待ちになります。')).toBeVisible();
  await signUpFor(second, '1');
  await expect(rsvpState(second)).toHaveText('キャンセル待ち 1番目');

  // The first party cancels on their phone (after a question).
  await first.getByRole('button', { name: '申し込みを取り消す' }).click();
  await first.getByRole('button', { name: '取り消す', exact: true }).click();
  await expect(first.getByRole('button', { name: '申し込む' })).toBeVisible();

  // On the second phone, the next sync brings the place and a notice.
  await second.reload();
  await expectHeading(second, title);
  await expect(rsvpState(second)).toHaveText('参加確定');
  await second.goto('/events');
  const notices = second.getByTestId('event-notices');
  await expect(notices).toContainText('空きが出たので、参加確定になりました');
  await expect(notices).toContainText(title);
  await notices.getByRole('button', { name: '確認しました' }).click();
  await expect(second.getByTestId('event-notices')).toHaveCount(0);

  // The editor's list shows who holds the places.
  await page.reload();
  await expect(page.getByTestId('attendee-totals')).toHaveText('参加確定 1人、キャンセル待ち 0組、受付済み 0人');
  await expect(page.getByTestId('attendees')).toContainText('石神井 一');
  await expect(page.getByTestId('attendees')).toContainText('取り消し');
});

test('the_event_pages_pass_axe_fit_a_finger_and_a_small_phone', async ({ page }) => {
  await signIn(page, 'hikarigaoka-editor');
  for (const { textSize, width } of [
    { textSize: 'standard', width: 390 },
    { textSize: 'extra-large', width: 320 },
  ]) {
    await page.setViewportSize({ width, height: 720 });
    await page.evaluate((s) => localStorage.setItem('tsunagaru.text-size', s), textSize);
    const checks: [string, () => Promise<void>][] = [
      ['the board', async () => {
        await page.goto('/events');
        await expectHeading(page, 'イベント・回覧板');
        await synced(page);
        await expect(page.getByTestId('event-card').first()).toBeVisible();
      }],
      ['the month', async () => {
        await page.getByRole('button', { name: 'カレンダーで見る' }).click();
        await expect(page.getByRole('table')).toBeVisible();
      }],
      ['the fair, with its programmes and the editor\'s tools', async () => {
        await page.goto('/events/0193a6f0-0000-7000-8000-0000000e0f00');
        await expectHeading(page, '練馬つながるフェスタ');
        await expect(page.getByTestId('programme')).toHaveCount(6);
      }],
      ['the full class with its attendee list', async () => {
        await page.goto('/events/0193a6f0-0000-7000-8000-0000000e0005');
        await expectHeading(page, 'はじめてのスマホ教室（シニア向け）');
        await expect(page.getByTestId('attendee-totals')).toHaveText('参加確定 5人、キャンセル待ち 1組、受付済み 0人');
      }],
      ['the form with an error', async () => {
        await page.goto('/events/new');
        await expectHeading(page, 'イベントを作る');
        await page.getByRole('button', { name: '公開する' }).click();
        await expect(page.getByRole('alert')).toHaveText('催し名は1〜80文字で入力してください。');
      }],
    ];
    for (const [what, open] of checks) {
      await open();
      expect(await violations(page), `${what} (${textSize})`).toEqual([]);
      expect(await smallTargets(page), `${what} (${textSize})`).toEqual([]);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `${what} scrolls sideways at ${width}px`).toBeLessThanOrEqual(width);
    }
  }
});
