// Check (not part of the suite) of the split WebAssembly in a built dist/, in headless
// Chromium: the first load of the shell's home page fetches no chunk; each page opened
// afterwards draws its heading, fetching whatever chunks it needs once; a chunk comes
// back 200 as application/wasm; the service worker's precache starts after the first
// paint; with the network off, pages (and their chunks) still open from the worker's
// cache; no error on the console or in the page.
//
// Usage: node bench/lazy-load.mjs http://127.0.0.1:PORT [login [path …]]
// (a server started with --demo; default: log-in `admin`, every module's main page)
import { chromium } from '@playwright/test';

const CHUNK = /\/(split_|chunk_)[^/]*\.wasm$/;
const PASSWORD = 'tsunagaru-demo-2026';
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const [base, login = 'admin', ...given] = process.argv.slice(2);
const paths = given.length ? given : ['/events', '/circulars', '/handbook', '/college', '/account', '/admin'];
const failures = [];
const fail = (what) => { failures.push(what); console.log(`FAIL ${what}`); };

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
const page = await context.newPage();

const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(`uncaught: ${e.stack ?? e.message}`));

// Chunks the page itself fetched (served by the network or by the service worker).
let pageChunks = [];
page.on('response', async (response) => {
  const url = new URL(response.url());
  if (!CHUNK.test(url.pathname)) return;
  pageChunks.push(url.pathname);
  const type = response.headers()['content-type'];
  if (response.status() !== 200 || type !== 'application/wasm') {
    fail(`${url.pathname}: ${response.status()} ${type}`);
  }
});
// What the service worker fetches to precache, with when.
const workerRequests = [];
context.on('request', (request) => {
  if (request.serviceWorker()) workerRequests.push({ path: new URL(request.url()).pathname, at: Date.now() });
});

async function heading() {
  const h1 = page.locator('main h1').first();
  await h1.waitFor({ state: 'visible', timeout: 30_000 });
  return (await h1.textContent()).trim();
}

async function open(path) {
  pageChunks = [];
  await page.goto(`${base}${path}`);
  const text = await heading();
  console.log(`${path}: 「${text}」 chunks: ${pageChunks.join(', ') || 'none'}`);
  return [...pageChunks];
}

// 1. The first load: the shell's home page, no chunk.
await open('/');
const paint = await page.evaluate(() => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return fcp ? performance.timeOrigin + fcp.startTime : null;
});
await page.evaluate(async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
});
await page.waitForLoadState('networkidle');
// Anything the page fetched until now (its worker installed, the network quiet).
if (pageChunks.length) fail(`the first load of / fetched ${pageChunks.join(', ')}`);
const precache = workerRequests.filter((r) => r.path !== '/sw.js');
if (precache.length && paint) {
  const lead = precache[0].at - paint;
  console.log(`first contentful paint, then the worker's first precache request ${Math.round(lead)} ms later ` +
    `(${precache.length} requests, ${precache.filter((r) => CHUNK.test(r.path)).length} chunks)`);
  if (lead < 0) fail('the service worker started precaching before the first paint');
} else {
  console.log(`(precache requests seen: ${precache.length}; first paint: ${paint})`);
}

// 2. Signed in, each page: its heading, and the chunks it needed.
await page.goto(`${base}/sign-in`);
await page.getByLabel('ログイン名').fill(login);
await page.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
await page.getByRole('button', { name: 'ログインする' }).click();
await page.getByRole('heading', { name: 'アカウント', level: 1 }).waitFor({ timeout: 30_000 });
const used = new Set();
for (const path of paths) for (const chunk of await open(path)) used.add(chunk);

// 3. No network: the same pages from the service worker's cache.
await context.setOffline(true);
for (const path of paths) await open(path);
await context.setOffline(false);

await browser.close();
const bad = errors.filter((e) => !/^Failed to load resource/.test(e));
for (const e of errors) console.log(`console: ${e}`);
if (bad.length) fail(`${bad.length} error(s) in the page`);
console.log(`chunks fetched by the pages: ${[...used].sort().join(', ') || 'none'}`);
console.log(failures.length ? `lazy-load: ${failures.length} failure(s)` : 'lazy-load: ok');
process.exit(failures.length ? 1 : 0);
