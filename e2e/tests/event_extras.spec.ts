// The event board's other screens in real Chromium: three residents report an event
// (「問題を報告」), which hides it from the board until the ward's admin looks at it and
// shows it again with a reason; an admin hides an event one resident reported; a long
// list's 「さらに表示」 carries the keyboard on from the first new event; an event goes into
// the phone's calendar as a file, and a private feed follows the events a person signed up
// for until they renew or stop it, or change their password; and the board, the month, an
// event, the fair and the circulars pass axe in English.
import fs from 'node:fs/promises';
import { type Browser, type Page } from '@playwright/test';
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
  writeNote,
} from './support';
import { eventBody, rng, uuidv7 } from '../bench/sync-seed.mjs';

/** The demo board's events (server `--demo`). */
const DRILL = '/events/0193a6f0-0000-7000-8000-0000000e0001';
const DRILL_TITLE = '桜台つつじ町会 防災訓練';
const SMARTPHONE_CLASS = '/events/0193a6f0-0000-7000-8000-0000000e0005';
const FAIR = '/events/0193a6f0-0000-7000-8000-0000000e0f00';

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

/** A new resident on a phone of their own. */
async function newResident(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, uniqueLogin('resident'), name);
  return { context, page };
}

/** The editor of 桜台つつじ町会 publishes an event and lands on its page. */
async function postEvent(page: Page, title: string) {
  await page.goto('/events');
  await expectHeading(page, 'イベント・回覧板');
  await page.getByRole('link', { name: 'イベントを作る' }).click();
  await expectHeading(page, 'イベントを作る');
  await page.getByLabel('催し名').fill(title);
  await page.getByLabel('日にち（始まり）').fill(inDays(12));
  await page.getByLabel('始まる時刻').fill('13:00');
  await page.getByLabel('終わる時刻').fill('15:00');
  await page.getByLabel('会場名').fill('桜台地区区民館');
  await page.getByLabel('住所').fill('練馬区桜台三丁目');
  await page.getByLabel('定員（人）').fill('30');
  await page.getByRole('button', { name: '公開する' }).click();
  await expectHeading(page, title);
  await synced(page);
}

/** How many events the board finds for `words`, once the board has been read and synced. */
async function boardFinds(page: Page, words: string) {
  await page.goto('/events');
  await expectHeading(page, 'イベント・回覧板');
  await synced(page);
  await page.getByLabel('ことばで探す').fill(words);
  return page.getByTestId('board-count');
}

/** The ward's admin, on a phone of their own, at the review of the reported event `title`. */
async function review(browser: Browser, title: string) {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signIn(admin, 'admin');
  await admin.goto('/admin');
  await expectHeading(admin, '管理');
  return { context, admin, reported: admin.getByRole('form', { name: `イベント：${title}` }) };
}

/** A calendar file as its lines, folded lines joined again (RFC 5545 §3.1). */
function unfolded(ics: string) {
  return ics.replace(/\r\n[ \t]/g, '');
}

