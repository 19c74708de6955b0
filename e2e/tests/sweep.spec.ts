// Every page of the app, opened straight from the address bar — not only by clicking
// through — by every demo account with the app installed and its phone's store filled
// by a sync, online and then with no signal. A page must show real content and never
// break: the strict `test` of support.ts fails on any page error or Rust panic.
import { type Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, expectHeading, syncStatus, test, waitForServiceWorker } from './support';

/** The demo's shared links: its disaster drill, the fair, a circular, さくら's family. */
const DRILL = '0193a6f0-0000-7000-8000-0000000e0001';
const FAIR = '0193a6f0-0000-7000-8000-0000000e0f00';
const CIRCULAR = '0193a6f0-0000-7000-8000-0000000c0001';
const FAMILY = '0193a6f0-0000-7000-8000-00000000f001';

/** Every fixed path of the app (`Page::FIXED`) and one of each path with an id. */
const PATHS = [
  '/',
  '/handbook',
  '/events',
  '/events/new',
  '/circulars',
  '/college',
  '/settings',
  '/install',
  '/sign-in',
  '/sign-up',
  '/account',
  '/admin',
  '/health-centre',
  '/not-found',
  `/events/${DRILL}`,
  `/events/${FAIR}`,
  `/events/${DRILL}/edit`,
  `/circulars/${CIRCULAR}`,
  `/families/${FAMILY}`,
  `/handbook/${FAMILY}/pregnancy`,
  `/handbook/${FAMILY}/growth`,
  `/handbook/${FAMILY}/checkups`,
  `/handbook/${FAMILY}/vaccines`,
];

/** Each demo account (README's table) and no account at all. */
const ROLES = [
  'admin',
  'hoken',
  'college',
  'sakuradai-editor',
  'hikarigaoka-editor',
  'hanako',
  'taro',
  'grandma',
  'ichiro',
  null,
];

/** Opens `path` from the address bar and waits until the page has drawn its content. */
async function openDirectly(page: Page, path: string) {
  await page.goto(path);
  const heading = page.locator('main h1').first();
  await expect(heading, `${path}: a heading in <main>`).toBeVisible();
  await expect(heading, `${path}: a heading with words`).not.toHaveText('');
  // Loading ends in content or in a message, never in a page that waits for ever.
  await expect(page.locator('main'), `${path}: done loading`).not.toContainText(/読み込み中…|確かめています…/);
  // Let the page's own reads finish: the store's answers, then a frame and an idle
  // moment, so a task that outlives the page would run (and panic) inside this visit.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestIdleCallback(() => resolve(), { timeout: 2_000 })),
      ),
  );
  const main = (await page.locator('main').innerText()).trim();
  expect(main.length, `${path}: real content in <main>`).toBeGreaterThan(10);
  await expect(page.locator('#crash-notice'), `${path}: no crash notice`).toHaveCount(0);
}

for (const login of ROLES) {
  const who = login ?? 'signed_out';
  test(`every_page_opens_from_the_address_bar_online_and_offline_as_${who.replace('-', '_')}`, async ({
    page,
    context,
  }) => {
    test.setTimeout(180_000);
    if (login) {
      await page.goto('/sign-in');
      await page.getByLabel('ログイン名').fill(login);
      await page.getByLabel('パスワード', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'ログインする' }).click();
      await expectHeading(page, 'アカウント');
    }
    // Installed: one visit to `/`, the service worker in control, the store synced.
    await page.goto('/');
    await waitForServiceWorker(page);
    if (login) await expect(syncStatus(page)).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });

    for (const path of PATHS) await openDirectly(page, path);

    await context.setOffline(true);
    for (const path of PATHS) await openDirectly(page, path);
    await context.setOffline(false);
  });
}
