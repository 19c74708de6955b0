// Offline sync in real Chromium: a note written with no signal is kept on the phone,
// survives a reload, and reaches the family once the signal is back; a server that dies
// in the middle of a push loses nothing; two tabs never push the same change twice; two
// guardians correcting one note offline see a conflict, never a silent loss.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { type Page, type Request } from '@playwright/test';
import {
  expect,
  test,
  DEMO_PASSWORD,
  createFamily,
  expectHeading,
  note,
  signIn,
  signUp,
  syncStatus,
  uniqueLogin,
  waitForServiceWorker,
  writeNote,
} from './support';

function unique(words: string) {
  return `${words} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

async function openHandbook(page: Page) {
  await page.goto('/handbook');
  await expectHeading(page, '電子母子手帳');
  await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced');
}

test('a_note_written_offline_survives_a_reload_and_reaches_the_family', async ({ page, context, browser }) => {
  await signIn(page, 'hanako');
  await waitForServiceWorker(page);
  await openHandbook(page);

  await context.setOffline(true);
  const text = unique('夜はよく眠りました。熱はありません。');
  await writeNote(page, text);
  await expect(note(page, text).getByTestId('sync-badge')).toHaveText('送信待ち');
  await expect(syncStatus(page)).toContainText('この端末に保存済み・送信待ち 1件');

  // Still no signal: the app and the note come back from the phone alone.
  await page.reload();
  await expectHeading(page, '電子母子手帳');
  await expect(note(page, text).getByTestId('sync-badge')).toHaveText('送信待ち');
  await expect(syncStatus(page)).toContainText('送信待ち 1件');

  // The signal is back: it is sent without anyone pressing anything.
  await context.setOffline(false);
  await expect(note(page, text).getByTestId('sync-badge')).toHaveText('送信済み');
  await expect(syncStatus(page)).toHaveText(/送信済み・最新の状態です/);

  // Taro, the other guardian, on his own phone.
  const taroContext = await browser.newContext();
  const taro = await taroContext.newPage();
  await signIn(taro, 'taro');
  await openHandbook(taro);
  await expect(note(taro, text)).toContainText('練馬 花子');
  await expect(note(taro, text).getByTestId('sync-badge')).toHaveText('送信済み');
  await taroContext.close();
});

test('two_guardians_correcting_the_same_note_offline_keep_both_words', async ({ page, context, browser }) => {
  await signIn(page, 'hanako');
  await openHandbook(page);
  const first = unique('ミルクを120ml飲みました。');
  await writeNote(page, first);
  await expect(note(page, first).getByTestId('sync-badge')).toHaveText('送信済み');

  const taroContext = await browser.newContext();
  const taro = await taroContext.newPage();
  await signIn(taro, 'taro');
  await openHandbook(taro);
  await expect(note(taro, first)).toBeVisible();

  // Both correct the same note with no signal.
  await context.setOffline(true);
  await taroContext.setOffline(true);
  const hers = unique('ミルクを140ml飲みました。');
  const his = unique('ミルクを100ml飲みました。');
  for (const [who, words] of [[page, hers], [taro, his]] as const) {
    await note(who, first).getByRole('button', { name: '直す' }).click();
    await who.getByLabel('記録を直す').fill(words);
    await who.getByRole('button', { name: '直した内容を保存' }).click();
    await expect(note(who, words).getByTestId('sync-badge')).toHaveText('送信待ち');
  }

  // Hanako's correction reaches the server first and stays.
  await context.setOffline(false);
  await expect(note(page, hers).getByTestId('sync-badge')).toHaveText('送信済み');
  await taroContext.setOffline(false);
  const notices = taro.getByRole('region', { name: /送れなかった変更 1件/ });
  await expect(notices).toContainText('同じ記録を家族の別の人が先に変えていました');
  await expect(notices.locator('blockquote')).toHaveText(his);
  await expect(note(taro, hers).getByTestId('sync-badge')).toHaveText('送信済み');
  await expect(note(taro, his)).toHaveCount(0);
  await notices.getByRole('button', { name: '確認しました' }).click();
  await expect(notices).toHaveCount(0);

  // Deleting asks first; then the note leaves both phones.
  await note(page, hers).getByRole('button', { name: '消す' }).click();
  await expect(note(page, hers).getByRole('alert')).toContainText('この記録を消しますか');
  await note(page, hers).getByRole('button', { name: '消す' }).click();
  await expect(note(page, hers)).toHaveCount(0);
  await expect(syncStatus(page)).toHaveText(/送信済み・最新の状態です/);
  await taro.getByRole('button', { name: '今すぐ同期' }).click();
  await expect(note(taro, hers)).toHaveCount(0);
  await taroContext.close();
});

/** A server of this test's own, on its own database file, that the test can kill. */
class OwnServer {
  process?: ChildProcess;
  url = '';
  readonly database = path.join(os.tmpdir(), `tsunagaru-e2e-crash-${process.pid}-${Date.now()}.db`);

  async start(port = 0) {
    const server = process.env.TSUNAGARU_SERVER ?? path.resolve('../target/debug/server');
    const dist = process.env.TSUNAGARU_DIST ?? path.resolve('../dist');
    const child = spawn(
      server,
      ['--addr', `127.0.0.1:${port}`, '--database', `sqlite://${this.database}`, '--dist', dist, '--demo'],
      { env: { ...process.env, RUST_LOG: 'warn', TSUNAGARU_AUTH_BURST: '1000', TSUNAGARU_ACCOUNT_BURST: '100' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.process = child;
    this.url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stdout!.on('data', (chunk) => {
        seen += chunk.toString();
        const url = seen.match(/http:\/\/127\.0\.0\.1:\d+/);
        if (url) resolve(url[0]);
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
    });
  }

  /** Kills the process at once, as a power cut would. */
  async kill() {
    const child = this.process!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  port() {
    return Number(new URL(this.url).port);
  }
}

test('a_server_that_dies_in_the_middle_of_a_push_loses_nothing', async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  try {
    await signIn(page, 'hanako');
    await openHandbook(page);

    // The next push reaches the server, which saves it; then the server dies before
    // its answer gets back. The phone cannot know whether it was saved.
    let killed = false;
    await page.route('**/api/sync/push', async (route) => {
      if (killed) return route.continue();
      killed = true;
      const response = await route.fetch();
      expect(response.status()).toBe(200);
      await server.kill();
      await route.abort('connectionreset');
    });
    const first = unique('せきが少し出ています。');
    await writeNote(page, first);
    await expect(syncStatus(page)).toHaveAttribute('data-state', 'failed');
    await expect(syncStatus(page)).toContainText('送れませんでした');
    await expect(note(page, first).getByTestId('sync-badge')).toHaveText('送信待ち');

    // While it is down, another note; then the server comes back on the same port.
    const second = unique('ミルクを200ml飲みました。');
    await writeNote(page, second);
    await expect(syncStatus(page)).toContainText('送信待ち 2件');
    await server.start(server.port());
    await page.getByRole('button', { name: '今すぐ同期' }).click();
    await expect(syncStatus(page)).toHaveText(/送信済み・最新の状態です/);
    await expect(note(page, first).getByTestId('sync-badge')).toHaveText('送信済み');
    await expect(note(page, second).getByTestId('sync-badge')).toHaveText('送信済み');

    // A fresh phone sees each note exactly once: the retried push was not applied twice.
    const other = await browser.newContext({ baseURL: server.url });
    const fresh = await other.newPage();
    await signIn(fresh, 'taro');
    await openHandbook(fresh);
    await expect(note(fresh, first)).toHaveCount(1);
    await expect(note(fresh, second)).toHaveCount(1);
    await other.close();
  } finally {
    await context.close();
    await server.kill().catch(() => {});
  }
});

test('two_tabs_never_push_the_same_change_twice', async ({ page, context }) => {
  await signUp(page, uniqueLogin('tabs'), '二つのタブ');
  await createFamily(page, '練馬 ふたば');
  await openHandbook(page);
  const second = await context.newPage();
  await openHandbook(second);

  const pushed: string[] = [];
  context.on('requestfinished', (request: Request) => {
    if (!request.url().includes('/api/sync/push')) return;
    const body = request.postDataJSON() as { client_id: string; mutations: { id: number }[] };
    for (const mutation of body.mutations) pushed.push(`${body.client_id}/${mutation.id}`);
  });

  await context.setOffline(true);
  const notes = [unique('一つめ'), unique('二つめ'), unique('三つめ')];
  for (const text of notes) await writeNote(page, text);
  // The other tab shows them too, waiting to be sent: both tabs share the phone's store.
  for (const text of notes) {
    await expect(note(second, text).getByTestId('sync-badge')).toHaveText('送信待ち');
  }
  expect(pushed).toEqual([]);

  // Both tabs see the signal come back and both try to sync. Each push is held back a
  // moment on its way, so the second tab tries while the first one's push is in flight.
  await context.route('**/api/sync/push', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await context.setOffline(false);
  for (const tab of [page, second]) {
    for (const text of notes) {
      await expect(note(tab, text).getByTestId('sync-badge')).toHaveText('送信済み');
    }
    await expect(syncStatus(tab)).toHaveText(/送信済み・最新の状態です/);
  }
  expect(pushed).toHaveLength(3);
  expect(new Set(pushed).size).toBe(3);
});

test('signed_in_the_settings_page_shows_the_storage_used', async ({ page }) => {
  await signIn(page, 'ichiro', DEMO_PASSWORD);
  await page.goto('/settings');
  await expect(page.getByTestId('storage')).toContainText(/使っている容量：\d+(\.\d)? (KB|MB)/);
  await expect(page.getByTestId('storage')).toContainText(/保護されています|保護されていません/);
});

/** How many records (loose or in pulled chunks) of one family's scope the phone holds. */
async function familyRecords(page: Page, familyId: string): Promise<number> {
  return page.evaluate(async (scope) => {
    const name = (await indexedDB.databases()).map((d) => d.name!).find((n) => n.startsWith('tsunagaru-sync-'))!;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const count = (store: string) =>
      new Promise<number>((resolve) => {
        const request = db.transaction(store).objectStore(store).index('scope').count(scope);
        request.onsuccess = () => resolve(request.result);
      });
    const total = (await count('records')) + (await count('chunks'));
    db.close();
    return total;
  }, `family:${familyId}`);
}

test('a_change_the_server_refuses_is_shown_with_what_to_do_and_a_lost_familys_data_leaves_the_phone', async ({ browser }) => {
  const mamaContext = await browser.newContext();
  const mama = await mamaContext.newPage();
  await signUp(mama, uniqueLogin('mama'), '練馬 まま');
  const familyPath = await createFamily(mama, '練馬 あおい');
  const familyId = familyPath.split('/').pop();
  const origin = new URL(mama.url()).origin;
  const invite = await (
    await mama.request.post(`/api/families/${familyId}/invites`, { data: { role: 'guardian' }, headers: { Origin: origin } })
  ).json();

  const papaContext = await browser.newContext();
  const papa = await papaContext.newPage();
  await signUp(papa, uniqueLogin('papa'), '練馬 ぱぱ');
  const joined = await papa.request.post('/api/invites/accept', { data: { code: invite.code }, headers: { Origin: origin } });
  expect(joined.ok()).toBe(true);
  const papaId = (await (await papa.request.get('/api/me')).json()).id;

  const shared = unique('予防接種の日をメモ');
  await openHandbook(mama);
  await writeNote(mama, shared);
  await expect(note(mama, shared).getByTestId('sync-badge')).toHaveText('送信済み');
  await openHandbook(papa);
  await expect(note(papa, shared)).toBeVisible();
  expect(await familyRecords(papa, familyId!)).toBeGreaterThan(0);

  // Papa writes with no signal; meanwhile mama removes him from the family.
  await papaContext.setOffline(true);
  const mine = unique('保育園の連絡');
  await writeNote(papa, mine);
  const removed = await mama.request.delete(`/api/families/${familyId}/members/${papaId}`, { headers: { Origin: origin } });
  expect(removed.ok()).toBe(true);

  await papaContext.setOffline(false);
  const notices = papa.getByRole('region', { name: '送れなかった変更 1件' });
  await expect(notices).toContainText('この記録を変える権限がありません');
  // What he wrote is not lost: it is there to copy.
  await expect(notices).toContainText(mine);
  // The family's handbook has left his phone.
  await expect(papa.getByText(shared)).toHaveCount(0);
  // Nothing of that family's scope is left, loose or in a pulled chunk; the public
  // board (events everyone may read) rightly stays.
  expect(await familyRecords(papa, familyId!)).toBe(0);

  await notices.getByRole('button', { name: '確認しました' }).click();
  await expect(notices).toHaveCount(0);
  await expect(syncStatus(papa)).toHaveText(/送信済み・最新の状態です/);
  await mamaContext.close();
  await papaContext.close();
});

// Once failed under load (2026-11-27) when sign-out ran with the sync store still open;
// sign-out now closes the store first (Sync::sign_out).
test('signing_out_with_changes_not_yet_sent_warns_first', async ({ page, context }) => {
  await signUp(page, uniqueLogin('unsent'), '練馬 みどり');
  await createFamily(page, '練馬 そら');
  await openHandbook(page);
  await context.setOffline(true);
  const text = unique('まだ送っていない記録');
  await writeNote(page, text);
  // The signal comes back but the server takes no pushes: the note stays unsent.
  await page.route('**/api/sync/push', (route) => route.abort());
  await context.setOffline(false);

  await page.goto('/account');
  await expect(syncStatus(page)).toHaveText(/送信待ち 1件/);
  await page.getByRole('button', { name: 'ログアウトする' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '送信待ちの変更が 1件あります' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('アカウント');
  // The device list's "sign out of this phone" warns the same way.
  await page.getByRole('button', { name: 'この端末からログアウト' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '送信待ちの変更が 1件あります' })).toHaveCount(2);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('アカウント');

  // Once it is sent, signing out goes ahead.
  await page.unroute('**/api/sync/push');
  await page.getByRole('button', { name: '今すぐ同期' }).click();
  await expect(syncStatus(page)).toHaveText(/送信済み・最新の状態です/);
  await page.getByRole('button', { name: 'ログアウトする' }).click();
  await expectHeading(page, 'ようこそ');
  await expect(syncStatus(page)).toHaveCount(0);
  // The phone's copy is deleted: the sync database is gone.
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases())
    .filter((d) => d.name?.startsWith('tsunagaru-sync-')).length)).toBe(0);
});
