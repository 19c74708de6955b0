// Find, act and check helpers shared by the scenarios, named for what a person does.
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export { expect };

/**
 * Every spec's `test`: it fails on what a person would see as a broken page — an uncaught
 * error or unhandled promise rejection in any page of the test (also pages of contexts the
 * test makes itself with `browser.newContext()`), or a console message with a Rust panic
 * (`panicked at`). A test that expects one says so with
 * `test.use({ expectedPageErrors: [/…/] })`.
 */
export const test = base.extend<{ expectedPageErrors: RegExp[]; strictPages: void }>({
  expectedPageErrors: [[], { option: true }],
  strictPages: [
    async ({ context, browser, expectedPageErrors }, use) => {
      const problems: string[] = [];
      const watch = (watched: BrowserContext) => {
        watched.on('weberror', (error) => {
          const page = error.page()?.url() ?? 'a page';
          problems.push(`uncaught on ${page}: ${error.error().stack ?? error.error().message}`);
        });
        watched.on('console', (message) => {
          if (message.text().includes('panicked at')) {
            problems.push(`panic on ${message.page()?.url() ?? 'a page'}: ${message.text()}`);
          }
        });
      };
      watch(context);
      const newContext = browser.newContext;
      browser.newContext = async (...args: Parameters<typeof newContext>) => {
        const made = await newContext.apply(browser, args);
        watch(made);
        return made;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      const unexpected = problems.filter((p) => !expectedPageErrors.some((e) => e.test(p)));
      expect(unexpected, 'errors a person would meet as a broken page').toEqual([]);
    },
    { auto: true },
  ],
});

/** The bottom navigation's links, by the label a person reads. */
export function navLink(page: Page, label: string) {
  return page.getByRole('navigation').getByRole('link', { name: label });
}

/** The settings link in the header, by the label a person reads. */
export function settingsLink(page: Page, label = '設定') {
  return page.getByRole('banner').getByRole('link', { name: label });
}

/** Checks the page a person sees by its main heading. */
export async function expectHeading(page: Page, text: string) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(text);
}

/** Waits until the service worker controls the page and has cached the shell. */
export async function waitForServiceWorker(page: Page) {
  const controlled = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return true;
    return new Promise<boolean>((resolve) => {
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true });
      setTimeout(() => resolve(!!navigator.serviceWorker.controller), 15_000);
    });
  });
  if (!controlled) {
    // The worker became active (and claimed its clients) while this page was still
    // loading, before it was a client: nothing will take control of this page, but every
    // page loaded from now on is controlled, as a person's next visit would be.
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  }
}

/**
 * Asks the browser to look for a new version of the service worker and waits until it has
 * downloaded and precached all of it ('installed') — the moment the app promises to tell
 * the person. On a busy machine that takes longer than any fixed wait.
 */
export async function findNewVersion(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.getRegistration())!;
    await registration.update();
    const worker = registration.installing ?? registration.waiting;
    if (!worker) return 'no new version found';
    while (worker.state === 'installing') {
      await new Promise((resolve) => worker.addEventListener('statechange', resolve, { once: true }));
    }
    return worker.state;
  });
}

/** The URLs held in every Cache Storage cache of this origin. */
export async function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
}

/** The pages every scenario can reach, with their headings in each language. */
export const pages = [
  { path: '/', ja: 'ようこそ', en: 'Welcome' },
  { path: '/handbook', ja: '電子母子手帳', en: 'Mother and child health handbook' },
  { path: '/events', ja: 'イベント・回覧板', en: 'Events & circulars' },
  { path: '/circulars', ja: '回覧板', en: 'Circulars' },
  { path: '/college', ja: 'つながるカレッジねりま', en: 'Tsunagaru College Nerima' },
  { path: '/settings', ja: '設定', en: 'Settings' },
  { path: '/install', ja: 'ホーム画面に追加する', en: 'Add to your home screen' },
  { path: '/sign-in', ja: 'ログイン', en: 'Sign in' },
  { path: '/sign-up', ja: '新規登録', en: 'Create an account' },
  // Signed out, these say why not and link to sign in.
  { path: '/account', ja: 'アカウント', en: 'Account' },
  { path: '/admin', ja: '管理', en: 'Administration' },
  // A shared link to one event (the demo's disaster drill), to the fair, to a circular.
  { path: '/events/0193a6f0-0000-7000-8000-0000000e0001', ja: 'イベント', en: 'Event' },
  { path: '/events/0193a6f0-0000-7000-8000-0000000e0f00', ja: 'イベント', en: 'Event' },
  { path: '/circulars/0193a6f0-0000-7000-8000-0000000c0001', ja: '回覧板', en: 'Circulars' },
  { path: '/no-such-page', ja: 'ページが見つかりません', en: 'Page not found' },
];

