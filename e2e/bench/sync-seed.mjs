// Seeding for the sync and board benchmarks: public events of the board (collection
// `event`: valid `domain::events::Event` bodies held by the two demo associations, pushed
// as the demo admin), about 550 bytes of JSON each, made from a fixed vocabulary by a
// seeded generator, so every run pushes the same kind of data. Real neighbourhood events
// repeat their places, kinds and wording much like this; ids, dates (within the coming
// four months, so the board lists them as upcoming), times and numbers vary per record.
// Also the plain HTTP helpers (node:http, which unlike fetch never decodes a body, so
// bytes on the wire are seen).
import http from 'node:http';
import zlib from 'node:zlib';

/** Every demo account's password (README). */
export const PASSWORD = 'tsunagaru-demo-2026';
/** The server reads at most 64 KiB of JSON per request; stay well under it. */
const BATCH_BYTES = 60_000;

/** The demo associations (server/src/demo.rs) that hold the events: the board only takes
 * events of a real association. The other names below are only words in titles and
 * venues, as neighbouring groups that share a hall would be. */
export const SAKURADAI = '0193a6f0-0000-7000-8000-000000000001';
export const HIKARIGAOKA = '0193a6f0-0000-7000-8000-000000000002';
const HOLDERS = [SAKURADAI, HIKARIGAOKA];
const ASSOCIATIONS = ['桜台つつじ町会', '光が丘みどり自治会', '石神井台三丁目町会', '大泉学園町会',
  '富士見台自治会', '関町北町会', '中村橋商店会', '平和台二丁目自治会', '豊玉中町会', '北町一丁目町会',
  '貫井三丁目町会', '高野台自治会'];
/** Category (domain::events::Category) and what such an event is called. */
const KINDS = [
  ['festival', '夏まつり'], ['cleanup', '地域清掃'], ['disaster_prep', '防災訓練'],
  ['disaster_prep', '夜間パトロール'], ['seniors', 'ふれあいサロン'], ['festival', '運動会'],
  ['cleanup', '資源回収'], ['festival', 'もちつき大会'], ['learning', '防犯講習会'],
  ['childcare', '子ども会 工作教室'], ['other', '役員会']];
const PLACES = ['桜台公園 集会所', '光が丘区民センター 2階', '石神井公園 ボート乗り場前', '大泉小学校 体育館',
  '町会会館 1階和室', '中村橋駅前広場', '平和台児童館', '豊玉第二小学校 校庭', '北町地区区民館', '高野台ふれあいの家'];
/** 町丁目: most events name one; a few (ward-wide ones) none. */
const AREAS = ['桜台一丁目', '桜台二丁目', '桜台三丁目', '光が丘二丁目', '光が丘三丁目', '光が丘四丁目',
  '豊玉中一丁目', '北町一丁目'];
const TEXTS = [
  'どなたでも参加できます。動きやすい服装でお越しください。雨天の場合は町会の掲示板とこのアプリでお知らせします。',
  '小さなお子さま連れも歓迎です。飲み物は各自ご用意ください。駐輪場に限りがあるため、徒歩でのご来場にご協力ください。',
  '申込みは不要です。当日は受付で名前をお書きください。軍手とごみ袋は町会で用意します。',
  '区の防災課の方を講師にお迎えします。家族で参加して、避難所までの道を一緒に確かめましょう。',
  '高齢の方も座って楽しめる内容です。お茶とお菓子を用意してお待ちしています。送迎が必要な方は前日までにご連絡ください。',
  '材料費として一家族三百円をいただきます。エプロンと三角巾をお持ちください。',
  '集合は開始の十分前です。反射たすきと懐中電灯は貸し出します。',
  '古紙、古布、アルミ缶を集めます。八時半までに集積所へお出しください。収益は子ども会の活動に使います。'];

