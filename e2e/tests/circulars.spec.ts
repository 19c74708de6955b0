// 回覧板 in real Chromium: an association's editor sends a circular with a picture; a
// member opens it with no signal (「既読」 and 「送信待ち」 on the phone), and once the
// signal is back the editor sees one household read and who has not read yet. The
// picture, once seen, can be seen again offline. The editor withdraws it and it leaves
// the member's phone. axe finds nothing on these pages.
import { type Browser, type Page } from '@playwright/test';
import { expect, test, expectHeading, smallTargets, syncStatus, uniqueLogin, violations, waitForServiceWorker } from './support';

const PASSWORD = 'kairanban wo mawasu 2026';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478' +
    '9c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);

/** A signed-in person on a phone of their own: a new account, or a demo one. */
async function person(browser: Browser, name: string, login = uniqueLogin('circ'), signUp = true) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  const origin = new URL(page.url()).origin;
  const answer = signUp
    ? await page.request.post('/api/auth/sign-up', {
        data: { login, display_name: name, password: PASSWORD },
        headers: { Origin: origin },
      })
    : await page.request.post('/api/auth/sign-in', {
        data: { login, password: 'tsunagaru-demo-2026' },
        headers: { Origin: origin },
      });
  expect(answer.ok(), `${login} signs in`).toBe(true);
  const id: string = (await (await page.request.get('/api/me')).json()).id;
  return { context, page, id, origin };
}

/** An association made by the ward's admin, with an editor and two member households. */
async function town(browser: Browser) {
  const admin = await person(browser, '', 'admin', false);
  const slug = uniqueLogin('kairan').toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const created = await admin.page.request.post('/api/associations', {
    data: { slug, name: `回覧テスト町会 ${slug.slice(-5)}`, area: '桜台一丁目' },
    headers: { Origin: admin.origin },
  });
  expect(created.status()).toBe(201);
  const association = await created.json();
  const editor = await person(browser, '桜台 広報');
  const reader = await person(browser, '練馬 読子');
  const other = await person(browser, '光が丘 次郎');
  for (const [who, role] of [
    [editor, 'editor'],
    [reader, 'member'],
    [other, 'member'],
  ] as const) {
    const set = await admin.page.request.put(`/api/associations/${association.id}/members/${who.id}`, {
      data: { role },
      headers: { Origin: admin.origin },
    });
    expect(set.status()).toBe(204);
  }
  await other.context.close();
  await admin.context.close();
  return { association, editor, reader };
}

function circularLink(page: Page, title: string) {
  return page.getByTestId('circulars').getByRole('link', { name: new RegExp(title) });
}

async function openCirculars(page: Page) {
  await page.goto('/circulars');
  await expectHeading(page, '回覧板');
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced');
}