/** The password every demo account has (server `--demo`). */
export const DEMO_PASSWORD = 'tsunagaru-demo-2026';

/** A log-in name no other test (or earlier run against the same server) has used. */
export function uniqueLogin(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

/** The header's account link: 「ログイン」 when signed out, the person's name when signed in. */
export function accountLink(page: Page, name: string | RegExp) {
  return page.getByRole('banner').getByRole('link', { name });
}

/** Creates an account through the sign-up form and waits until the app shows it. */
export async function signUp(page: Page, login: string, displayName: string, password = 'sakura no hana ga saku') {
  await page.goto('/sign-up');
  await page.getByLabel('ログイン名').fill(login);
  await page.getByLabel('表示名（ほかの人に見える名前）').fill(displayName);
  await page.getByLabel('パスワード', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登録する' }).click();
  await expectHeading(page, 'アカウント');
  await expect(accountLink(page, new RegExp(displayName))).toBeVisible();
}

/** Starts a family handbook from the account page and returns the family page's path. */
export async function createFamily(page: Page, childName: string, birthDate = '2025-04-01') {
  await page.goto('/account');
  await page.getByLabel('お子さんの名前').fill(childName);
  await page.getByLabel('生年月日（出産予定日）').fill(birthDate);
  await page.getByRole('button', { name: '手帳をつくる' }).click();
  await expectHeading(page, '家族');
  await expect(page.getByTestId('child-name')).toHaveText(childName);
  return new URL(page.url()).pathname;
}

/** The status of `GET /api/me` as the page itself would ask. */
export async function meStatus(page: Page): Promise<number> {
  return page.evaluate(async () => (await fetch('/api/me', { credentials: 'same-origin' })).status);
}

/** Signs in through the sign-in form and waits until the app shows the account. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('ログイン名').fill(login);
  await page.getByLabel('パスワード', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'ログインする' }).click();
  await expectHeading(page, 'アカウント');
}

/** The sync bar (signed in only): its words and its state. */
export function syncStatus(page: Page) {
  return page.getByTestId('sync-status');
}

/** Writes a guardian's note in the handbook and waits for 「この端末に保存しました。」. */
export async function writeNote(page: Page, text: string) {
  await page.getByLabel('新しい記録').first().fill(text);
  await page.getByRole('button', { name: '記録する' }).first().click();
  await expect(page.getByText('この端末に保存しました。').first()).toBeVisible();
}

/** A note in the handbook's list, by its words. */
export function note(page: Page, text: string) {
  return page.getByTestId('notes').first().getByRole('listitem').filter({ hasText: text });
}

/** The WCAG 2.x A/AA rule sets axe checks. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** What axe finds against the WCAG rules on the page as it is now, one line per rule. */
export async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
}

/** Links, buttons and choices on screen smaller than a finger (48 px). */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('a, button, summary, label.choice')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ text: el.innerText.trim().slice(0, 30), box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 48 || box.width < 48)
      .map(({ text, box }) => `${text} (${Math.round(box.width)}×${Math.round(box.height)})`),
  );
}

/** The server binary (`cargo xtask test` passes the one it built). */
const serverBinary = process.env.TSUNAGARU_SERVER ?? path.resolve('../target/debug/server');

/**
 * A server of a test's own, on a copy of a build in a fresh folder, so that the test can
 * deploy another version under it: `start` (again after `stop`, on the same port and
 * database, as a deployment restarts the server), `stop`, `remove` (stops it and deletes
 * the folder). Its port is beside the suite's server (E2E_PORT), one per worker, so two
 * runs on one machine do not collide.
 */
export class OwnServer {
  readonly work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagaru-own-'));
  readonly dist = path.join(this.work, 'dist');
  readonly port = Number(process.env.E2E_PORT ?? 18181) + 100 + base.info().workerIndex;
  readonly url = `http://127.0.0.1:${this.port}`;
  private child: ChildProcess | null = null;

  constructor(build: string) {
    fs.cpSync(build, this.dist, { recursive: true });
  }

  async start() {
    const db = path.join(this.work, 'own.db');
    const args = ['--addr', `127.0.0.1:${this.port}`, '--database', `sqlite://${db}`, '--dist', this.dist];
    this.child = spawn(serverBinary, args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    throw new Error('the server did not start');
  }

  async stop() {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
  }

  async remove() {
    await this.stop();
    fs.rmSync(this.work, { recursive: true, force: true });
  }
}
