// A new version in which only one module changed (the college's code: a second build by
// `cargo xtask test` with a build label compiled into that module, TSUNAGARU_DIST_NEXT)
// is deployed while a person has the old one open. The old page goes on running the old
// build: a module it had not opened yet comes from the old build's folder (the service
// worker's cache; the server no longer has it), never the new one, and the update prompt
// works as ever. After the person's reload, everything comes from the new build.
import type { Page, Request } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  expect,
  test,
  expectHeading,
  findNewVersion,
  navLink,
  OwnServer,
  waitForServiceWorker,
} from './support';

const dist = process.env.TSUNAGARU_DIST ?? path.resolve('../dist');
const next = process.env.TSUNAGARU_DIST_NEXT ?? path.resolve('../target/dist-next');

/** A build's folder of WASM and JS (`pkg-<hash>`) and its service worker's VERSION. */
function buildOf(dir: string) {
  if (!fs.existsSync(path.join(dir, 'sw.js'))) {
    throw new Error(
      `${dir} holds no build: run \`cargo xtask dist --out ${dir} --college-mark next\` ` +
        '(cargo xtask test does) or set TSUNAGARU_DIST_NEXT',
    );
  }
  const folders = fs.readdirSync(dir).filter((name) => name.startsWith('pkg-'));
  expect(folders, `one pkg- folder in ${dir}`).toHaveLength(1);
  const version = /const VERSION = "([^"]+)";/.exec(fs.readFileSync(path.join(dir, 'sw.js'), 'utf8'));
  return { folder: folders[0], version: version![1] };
}

/** Deploys another build: every file of the old one is gone from the server. */
function deploy(build: string, to: string) {
  for (const name of fs.readdirSync(to)) fs.rmSync(path.join(to, name), { recursive: true, force: true });
  fs.cpSync(build, to, { recursive: true });
}

/** Every request the page makes for a file under /pkg-…/, in order, as its path. */
function pkgRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request: Request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/pkg-')) seen.push(pathname);
  });
  return seen;
}

const collegeChunk = /\/split_college[^/]*\.wasm$/;

test('a_module_changed_in_a_new_version_never_runs_in_a_page_of_the_old_one', async ({ page }) => {
  const old = buildOf(dist);
  const fresh = buildOf(next);
  // The second build must really be another build, changed in the college module.
  expect(fresh.folder).not.toBe(old.folder);
  const chunkName = fs.readdirSync(path.join(next, fresh.folder)).find((f) => collegeChunk.test(`/${f}`))!;
  expect(
    fs.readFileSync(path.join(next, fresh.folder, chunkName)).equals(
      fs.readFileSync(path.join(dist, old.folder, chunkName)),
    ),
    'the college chunk differs between the builds',
  ).toBe(false);

  const own = new OwnServer(dist);
  await own.start();
  try {
    const requests = pkgRequests(page);
    await page.goto(`${own.url}/`);
    await expectHeading(page, 'ようこそ');
    await waitForServiceWorker(page);
    expect(requests.filter((p) => collegeChunk.test(p)), 'the home page loads no college chunk').toEqual([]);

    // A deployment: the new files replace the old ones, and the server starts again on
    // them (it reads index.html's inline script for its CSP when it starts).
    await own.stop();
    deploy(next, own.dist);
    await own.start();
    expect((await fetch(`${own.url}/${old.folder}/app.js`)).status, 'the old build is gone').toBe(404);

    // The old page opens a module it has not loaded yet: the old build's chunk, from the
    // old version's cache, draws it.
    const chunkResponse = page.waitForResponse((r) => collegeChunk.test(new URL(r.url()).pathname));
    await navLink(page, 'カレッジ').click();
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toHaveText('つながるカレッジねりま');
    await expect(heading).not.toHaveAttribute('data-build');
    await expect(page.getByTestId('chunk-failed')).toHaveCount(0);
    const chunk = await chunkResponse;
    expect(chunk.status()).toBe(200);
    expect(chunk.fromServiceWorker(), "from the old version's cache").toBe(true);
    expect(requests.filter((p) => collegeChunk.test(p))).toEqual([`/${old.folder}/${chunkName}`]);

    // The new version installs beside the old one and waits for the person.
    expect(await findNewVersion(page)).toBe('installed');
    await expect(page.getByText('新しいバージョンの準備ができました。')).toBeVisible();
    // While it waits, another module not loaded yet still comes from the old build.
    await navLink(page, '母子手帳').click();
    await expectHeading(page, '電子母子手帳');
    await expect(page.getByTestId('chunk-failed')).toHaveCount(0);
    await navLink(page, 'カレッジ').click();
    await expect(heading).toHaveText('つながるカレッジねりま');
    await expect(heading).not.toHaveAttribute('data-build');
    const beforeReload = requests.length;
    expect(requests.filter((p) => !p.startsWith(`/${old.folder}/`)), 'the old page fetched only its own build').toEqual(
      [],
    );
    expect(requests.some((p) => /\/split_handbook[^/]*\.wasm$/.test(p))).toBe(true);

    await page.getByRole('button', { name: '再読み込みして使う' }).click();
    await expect(page.getByText('新しいバージョンの準備ができました。')).toHaveCount(0);
    await expect(heading).toHaveText('つながるカレッジねりま');
    await expect(heading).toHaveAttribute('data-build', 'next');
    await expect(page.getByTestId('chunk-failed')).toHaveCount(0);
    const afterReload = requests.slice(beforeReload);
    expect(afterReload).toContain(`/${fresh.folder}/${chunkName}`);
    expect(afterReload.filter((p) => !p.startsWith(`/${fresh.folder}/`)), 'the new page fetched only its build').toEqual(
      [],
    );
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`tsunagaru-shell-${fresh.version}`]);
  } finally {
    await own.remove();
  }
});