test('a_member_reads_a_circular_offline_the_editor_sees_the_household_count_and_withdraws_it', async ({ browser }) => {
  const { editor, reader } = await town(browser);
  const title = `資源回収のお知らせ ${Date.now().toString(36)}`;

  // The editor sends a circular with a picture.
  await openCirculars(editor.page);
  await editor.page.locator('summary').filter({ hasText: '回覧板を出す' }).click();
  await editor.page.getByLabel('題名').fill(title);
  await editor.page.getByLabel('本文').fill('12月5日（土）8時までに\n集積所へ出してください。');
  await editor.page.getByLabel('期限（なくてもかまいません）').fill('2099-12-05');
  await editor.page
    .getByLabel('添付ファイル（なくてもかまいません）')
    .setInputFiles({ name: '集積所の地図.png', mimeType: 'image/png', buffer: PNG });
  await editor.page.getByRole('button', { name: 'この内容で回覧する' }).click();
  await expect(editor.page.getByText('この端末に保存しました。電波があれば、会員に届きます。')).toBeVisible();
  await expect(circularLink(editor.page, title)).toBeVisible();
  await expect(syncStatus(editor.page)).toHaveAttribute('data-state', 'synced');

  // The member sees it first, unread; the list passes axe.
  await waitForServiceWorker(reader.page);
  await openCirculars(reader.page);
  const link = circularLink(reader.page, title);
  await expect(link.getByTestId('read-badge')).toHaveText('未読');
  await expect(link).toContainText('期限：2099年12月5日まで');
  await expect(reader.page.getByTestId('unread-summary')).toHaveText('まだ読んでいない回覧板が 1 件あります。');
  expect(await violations(reader.page), '/circulars').toEqual([]);
  expect(await smallTargets(reader.page), '/circulars').toEqual([]);

  // Search: by words (every word must be there) and by month.
  const words = reader.page.getByLabel('ことばで探す');
  await words.fill('集積所　１２月');
  await expect(link).toBeVisible();
  await expect(reader.page.getByText('1 件見つかりました。')).toBeVisible();
  await words.fill('防災訓練');
  await expect(reader.page.getByText('見つかりませんでした。ことばや月を変えてみてください。')).toBeVisible();
  await words.fill('');
  const thisMonth = await reader.page.evaluate(() => {
    const now = new Date();
    return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  });
  await reader.page.getByLabel('月で探す').selectOption(thisMonth);
  await expect(link).toBeVisible();

  // With no signal, opening it marks it read on the phone, waiting to be sent.
  await reader.context.setOffline(true);
  await link.click();
  await expectHeading(reader.page, title);
  await expect(reader.page.getByTestId('read-state')).toHaveText(/既読\s*送信待ち/);
  await expect(reader.page.getByText('読んだことをこの端末に記録しました。電波があれば、役員に伝わります。')).toBeVisible();
  const circularPath = new URL(reader.page.url()).pathname;

  // The signal is back: sent by itself, and the count comes back.
  await reader.context.setOffline(false);
  await expect(reader.page.getByTestId('read-state')).toHaveText('既読');
  await expect(reader.page.getByText('読んだことは役員に伝わっています。')).toBeVisible();
  await expect(reader.page.getByTestId('tally')).toHaveText('2 世帯のうち 1 世帯が読みました。');
  // The picture itself, not only its name: it was drawn with no signal, so the app loads
  // it again now that the signal is back.
  const picture = reader.page.getByRole('img', { name: '集積所の地図.png' });
  await expect(picture).toBeVisible();
  await expect
    .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 30_000 })
    .toBe(true);
  expect(await violations(reader.page), circularPath).toEqual([]);
  expect(await smallTargets(reader.page), circularPath).toEqual([]);
  // Members never see who.
  await expect(reader.page.getByText('光が丘 次郎')).toHaveCount(0);

  // The picture, once seen, is there with no signal too.
  const attachment = await reader.page.getByTestId('attachment-link').getAttribute('href');
  await expect
    .poll(() => reader.page.evaluate(async () => (await caches.keys()).includes('tsunagaru-attachments')))
    .toBe(true);
  await reader.context.setOffline(true);
  const offline = await reader.page.evaluate(async (url) => {
    const answer = await fetch(url!);
    return [answer.status, answer.headers.get('content-type')];
  }, attachment);
  expect(offline).toEqual([200, 'image/png']);
  await reader.context.setOffline(false);

  // Back in the list it is read.
  await reader.page.getByRole('link', { name: '回覧板の一覧に戻る' }).click();
  await expect(circularLink(reader.page, title).getByTestId('read-badge')).toHaveText('既読');
  await expect(reader.page.getByTestId('unread-summary')).toHaveText('すべて読みました。');

  // The editor sees one household of two, and who has not read it.
  await editor.page.goto(circularPath);
  await expectHeading(editor.page, title);
  await expect(syncStatus(editor.page)).toHaveAttribute('data-state', 'synced');
  await expect(editor.page.getByTestId('tally')).toHaveText('2 世帯のうち 1 世帯が読みました。');
  await expect(editor.page.getByTestId('not-read')).toHaveText('光が丘 次郎');
  await expect(editor.page.getByTestId('have-read')).toHaveText('練馬 読子');
  expect(await violations(editor.page), `${circularPath} as its editor`).toEqual([]);
  // Members are not offered to withdraw it.
  await reader.page.goto(circularPath);
  await expectHeading(reader.page, title);
  await expect(reader.page.getByRole('button', { name: '取り下げる' })).toHaveCount(0);

  // The editor withdraws it, after a question; it leaves the member's phone too.
  await editor.page.getByRole('button', { name: '取り下げる' }).click();
  await expect(editor.page.getByRole('alert')).toContainText('この回覧板を取り下げますか。');
  expect(await smallTargets(editor.page), `${circularPath} asking to withdraw`).toEqual([]);
  await editor.page.getByRole('button', { name: '取り下げる' }).click();
  await expectHeading(editor.page, '回覧板');
  await expect(circularLink(editor.page, title)).toHaveCount(0);
  await expect(syncStatus(editor.page)).toHaveAttribute('data-state', 'synced');
  await reader.page.reload();
  await expect(reader.page.getByText('この回覧板は見つかりませんでした。')).toBeVisible();
  await openCirculars(reader.page);
  await expect(circularLink(reader.page, title)).toHaveCount(0);

  await reader.context.close();
  await editor.context.close();
});

test('an_attachment_needs_a_signal_and_a_wrong_file_is_refused_in_words', async ({ browser }) => {
  const { editor } = await town(browser);
  const page = editor.page;
  await openCirculars(page);
  await page.locator('summary').filter({ hasText: '回覧板を出す' }).click();

  // Nothing typed: the title's rule, beside the title.
  await page.getByRole('button', { name: 'この内容で回覧する' }).click();
  await expect(page.getByText('回覧板の題名は1〜80文字、本文は8000文字までで入力してください。')).toBeVisible();
  await expect(page.getByLabel('題名')).toBeFocused();
  expect(await violations(page), '/circulars with an error').toEqual([]);

  // A text file named like a picture: the server judges it by its content.
  await page.getByLabel('題名').fill('写真のつもり');
  await page
    .getByLabel('添付ファイル（なくてもかまいません）')
    .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') });
  await page.getByRole('button', { name: 'この内容で回覧する' }).click();
  await expect(page.getByText('添付できるのは写真（JPEG・PNG・WebP）かPDFだけです。')).toBeVisible();

  // With no signal an attachment cannot go; said plainly.
  await editor.context.setOffline(true);
  await page
    .getByLabel('添付ファイル（なくてもかまいません）')
    .setInputFiles({ name: 'map.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'この内容で回覧する' }).click();
  await expect(page.getByText(/電波がないため、添付ファイルを送れません。/)).toBeVisible();

  // Without the attachment it is saved on the phone and waits to be sent.
  await page.getByLabel('添付ファイル（なくてもかまいません）').setInputFiles([]);
  await page.getByRole('button', { name: 'この内容で回覧する' }).click();
  await expect(page.getByText('この端末に保存しました。電波があれば、会員に届きます。')).toBeVisible();
  await expect(circularLink(page, '写真のつもり').getByTestId('sync-badge')).toHaveText('送信待ち');
  await editor.context.setOffline(false);
  await expect(circularLink(page, '写真のつもり').getByTestId('sync-badge')).toHaveCount(0);
  await editor.context.close();
});

