// Figures (not part of the suite, no budget) for the growth chart in a built dist/, in
// headless Chromium: a guardian whose child has a birth record and 100 weight/length/head
// measurements, all already on the phone (synced), opens 成長の記録 from the handbook;
// how long from the click until the chart shows its 101 points (100 + the birth), and
// how long switching the chart to length takes: until drawn and laid out, and until the
// next frame is painted. Five runs each (RUNS=N for more); the median and the range.
//
// Usage: node bench/growth-chart.mjs http://127.0.0.1:PORT
// (a server started with --demo; it signs up a fresh account)
import { chromium } from '@playwright/test';

const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const [base] = process.argv.slice(2);
if (!base) throw new Error('usage: node bench/growth-chart.mjs http://127.0.0.1:PORT');
const POINTS = 100;
const RUNS = Number(process.env.RUNS ?? 5);

const pad = (n) => String(n).padStart(2, '0');
const day = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const daysAgo = (n) => { const d = new Date(); d.setDate(d.getDate() - n); return day(d); };
const hex = (n, digits) => Math.floor(n).toString(16).padStart(digits, '0');
let counter = 0;
const uuidv7 = () => {
  const t = hex(Date.now(), 12);
  const r = () => hex(Math.random() * 0x10000, 4);
  counter++;
  return `${t.slice(0, 8)}-${t.slice(8)}-7${r().slice(1)}-8${hex(counter, 3)}-${r()}${r()}${r()}`;
};

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));

// A fresh guardian and child, born 700 days ago; a measurement every 7 days.
const login = `bench-growth-${Date.now().toString(36)}`;
const origin = { Origin: base };
const signUp = await page.request.post(`${base}/api/auth/sign-up`, {
  data: { login, display_name: '計測 花子', password: 'sakura no hana ga saku' }, headers: origin });
if (!signUp.ok()) throw new Error(`sign-up: ${signUp.status()} ${await signUp.text()}`);
const family = await (await page.request.post(`${base}/api/families`, {
  data: { child_name: '計測 さくら', child_birth_date: daysAgo(700) }, headers: origin })).json();
const scope = `family:${family.id}`;
const mutations = [{ id: 1, op: { op: 'put', id: `birth-${family.id}`, collection: 'handbook_birth', scope,
  base_version: 0, body: { sex: 'female', weight_g: 3000, length_mm: 490, head_mm: 330 } } }];
for (let i = 0; i < POINTS; i++) {
  const age = 7 * (i + 1) - 6;
  const months = age / 30.4375;
  mutations.push({ id: i + 2, op: { op: 'put', id: uuidv7(), collection: 'handbook_measurement', scope,
    base_version: 0, body: {
      measured_on: daysAgo(700 - age),
      weight_g: Math.round(3200 + 900 * months - 18 * months * months),
      length_mm: Math.round(495 + 30 * months - 0.5 * months * months),
      head_mm: Math.round(340 + 9 * months - 0.2 * months * months),
      note: '',
    } } });
}
// At most 100 mutations a push: two pushes, one client, ids without gaps.
const client = `bench-growth-${Date.now()}`;
for (const part of [mutations.slice(0, 51), mutations.slice(51)]) {
  const push = await page.request.post(`${base}/api/sync/push`, {
    data: { client_id: client, mutations: part }, headers: origin });
  const pushed = await push.json();
  const refused = (pushed.results ?? []).filter((r) => r.outcome !== 'applied');
  if (!push.ok() || refused.length) throw new Error(`push: ${push.status()} ${JSON.stringify(refused[0] ?? pushed).slice(0, 300)}`);
}

// The phone pulls everything; then the data is local.
await page.goto(`${base}/handbook`);
await page.getByTestId('sync-status').and(page.locator('[data-state="synced"]')).waitFor({ timeout: 60_000 });
await page.getByRole('link', { name: '成長の記録' }).click();
await page.locator('[data-testid="growth-point"]').nth(POINTS).waitFor({ timeout: 60_000 });

/** In the page: click `selector`, then time until `count` points are drawn, the chart's
 *  label has changed and the table has rows, laid out (`drawn`: the script's and layout's
 *  work, polled through a message channel, which the browser does not clamp), and until
 *  the next frame is painted after that (`painted`: includes waiting for the frame). */
async function timed(selector, count) {
  return page.evaluate(async ([selector, count]) => {
    const channel = new MessageChannel();
    const tick = () => new Promise((r) => { channel.port1.onmessage = r; channel.port2.postMessage(0); });
    const label = () => document.querySelector('[data-testid="growth-chart"]')?.getAttribute('aria-label');
    const before = label();
    const start = performance.now();
    document.querySelector(selector).click();
    while (document.querySelectorAll('[data-testid="growth-point"]').length !== count
      || !document.querySelector('[data-testid="growth-table"] tbody tr') || label() === before) {
      await tick();
    }
    document.body.getBoundingClientRect();
    const drawn = performance.now() - start;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return [drawn, performance.now() - start];
  }, [selector, count]);
}

const open = [];
const switchTab = [];
for (let run = 0; run < RUNS; run++) {
  await page.getByRole('link', { name: '手帳にもどる' }).click();
  await page.getByRole('link', { name: '成長の記録' }).waitFor();
  open.push(await timed('a[href$="/growth"]', POINTS + 1));
  await page.locator('[data-testid="growth-point"]').nth(POINTS).waitFor();
  // Length, then back to weight (each redraws the chart and the table).
  switchTab.push(await timed('.view-switch button:nth-child(2)', POINTS + 1));
  switchTab.push(await timed('.view-switch button:nth-child(1)', POINTS + 1));
}
const summary = (label, list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${label}: median ${median.toFixed(1)} ms (${sorted[0].toFixed(1)}–${sorted.at(-1).toFixed(1)} ms, ${list.length} runs)`);
};
summary(`open the growth page, chart with ${POINTS + 1} points + table drawn and laid out`, open.map((t) => t[0]));
summary('  … and painted (the next frame)', open.map((t) => t[1]));
summary(`switch the chart to another indicator (${POINTS + 1} points), drawn and laid out`, switchTab.map((t) => t[0]));
summary('  … and painted (the next frame)', switchTab.map((t) => t[1]));
if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
await browser.close();
if (errors.length) process.exit(1);