test('three_residents_report_an_event_it_leaves_the_board_and_an_admin_shows_it_again_with_a_reason', async ({
  page,
  browser,
}) => {
  const id = tag();
  const title = `健康マージャン教室 ${id}`;
  await signIn(page, 'sakuradai-editor');
  await postEvent(page, title);
  const eventPath = new URL(page.url()).pathname;
  // The editor of the event reports nothing: the button is for residents.
  await expect(page.getByRole('button', { name: '問題を報告' })).toHaveCount(0);

  const reasons = ['日時がまちがっているようです', '勧誘のように見えます', '同じ内容が二重に出ています'];
  const reporters: Page[] = [];
  for (const [n, reason] of reasons.entries()) {
    const { page: resident } = await newResident(browser, `報告者 ${n + 1}`);
    reporters.push(resident);
    await resident.goto(eventPath);
    await expectHeading(resident, title);
    await synced(resident);
    await resident.getByRole('button', { name: '問題を報告' }).click();
    await expect(resident.getByRole('heading', { name: 'このイベントの問題を報告する' })).toBeVisible();
    const field = resident.getByLabel('理由（400文字まで）');
    await expect(field).toBeFocused();
    if (n === 0) {
      // Nothing written: refused in words, and nothing is sent.
      await resident.getByRole('button', { name: '報告する' }).click();
      await expect(resident.getByRole('alert')).toHaveText('報告の理由を1〜400文字で書いてください。');
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      expect(await violations(resident), 'the report form with an error').toEqual([]);
      expect(await smallTargets(resident), 'the report form with an error').toEqual([]);
      // A preset reason fills the field.
      await resident.getByRole('button', { name: '宣伝・勧誘' }).click();
      await expect(field).toHaveValue('宣伝・勧誘');
    }
    await field.fill(reason);
    await resident.getByRole('button', { name: '報告する' }).click();
    if (n < 2) {
      await expect(resident.getByText('報告しました。管理者が確かめます。')).toBeVisible();
      await expect(resident.getByText('報告済み')).toBeVisible();
      await expect(resident.getByRole('button', { name: '問題を報告' })).toHaveCount(0);
    } else {
      // The third report hides it at once: the page says so, not "not found".
      await expect(resident.locator('main')).toContainText(
        'このイベントは、住民からの報告を受けて、いまは見られなくなっています。区の管理者が内容を確かめます。',
      );
      await expect(resident.getByText('見つかりませんでした')).toHaveCount(0);
    }
  }

  // Three reports from three people: gone from the residents' board.
  for (const resident of reporters) {
    await expect(await boardFinds(resident, id)).toHaveText('0件あります');
  }

  // Its editor still sees it, marked as hidden.
  await page.goto(eventPath);
  await expectHeading(page, title);
  await synced(page);
  await expect(page.getByText('非表示中（報告があり、区の確認待ち）')).toBeVisible();
  await expect(await boardFinds(page, id)).toHaveText('1件あります');
  await expect(page.getByTestId('event-card').filter({ hasText: title })).toContainText('非表示中');

  // The admin finds it among the reported posts, with the three reasons.
  const { context: adminContext, admin, reported } = await review(browser, title);
  await expect(reported).toContainText('報告 3件');
  await expect(reported.getByRole('status').first()).toHaveText('報告が多いため、見えなくなっています。');
  for (const reason of reasons) await expect(reported.getByText(reason)).toBeVisible();
  expect(await violations(admin), '/admin with a reported event').toEqual([]);

  // No reason: refused in words, and the event stays hidden.
  await reported.getByRole('button', { name: '表示に戻す' }).click();
  await expect(reported.getByRole('alert')).toHaveText('報告の理由を1〜400文字で書いてください。');
  await expect(reported.getByLabel('判断の理由（必ず書いてください。400文字まで）')).toHaveAttribute('aria-invalid', 'true');
  await expect(await boardFinds(reporters[0], id)).toHaveText('0件あります');

  const decision = `町会に確認し、日時は正しいと分かりました ${id}`;
  await reported.getByLabel('判断の理由（必ず書いてください。400文字まで）').fill(decision);
  await reported.getByRole('button', { name: '表示に戻す' }).click();
  // Nothing left to decide about it: it leaves the list, and the confirmation stays.
  await expect(reported).toHaveCount(0);
  await expect(admin.getByText('表示に戻しました。')).toBeVisible();

  // The reason is in the audit log.
  await admin.reload();
  await expectHeading(admin, '管理');
  const logged = admin.locator('table.audit tbody tr').filter({ hasText: decision });
  await expect(logged).toContainText('moderation.show');

  // Back on every resident's board.
  for (const resident of reporters) {
    await expect(await boardFinds(resident, id)).toHaveText('1件あります');
  }
  await reporters[0].getByTestId('event-card').getByRole('link', { name: title }).click();
  await expectHeading(reporters[0], title);
  await expect(reporters[0].getByText('報告済み')).toBeVisible();
  await page.goto(eventPath);
  await expectHeading(page, title);
  await synced(page);
  await expect(page.getByText('非表示中（報告があり、区の確認待ち）')).toHaveCount(0);

  await adminContext.close();
  for (const resident of reporters) await resident.context().close();
});

