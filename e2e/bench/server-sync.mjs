// Benchmark (not a test) of the server's sync routes, against a server started with
// --demo, a fresh database and loose sign-in rate limits (cargo xtask bench does that).
//
// 1. Seeds 10,000 public events (~550 bytes of JSON body each) as the demo admin
//    through POST /api/sync/push: one client id, gap-free mutation ids from 1.
// 2. Bytes on the wire of a resident's whole initial sync: every pull page, following
//    cursor/has_more, with `Accept-Encoding: br, gzip` (budget 350 KB); gzip alone too.
// 3. wrk, 100 connections on loopback: the first pull page (500 records), a pull by an
//    up-to-date client (head cursor, its scopes: nothing new), then pushes of
//    50 new public records, each request a fresh client id with mutation ids 1..50, so
//    every request is a real write (budget p99 <= 50 ms each).
//
// Prints the figures; exits 1 only when a budget is missed, after running every part.
// Usage: node bench/server-sync.mjs http://127.0.0.1:PORT [seconds per wrk run]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { decode, request, seed, signIn } from './sync-seed.mjs';

const base = process.argv[2];
const seconds = Number(process.argv[3] ?? 10);
const RECORDS = 10_000;
const P99_BUDGET_MS = 50;
const BYTES_BUDGET = 350 * 1000;
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const get = (path, options) => request(base, 'GET', path, options);

/** A whole initial sync as a fresh client: every page until has_more is false. */
async function initialSync(cookie, accept) {
  const client = `bench-fresh-${Date.now().toString(36)}`;
  let cursor = 0;
  let scopes = '';
  let pages = 0;
  let records = 0;
  let wire = 0;
  let json = 0;
  const encodings = new Set();
  for (;;) {
    const path = `/api/sync/pull?client_id=${client}&cursor=${cursor}&scopes=${encodeURIComponent(scopes)}`;
    const res = await get(path, { cookie, headers: { 'accept-encoding': accept } });
    if (res.status !== 200) throw new Error(`pull: ${res.status} ${res.wire}`);
    const text = decode(res);
    const page = JSON.parse(text);
    pages++;
    records += page.records.length;
    wire += res.wire.length;
    json += text.length;
    encodings.add(res.headers['content-encoding'] ?? 'identity');
    cursor = page.cursor;
    scopes = page.scopes.join(',');
    if (!page.has_more) break;
  }
  return { pages, records, wire, json, encodings: [...encodings].join(', '), cursor, scopes };
}

/** Runs wrk with a Lua script whose done() prints one `WRK_RESULT {json}` line. */
function wrk(script, args) {
  const run = spawnSync('wrk', ['-t2', '-c100', `-d${seconds}s`, '--timeout', '10s', '-s',
    here(script), base, '--', ...args], { encoding: 'utf8' });
  if (run.error) throw run.error;
  const line = run.stdout.split('\n').find((l) => l.startsWith('WRK_RESULT '));
  if (run.status !== 0 || !line) {
    throw new Error(`wrk ${script} failed (${run.status}): ${run.stdout}${run.stderr}`);
  }
  return JSON.parse(line.slice('WRK_RESULT '.length));
}

const failures = [];
const report = (what, ok, text) => {
  console.log(`${what}: ${text}${ok ? '' : '  ** OVER BUDGET **'}`);
  if (!ok) failures.push(what);
};
/** One part of the bench: an error is reported and counted, and the next part runs. */
async function part(what, body) {
  try {
    await body();
  } catch (e) {
    console.log(`${what}: FAILED: ${e.message}`);
    failures.push(what);
  }
}

const admin = await seed(base, RECORDS);

await part('initial sync bytes', async () => {
  const resident = await signIn(base, 'ichiro');
  const sync = await initialSync(resident, 'br, gzip');
  const gzip = await initialSync(resident, 'gzip');
  report('initial sync bytes', sync.wire <= BYTES_BUDGET,
    `${sync.records} records in ${sync.pages} pull pages: ${(sync.wire / 1000).toFixed(1)} KB on ` +
    `the wire (${sync.encodings}; gzip alone ${(gzip.wire / 1000).toFixed(1)} KB; ` +
    `${(sync.json / 1000).toFixed(0)} KB of JSON), budget ${BYTES_BUDGET / 1000} KB`);
  if (sync.records < RECORDS) throw new Error(`only ${sync.records} records arrived`);
});

const load = (what, result, extra = '') => {
  const rps = result.requests / (result.duration_us / 1e6);
  const p99 = result.p99_us / 1000;
  const errors = Object.entries(result.errors).filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`).join(', ');
  const ok = result.requests > 0 && p99 <= P99_BUDGET_MS && !errors && result.bad === 0;
  report(what, ok,
    `${rps.toFixed(0)} requests/s, p50 ${(result.p50_us / 1000).toFixed(1)} ms, ` +
    `p99 ${p99.toFixed(1)} ms (budget ${P99_BUDGET_MS} ms), ${result.requests} requests in ` +
    `${(result.duration_us / 1e6).toFixed(1)} s, 100 connections${extra}` +
    `${errors ? `; errors: ${errors}` : ''}${result.bad ? `; ${result.bad} unexpected answers` : ''}`);
};

await part('pull, first page of 500 (wrk)', async () => {
  const client = `bench-pull-${Date.now().toString(36)}`;
  load('pull, first page of 500 (wrk)', wrk('wrk-pull.lua', [admin, client]), ', br');
});

await part('pull, up to date: nothing new (wrk)', async () => {
  // The everyday case: a phone that has synced asks whether anything changed.
  const client = `bench-poll-${Date.now().toString(36)}`;
  const head = await initialSync(admin, 'br, gzip');
  load('pull, up to date: nothing new (wrk)',
    wrk('wrk-pull.lua', [admin, client, String(head.cursor), encodeURIComponent(head.scopes)]), ', br');
});

await part('push, 50 new records per request (wrk)', async () => {
  const result = wrk('wrk-push.lua', [admin, base, Date.now().toString(36)]);
  load('push, 50 new records per request (wrk)', result,
    `, ${result.applied} records written`);
});

console.log('(wrk keeps 100 requests in flight, so p99 is at least about 100 / throughput: ' +
  `a p99 of ${P99_BUDGET_MS} ms at 100 connections needs ~${100_000 / P99_BUDGET_MS} requests/s)`);
process.exit(failures.length ? 1 : 0);