/** A small deterministic generator (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random, list) => list[Math.floor(random() * list.length)];
const pad = (n) => String(n).padStart(2, '0');

/** A UUIDv7 as a client makes it: milliseconds since 1970, then random bits. */
export function uuidv7(random, ms) {
  const hex = (n, digits) => Math.floor(n).toString(16).padStart(digits, '0');
  const r = () => hex(random() * 0x10000, 4);
  const time = hex(ms, 12);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${r().slice(1)}-${(8 + Math.floor(random() * 4)).toString(16)}${r().slice(1)}-${r()}${r()}${r()}`;
}

/** The day `days` after today in Tokyo, `YYYY-MM-DD`: the board lists events that have
 * not ended yet, so the seeded ones are upcoming whenever the bench runs. */
function tokyoDay(days) {
  const at = new Date(Date.now() + 9 * 3_600_000 + days * 86_400_000);
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

/** The body of the n-th event: a valid `domain::events::Event` with every field the app's
 * form writes, about 550 bytes of JSON, starting within the coming four months. */
export function eventBody(random, n) {
  const associationId = pick(random, HOLDERS);
  const association = pick(random, ASSOCIATIONS);
  const [category, name] = pick(random, KINDS);
  const hour = 8 + Math.floor(random() * 11);
  const date = tokyoDay(1 + Math.floor(random() * 120));
  const rsvp = random() < 0.4;
  const capacity = 10 * (1 + Math.floor(random() * 30));
  const area = random() < 0.9 ? pick(random, AREAS) : '';
  return {
    association_id: associationId,
    title: `${association} ${name}（第${1 + (n % 40)}回）`,
    description: pick(random, TEXTS),
    category,
    start_date: date,
    start_time: `${pad(hour)}:${pick(random, ['00', '30'])}`,
    end_date: date,
    end_time: `${pad(hour + 2)}:00`,
    venue: random() < 0.3 ? `${association} 会館` : pick(random, PLACES),
    address: '',
    area,
    rsvp_needed: rsvp,
    ...(rsvp ? { capacity } : {}),
    reserved: rsvp ? Math.floor(random() * 3) : 0,
    contact: `事務局 03-${3990 + Math.floor(random() * 10)}-${String(Math.floor(random() * 10000)).padStart(4, '0')}`,
    cancelled: random() < 0.02,
  };
}

/** A put of the n-th event as mutation `mutationId`: collection `event`, public scope. */
export function eventPut(random, n, mutationId, ms) {
  return {
    id: mutationId,
    op: { op: 'put', id: uuidv7(random, ms), collection: 'event', scope: 'public',
      base_version: 0, body: eventBody(random, n) },
  };
}

/** One HTTP request to `base`; a JSON body gets the same-origin `Origin` header. */
export function request(base, method, path, { cookie, body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(new URL(path, base), {
      method,
      headers: {
        ...headers,
        ...(cookie ? { cookie } : {}),
        ...(data ? { 'content-type': 'application/json', 'content-length': data.length,
          origin: base } : {}),
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        wire: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** The body of an answer from `request`, decoded as its Content-Encoding says. */
export function decode({ headers, wire }) {
  switch (headers['content-encoding']) {
    case 'br': return zlib.brotliDecompressSync(wire);
    case 'gzip': return zlib.gunzipSync(wire);
    default: return wire;
  }
}

/** Signs in and returns the session cookie as `name=value` for a Cookie header. */
export async function signIn(base, login) {
  const res = await request(base, 'POST', '/api/auth/sign-in', { body: { login, password: PASSWORD } });
  const cookie = (res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('__Host-tsunagaru=') && c !== '__Host-tsunagaru=');
  if (res.status !== 200 || !cookie) {
    throw new Error(`sign-in of ${login}: ${res.status} ${res.wire}`);
  }
  return cookie;
}

/** Pushes `count` public event records as the demo admin: one client id, mutation ids
 * 1..count without gaps, batches of up to 100 that fit the server's body limit. */
export async function seed(base, count) {
  const cookie = await signIn(base, 'admin');
  const random = rng(2026);
  const client = `bench-seed-${Date.now().toString(36)}`;
  const start = performance.now();
  let next = 1;
  let applied = 0;
  let requests = 0;
  while (next <= count) {
    const mutations = [];
    let size = 100;
    while (next <= count && mutations.length < 100) {
      const m = eventPut(random, next, next, Date.now());
      const bytes = Buffer.byteLength(JSON.stringify(m)) + 1;
      if (size + bytes > BATCH_BYTES) break;
      mutations.push(m);
      size += bytes;
      next++;
    }
    const res = await request(base, 'POST', '/api/sync/push',
      { cookie, body: { client_id: client, mutations } });
    requests++;
    const answer = JSON.parse(decode(res));
    if (res.status !== 200 || answer.status !== 'done') {
      throw new Error(`seeding push: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    }
    // Every record must be applied: a refused one (say `validation`, when the event's
    // rules change) would leave the benches measuring less than they say.
    const refused = answer.results.filter((r) => r.outcome !== 'applied');
    if (refused.length > 0 || answer.results.length !== mutations.length) {
      const first = mutations.find((m) => m.id === refused[0]?.mutation_id) ?? mutations[0];
      throw new Error(`seeding: ${refused.length} of ${mutations.length} records in a push ` +
        `not applied (${answer.results.length} answers), first: ${JSON.stringify(refused[0])} ` +
        `for ${JSON.stringify(first.op.body)}`);
    }
    applied += mutations.length;
  }
  if (applied !== count) throw new Error(`seeding: ${applied} of ${count} applied`);
  const seconds = (performance.now() - start) / 1000;
  console.log(`seeded ${count} public events (~550 B of JSON each) in ${requests} pushes ` +
    `in ${seconds.toFixed(1)} s`);
  return cookie;
}
