// A new version is deployed while a person has the app open: they are told, and the
// app switches only when they press the button, never mixing two versions.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, expectHeading, waitForServiceWorker } from './support';

const server = process.env.TSUNAGARU_SERVER ?? path.resolve('../target/debug/server');
const dist = process.env.TSUNAGARU_DIST ?? path.resolve('../dist');

/** Its own server on its own copy of dist/, so the test can deploy a "new version". */
async function startServer(distCopy: string, port: number): Promise<ChildProcess> {
  const db = path.join(distCopy, '..', 'update.db');
  const child = spawn(server, ['--addr', `127.0.0.1:${port}`, '--database', `sqlite://${db}`, '--dist', distCopy], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the server did not start');
}

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
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagaru-update-'));
  const distCopy = path.join(work, 'dist');
  fs.cpSync(dist, distCopy, { recursive: true });
  // Beside the suite's own server (E2E_PORT), so two runs on one machine do not collide.
  const port = Number(process.env.E2E_PORT ?? 18181) + 100 + test.info().workerIndex;
  const child = await startServer(distCopy, port);
  try {
    await page.goto(`http://127.0.0.1:${port}/events`);
    await waitForServiceWorker(page);
    await expect(page.getByText('新しいバージョンの準備ができました。')).toHaveCount(0);

    const next = deployNewVersion(distCopy);
    // The browser downloads the new version and precaches all of it in the background,
    // which on a busy machine takes longer than any fixed wait: wait until the browser
    // says it is installed — the moment the app promises to tell the person.
    const installed = await page.evaluate(async () => {
      const registration = (await navigator.serviceWorker.getRegistration())!;
      await registration.update();
      const worker = registration.installing ?? registration.waiting;
      if (!worker) return 'no new version found';
      while (worker.state === 'installing') {
        await new Promise((resolve) => worker.addEventListener('statechange', resolve, { once: true }));
      }
      return worker.state;
    });
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
    child.kill();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
