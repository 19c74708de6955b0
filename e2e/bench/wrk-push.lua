-- wrk: POST /api/sync/push with 50 new public events (~550 bytes of JSON body
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

-- The demo associations that hold the events (server/src/demo.rs); the other names are
-- only words in titles, as in bench/sync-seed.mjs.
local holders = { "0193a6f0-0000-7000-8000-000000000001", "0193a6f0-0000-7000-8000-000000000002" }
local associations = { "桜台つつじ町会", "光が丘みどり自治会", "石神井台三丁目町会", "大泉学園町会",
  "富士見台自治会", "関町北町会", "中村橋商店会", "平和台二丁目自治会" }
local kinds = { { "festival", "夏まつり" }, { "cleanup", "地域清掃" }, { "disaster_prep", "防災訓練" },
  { "seniors", "ふれあいサロン" }, { "cleanup", "資源回収" }, { "learning", "防犯講習会" } }
local places = { "桜台公園 集会所", "光が丘区民センター 2階", "大泉小学校 体育館", "町会会館 1階和室",
  "中村橋駅前広場", "北町地区区民館" }
local areas = { "桜台一丁目", "桜台二丁目", "桜台三丁目", "光が丘二丁目", "光が丘三丁目", "光が丘四丁目", "" }
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

-- A valid domain::events::Event (collection `event`) within the coming four months.
local function put(mutation_id, n)
  local kind = pick(kinds)
  local association = pick(associations)
  local date = os.date("!%Y-%m-%d", os.time() + 9 * 3600 + math.random(1, 120) * 86400)
  local hour = math.random(8, 18)
  local places_part = '"rsvp_needed":false,"reserved":0'
  if math.random() < 0.4 then
    places_part = string.format('"rsvp_needed":true,"capacity":%d,"reserved":%d',
      10 * math.random(30), math.random(0, 2))
  end
  return string.format(
    '{"id":%d,"op":{"op":"put","id":"%s","collection":"event","scope":"public",' ..
    '"base_version":0,"body":{"association_id":"%s","title":"%s %s（第%d回）",' ..
    '"description":"%s","category":"%s","start_date":"%s","start_time":"%02d:00",' ..
    '"end_date":"%s","end_time":"%02d:00","venue":"%s","address":"","area":"%s",%s,' ..
    '"contact":"事務局 03-%04d-%04d","cancelled":false}}}',
    mutation_id, uuid(), pick(holders), association, kind[2], n % 40 + 1, pick(texts), kind[1],
    date, hour, date, hour + 2, pick(places), pick(areas), places_part,
    math.random(3990, 3999), math.random(0, 9999))
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