test('an_admin_hides_an_event_one_resident_reported_and_it_leaves_every_board', async ({ page, browser }) => {
  const id = tag();
  const title = `投資の勉強会（もうかる話） ${id}`;
  await signIn(page, 'sakuradai-editor');
  await postEvent(page, title);
  const eventPath = new URL(page.url()).pathname;

  // One report: not enough to hide it by itself, so everyone still sees it.
  const { page: reporter } = await newResident(browser, '報告者');
  await reporter.goto(eventPath);
  await expectHeading(reporter, title);
  await synced(reporter);
  await reporter.getByRole('button', { name: '問題を報告' }).click();
  await reporter.getByLabel('理由（400文字まで）').fill('お金をもうける話の勧誘のようです');
  await reporter.getByRole('button', { name: '報告する' }).click();
  await expect(reporter.getByText('報告しました。管理者が確かめます。')).toBeVisible();
  const { page: neighbour } = await newResident(browser, '近所の人');
  await expect(await boardFinds(neighbour, id)).toHaveText('1件あります');

  // The admin reads the one report and hides it, with a reason.
  const { context: adminContext, admin, reported } = await review(browser, title);
  await expect(reported).toContainText('報告 1件');
  await expect(reported.getByRole('status').first()).toHaveText('表示されています。');
  await expect(reported.getByText('お金をもうける話の勧誘のようです')).toBeVisible();
  const decision = `町会の行事ではない勧誘と判断しました ${id}`;
  await reported.getByLabel('判断の理由（必ず書いてください。400文字まで）').fill(decision);
  await reported.getByRole('button', { name: '非表示にする' }).click();
  await expect(admin.getByText('非表示にしました。')).toBeVisible();
  // Still listed, so that it can be shown again, now as the admin's decision.
  await expect(reported.getByRole('status').first()).toHaveText('管理者が非表示にしています。');
  expect(await violations(admin), '/admin with a hidden event').toEqual([]);
  expect(await smallTargets(admin), '/admin with a hidden event').toEqual([]);
  await admin.reload();
  await expectHeading(admin, '管理');
  await expect(admin.locator('table.audit tbody tr').filter({ hasText: decision })).toContainText('moderation.hide');

  // Gone from the residents' boards; its page says why; its editor sees it marked.
  await expect(await boardFinds(neighbour, id)).toHaveText('0件あります');
  await expect(await boardFinds(reporter, id)).toHaveText('0件あります');
  await neighbour.goto(eventPath);
  await expect(neighbour.locator('main')).toContainText(
    'このイベントは、区の管理者の判断で、いまは見られなくなっています。',
  );
  await page.goto(eventPath);
  await expectHeading(page, title);
  await synced(page);
  await expect(page.getByText('非表示中（区の管理者の判断）')).toBeVisible();
  await expect(page.getByText('非表示中（報告があり、区の確認待ち）')).toHaveCount(0);

  await adminContext.close();
  await reporter.context().close();
  await neighbour.context().close();
});

test('more_of_a_long_list_carries_the_keyboard_on_from_the_first_new_event', async ({ page, browser, baseURL }) => {
  // 60 events with a word of their own, pushed by the ward's admin as the benchmarks do.
  const id = tag();
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, 'admin');
  const random = rng(Date.now() % 1_000_000);
  const mutations = Array.from({ length: 60 }, (_, n) => {
    const body = eventBody(random, n);
    return {
      id: n + 1,
      op: { op: 'put', id: uuidv7(random, Date.now()), collection: 'event', scope: 'public',
        base_version: 0, body: { ...body, title: `${body.title} ${id}`, cancelled: false } },
    };
  });
  const pushed = await admin.request.post('/api/sync/push', {
    data: { client_id: `more-${id}`, mutations },
    headers: { Origin: baseURL! },
  });
  expect(pushed.status()).toBe(200);
  const answer = await pushed.json();
  expect(answer.results.filter((r: { outcome: string }) => r.outcome !== 'applied')).toEqual([]);
  await adminContext.close();

  await signIn(page, 'ichiro');
  await expect(await boardFinds(page, id)).toHaveText('60件あります');
  await expect(page.getByTestId('event-card')).toHaveCount(50);
  const more = page.getByTestId('board-more');
  await expect(more).toHaveText('さらに表示（10件）');
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('event-card')).toHaveCount(60);
  await expect(more).toHaveCount(0);
  // The keyboard (and a screen reader) carries on from the 51st event, not the page's top.
  const fiftyFirst = page.getByTestId('event-card').nth(50).locator('.event-link');
  await expect(fiftyFirst).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('h1')).toHaveText(new RegExp(id));
});

