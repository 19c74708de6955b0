// Benchmark (not a test): a resident's first sync in headless Chromium. Seeds 10,000
// public event records (unless `--seeded`), signs in as `ichiro` in a fresh browser
// context, opens `/` and waits until the app's first sync run has finished: the app marks
// `tsunagaru-sync-start` and measures `tsunagaru-sync` at the end of each completed run,
// and `[data-testid="sync-status"]` gets `data-state="synced"`. Reports that duration
// (budget 1 s), the pull requests and their encoded body bytes, and checks in IndexedDB
// that every record is stored (as a single value or in a chunk).
//
// When the app has no sync yet (no status element and no pull request), prints
// "not measured: the app does not sync yet" and exits 0. Exits 1 when the budget is
// missed or the sync never finishes.
// Usage: node bench/initial-sync.mjs http://127.0.0.1:PORT [--seeded]
import { chromium } from '@playwright/test';

import { PASSWORD, seed } from './sync-seed.mjs';

const base = process.argv[2];
const RECORDS = 10_000;
const BUDGET_MS = 1000;
/** How long to wait for any sign of sync before calling it not built. */
const NOTICE_MS = 20_000;
/** How long the first sync may take before the bench gives up on it. */
const GIVE_UP_MS = 120_000;
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

if (!process.argv.includes('--seeded')) await seed(base, RECORDS);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
let code = 0;
try {
  code = await measure();
} finally {
  await browser.close();
}
process.exit(code);

async function measure() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const signIn = await context.request.post(`${base}/api/auth/sign-in`, {
    data: { login: 'ichiro', password: PASSWORD },
    headers: { Origin: base },
  });
  if (signIn.status() !== 200) throw new Error(`sign-in: ${signIn.status()}`);
  const me = await context.request.get(`${base}/api/me`);
  if (me.status() !== 200) throw new Error(`the session cookie did not stick: /api/me ${me.status()}`);

  const page = await context.newPage();
  const pulls = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/sync/pull') {
      pulls.push(response.request().sizes().then((sizes) => {
        const timing = response.request().timing();
        return {
          status: response.status(),
          encoding: response.headers()['content-encoding'] ?? 'identity',
          bytes: sizes.responseBodySize,
          // From sending the request to the last byte of the answer.
          network: timing.responseEnd >= 0 && timing.requestStart >= 0
            ? timing.responseEnd - timing.requestStart : 0,
        };
      }));
    }
  });
  const start = Date.now();
  await page.goto(`${base}/`);

  // Has the app any sync at all? Either the status element or a pull request.
  const status = page.locator('[data-testid="sync-status"]');
  const noticed = await Promise.race([
    status.waitFor({ state: 'attached', timeout: NOTICE_MS }).then(() => true, () => false),
    page.waitForRequest((r) => r.url().includes('/api/sync/pull'), { timeout: NOTICE_MS })
      .then(() => true, () => false),
  ]);
  if (!noticed && pulls.length === 0) {
    console.log('initial sync in Chromium: not measured: the app does not sync yet ' +
      `(no [data-testid="sync-status"] and no pull within ${NOTICE_MS / 1000} s)`);
    return 0;
  }

  const measured = await page.waitForFunction(() => {
    const synced = document.querySelector('[data-testid="sync-status"]')
      ?.getAttribute('data-state') === 'synced';
    const [first] = performance.getEntriesByName('tsunagaru-sync', 'measure');
    return synced && first ? first.duration : false;
  }, null, { timeout: GIVE_UP_MS, polling: 50 }).then((h) => h.jsonValue(), () => null);
  if (measured === null) {
    const state = await status.getAttribute('data-state').catch(() => null);
    console.log(`initial sync in Chromium: FAILED: no completed sync within ${GIVE_UP_MS / 1000} s ` +
      `(sync-status data-state=${state}, ${pulls.length} pull requests)`);
    return 1;
  }
  const wall = Date.now() - start;
  // Only the pulls of the first run: the ones made before it was measured.
  const firstRun = pulls.slice();

  const stored = await page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name)
      .filter((n) => n?.startsWith('tsunagaru-sync'));
    let count = 0;
    for (const name of names) {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      // Pulled records are single values in `records` or, many at a time, in `chunks`
      // (`{scope, ids, text}`, schema 2): count each id once.
      const ids = new Set();
      const all = (store, read) => new Promise((resolve, reject) => {
        const req = read(db.transaction(store).objectStore(store));
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      if (db.objectStoreNames.contains('records')) {
        for (const key of await all('records', (s) => s.getAllKeys())) ids.add(key);
      }
      if (db.objectStoreNames.contains('chunks')) {
        for (const chunk of await all('chunks', (s) => s.getAll())) {
          for (const id of chunk.ids) ids.add(id);
        }
      }
      count += ids.size;
      db.close();
    }
    return { names, count };
  });

  const answered = await Promise.all(firstRun);
  const bytes = answered.reduce((sum, p) => sum + p.bytes, 0);
  const network = answered.reduce((sum, p) => sum + p.network, 0);
  const encodings = [...new Set(answered.map((p) => p.encoding))].join(', ');
  const bad = answered.filter((p) => p.status !== 200).length;
  const ok = measured <= BUDGET_MS && stored.count >= RECORDS && bad === 0;
  console.log(`initial sync in Chromium: first sync ${measured.toFixed(0)} ms (budget ${BUDGET_MS} ms; ` +
    `${wall} ms from opening / to synced), ${answered.length} pull requests ` +
    `(${network.toFixed(0)} ms from request to last byte, added up), ` +
    `${(bytes / 1000).toFixed(1)} KB of encoded bodies (${encodings}), ` +
    `${stored.count} records in IndexedDB (${stored.names.join(', ') || 'no tsunagaru-sync database'})` +
    `${bad ? `, ${bad} pulls not 200` : ''}${ok ? '' : '  ** OVER BUDGET **'}`);
  if (stored.count < RECORDS) {
    console.log(`initial sync in Chromium: only ${stored.count} of ${RECORDS} records stored`);
  }
  return ok ? 0 : 1;
}
