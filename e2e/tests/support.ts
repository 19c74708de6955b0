// Find, act and check helpers shared by the scenarios, named for what a person does.
import { expect, type Page } from '@playwright/test';

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
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
      );
    }
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
  { path: '/college', ja: 'つながるカレッジねりま', en: 'Tsunagaru College Nerima' },
  { path: '/settings', ja: '設定', en: 'Settings' },
  { path: '/install', ja: 'ホーム画面に追加する', en: 'Add to your home screen' },
  { path: '/no-such-page', ja: 'ページが見つかりません', en: 'Page not found' },
];