test('an_event_goes_into_the_calendar_as_a_file_and_the_private_feed_follows_my_sign_ups_until_stopped', async ({
  page,
  playwright,
}) => {
  const id = tag();
  // Health records on this account that must never reach a calendar file.
  await signUp(page, uniqueLogin('cal'), '豊玉 さつき');
  const child = `豊玉 ことね ${id}`;
  const secret = `予防接種のあと微熱 ${id}`;
  await createFamily(page, child);
  await page.goto('/handbook');
  await writeNote(page, secret);
  await synced(page);

  await page.goto(DRILL);
  await expectHeading(page, DRILL_TITLE);
  await page.getByLabel('大人の人数').fill('1');
  await page.getByLabel('子どもの人数').fill('1');
  await page.getByRole('button', { name: '申し込む' }).click();
  await expect(page.getByTestId('rsvp-state')).toHaveText('参加確定');

  // 「カレンダーに追加」 downloads the event as a calendar file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'カレンダーに追加' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.ics$/);
  const file = unfolded(await fs.readFile((await download.path())!, 'utf8'));
  expect(file).toMatch(/^BEGIN:VCALENDAR\r\n/);
  expect(file).toContain('BEGIN:VEVENT');
  expect(file).toContain(`SUMMARY:${DRILL_TITLE}\r\n`);
  expect(file).toMatch(/DTSTART;TZID=Asia\/Tokyo:\d{8}T090000\r\n/);
  expect(file).toContain('TZID:Asia/Tokyo');
  expect(file).toContain('END:VCALENDAR');
  for (const words of [child, secret, '豊玉 さつき']) expect(file).not.toContain(words);

  // The private feed: made on the account page, its address shown once.
  await page.goto('/account');
  await expectHeading(page, 'アカウント');
  const feed = page.locator('section').filter({ has: page.getByRole('heading', { name: '申し込んだ行事をカレンダーアプリに表示する' }) });
  await expect(feed.getByText('専用のアドレスは、まだありません。')).toBeVisible();
  await feed.getByRole('button', { name: '専用のアドレスを作る' }).click();
  const address = feed.getByTestId('calendar-feed-url');
  await expect(address).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/api\/cal\/u\/[A-Za-z0-9_-]{43}\.ics$/);
  const first = (await address.innerText()).trim();
  await expect(feed.getByRole('link', { name: 'カレンダーアプリに登録する' })).toHaveAttribute(
    'href',
    first.replace(/^http:/, 'webcal:'),
  );
  await expect(feed.getByText(/専用のアドレスは .+ に作り、今も使えます。/)).toBeVisible();
  expect(await violations(page), '/account with a new calendar address').toEqual([]);
  expect(await smallTargets(page), '/account with a new calendar address').toEqual([]);

  // A calendar app fetches it with no cookie of this account.
  const calendarApp = await playwright.request.newContext();
  const answer = await calendarApp.get(first);
  expect(answer.status()).toBe(200);
  expect(answer.headers()['content-type']).toContain('text/calendar');
  const body = unfolded(await answer.text());
  expect(body).toMatch(/^BEGIN:VCALENDAR\r\n/);
  expect(body).toContain(`SUMMARY:${DRILL_TITLE}\r\n`);
  expect(body).toContain('TZID:Asia/Tokyo');
  expect(body).not.toContain('はじめてのスマホ教室');
  for (const words of [child, secret, '豊玉 さつき']) expect(body).not.toContain(words);

  // Made again: a new address, and the old one no longer answers.
  await feed.getByRole('button', { name: 'アドレスを作り直す（前のアドレスは使えなくなります）' }).click();
  await expect(address).not.toHaveText(first);
  const second = (await address.innerText()).trim();
  expect((await calendarApp.get(first)).status()).toBe(404);
  expect((await calendarApp.get(second)).status()).toBe(200);

  // Stopped: said plainly, and no address answers.
  await feed.getByRole('button', { name: 'アドレスを使えなくする' }).click();
  await expect(feed.getByText('アドレスを使えなくしました。カレンダーアプリには、もう新しい予定は届きません。')).toBeVisible();
  await expect(address).toHaveCount(0);
  await expect(feed.getByText('専用のアドレスは、まだありません。')).toBeVisible();
  await expect(feed.getByRole('button', { name: 'アドレスを使えなくする' })).toHaveCount(0);
  expect((await calendarApp.get(second)).status()).toBe(404);

  // A new password stops the address too (whoever learnt the old password may have
  // learnt it), and the page says so where the password was changed.
  await feed.getByRole('button', { name: '専用のアドレスを作る' }).click();
  const third = (await address.innerText()).trim();
  expect((await calendarApp.get(third)).status()).toBe(200);
  const password = page.locator('form').filter({ has: page.getByRole('heading', { name: 'パスワードの変更' }) });
  await password.getByLabel('今のパスワード', { exact: true }).fill('sakura no hana ga saku');
  await password.getByLabel('新しいパスワード', { exact: true }).fill('ume no hana mo saku yo');
  await password.getByRole('button', { name: 'パスワードを変更する' }).click();
  await expect(password.getByText('パスワードを変更しました。ほかの端末ではログアウトしました。' +
    'カレンダーアプリ用の専用アドレスも使えなくなりました。必要なら、下の「専用のアドレスを作る」で作り直してください。'))
    .toBeVisible();
  await expect(feed.getByText('専用のアドレスは、まだありません。')).toBeVisible();
  await expect(address).toHaveCount(0);
  expect((await calendarApp.get(third)).status()).toBe(404);
  await calendarApp.dispose();
});

