-- wrk: POST /api/sync/push with 50 new public event records (~500 bytes of JSON body
-- each) as the demo admin. Every request is a fresh client id (run, thread, counter)
-- with mutation ids 1..50 and new record ids, so every request is a real write.
-- Args: <cookie> <origin> <run id>. Run by bench/server-sync.mjs; done() prints one
-- WRK_RESULT line of JSON for it.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local associations = { "桜台つつじ町会", "光が丘みどり自治会", "石神井台三丁目町会", "大泉学園町会",
  "富士見台自治会", "関町北町会", "中村橋商店会", "平和台二丁目自治会" }
local kinds = { { "festival", "夏祭り" }, { "cleanup", "地域清掃" }, { "drill", "防災訓練" },
  { "salon", "ふれあいサロン" }, { "recycle", "資源回収" }, { "lecture", "防犯講習会" } }
local places = { "桜台公園 集会所", "光が丘区民センター 2階", "大泉小学校 体育館", "町会会館 1階和室",
  "中村橋駅前広場", "北町地区区民館" }
local audiences = { "どなたでも", "小学生と保護者", "六十五歳以上の方", "町会・自治会の会員" }
local rain = { "小雨決行、荒天の場合は中止します。", "雨天の場合は翌週の同じ時間に延期します。",
  "雨天時は集会所の中で行います。" }
local texts = {
  "どなたでも参加できます。動きやすい服装でお越しください。雨天の場合は町会の掲示板とこのアプリでお知らせします。",
  "申込みは不要です。当日は受付で名前をお書きください。軍手とごみ袋は町会で用意します。",
  "区の防災課の方を講師にお迎えします。家族で参加して、避難所までの道を一緒に確かめましょう。",
  "高齢の方も座って楽しめる内容です。お茶とお菓子を用意してお待ちしています。送迎が必要な方は前日までにご連絡ください。" }

local function pick(list)
  return list[math.random(#list)]
end

local function uuid()
  return string.format("%08x-%04x-7%03x-%04x-%04x%08x", math.random(0, 0x7fffffff),
    math.random(0, 0xffff), math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff),
    math.random(0, 0xffff), math.random(0, 0x7fffffff))
end

local function put(mutation_id, n)
  local kind = pick(kinds)
  local association = pick(associations)
  local date = string.format("2026-%02d-%02d", math.random(12), math.random(28))
  local hour = math.random(8, 18)
  return string.format(
    '{"id":%d,"op":{"op":"put","id":"%s","collection":"bench_event","scope":"public",' ..
    '"base_version":0,"body":{"title":"%s %s（第%d回）","association":"%s","kind":"%s",' ..
    '"starts_at":"%sT%02d:00:00+09:00","ends_at":"%sT%02d:00:00+09:00","place":"%s",' ..
    '"capacity":%d,"contact":"03-%04d-%04d","audience":"%s","rain":"%s","text":"%s"}}}',
    mutation_id, uuid(), association, kind[2], n % 40 + 1, association, kind[1], date, hour,
    date, hour + 2, pick(places), 10 * math.random(30), math.random(3990, 3999),
    math.random(0, 9999), pick(audiences), pick(rain), pick(texts))
end

function init(args)
  cookie = args[1]
  origin = args[2]
  run = args[3]
  sent = 0
  applied = 0
  bad = 0
  math.randomseed(tid * 7919 + os.time())
end

function request()
  sent = sent + 1
  local client = string.format("p%s-%d-%d", run, tid, sent)
  local mutations = {}
  for i = 1, 50 do
    mutations[i] = put(i, sent * 50 + i)
  end
  local body = '{"client_id":"' .. client .. '","mutations":[' .. table.concat(mutations, ",") .. "]}"
  return wrk.format("POST", "/api/sync/push", {
    ["Cookie"] = cookie,
    ["Origin"] = origin,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  local _, count = string.gsub(body, '"outcome":"applied"', "")
  if status ~= 200 or count ~= 50 then
    bad = bad + 1
  end
  applied = applied + count
end

function done(summary, latency, requests)
  local total_applied, total_bad = 0, 0
  for _, thread in ipairs(threads) do
    total_applied = total_applied + thread:get("applied")
    total_bad = total_bad + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"bad":%d,"applied":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    total_bad, total_applied, e.connect, e.read, e.write, e.status, e.timeout))
end
