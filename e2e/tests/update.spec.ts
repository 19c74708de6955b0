// A new version is deployed while a person has the app open: they are told, and the
// app switches only when they press the button, never mixing two versions.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, expectHeading, waitForServiceWorker, findNewVersion, OwnServer } from './support';

const dist = process.env.TSUNAGARU_DIST ?? path.resolve('../dist');

/** Deploys a new version: a service worker with another VERSION (and no stale .br/.gz). */
function deployNewVersion(distCopy: string): string {
  const sw = path.join(distCopy, 'sw.js');
  const source = fs.readFileSync(sw, 'utf8');
  const match = source.match(/const VERSION = "([^"]+)";/);
  if (!match) throw new Error('sw.js has no VERSION');
  const next = `${match[1]}-next`;
  fs.writeFileSync(sw, source.replace(match[0], `const VERSION = "${next}";`));
  for (const suffix of ['.br', '.gz']) fs.rmSync(sw + suffix, { force: true });
  return next;
}

test('a_new_version_waits_for_the_person_and_reloads_when_asked', async ({ page }) => {
  // Its own server on its own copy of dist/, so the test can deploy a "new version".
  const own = new OwnServer(dist);
  await own.start();
  try {
    await page.goto(`${own.url}/events`);
    await waitForServiceWorker(page);
    await expect(page.getByText('新しいバージョンの準備ができました。')).toHaveCount(0);

    const next = deployNewVersion(own.dist);
    const installed = await findNewVersion(page);
    expect(installed).toBe('installed');
    await expect(page.getByText('新しいバージョンの準備ができました。')).toBeVisible();
    // Until the person agrees, the old version keeps serving the page.
    const before = await page.evaluate(() => caches.keys());
    expect(before.some((k) => k.endsWith('-next'))).toBe(true);

    await page.getByRole('button', { name: '再読み込みして使う' }).click();
    await expect(page.getByText('新しいバージョンの準備ができました。')).toHaveCount(0);
    await expectHeading(page, 'イベント・回覧板');
    await expect
      .poll(() => page.evaluate(() => caches.keys()))
      .toEqual([`tsunagaru-shell-${next}`]);
  } finally {
    await own.remove();
  }
});