test('in_english_the_board_the_month_an_event_the_fair_and_the_circulars_pass_axe_fit_a_finger_and_a_small_phone', async ({
  page,
}) => {
  // A resident of 光が丘みどり自治会 with a place in the smartphone class, who reads English.
  await signIn(page, 'ichiro');
  await page.evaluate(() => localStorage.setItem('tsunagaru.lang', 'en'));
  await page.reload();
  await expectHeading(page, 'Account');

  for (const { textSize, width } of [
    { textSize: 'standard', width: 390 },
    { textSize: 'extra-large', width: 320 },
  ]) {
    await page.setViewportSize({ width, height: 720 });
    await page.evaluate((s) => localStorage.setItem('tsunagaru.text-size', s), textSize);
    const checks: [string, () => Promise<void>][] = [
      ['the board', async () => {
        await page.goto('/events');
        await expectHeading(page, 'Events & circulars');
        await synced(page);
        await expect(page.getByTestId('event-card').first()).toBeVisible();
      }],
      ['the month', async () => {
        await page.getByRole('button', { name: 'As a calendar' }).click();
        await expect(page.getByRole('table')).toBeVisible();
      }],
      ['an event with a place and its code', async () => {
        await page.goto(SMARTPHONE_CLASS);
        await expectHeading(page, 'はじめてのスマホ教室（シニア向け）');
        await expect(page.getByTestId('check-in-code')).toBeVisible();
      }],
      ['an event with the report form open', async () => {
        await page.goto(DRILL);
        await expectHeading(page, DRILL_TITLE);
        await page.getByRole('button', { name: 'Report a problem' }).click();
        await expect(page.getByRole('heading', { name: 'Report a problem with this event' })).toBeVisible();
      }],
      ['the fair', async () => {
        await page.goto(FAIR);
        await expectHeading(page, '練馬つながるフェスタ');
        await expect(page.getByTestId('programme')).toHaveCount(6);
      }],
      ['the circulars', async () => {
        await page.goto('/circulars');
        await expectHeading(page, 'Circulars');
        await synced(page);
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
