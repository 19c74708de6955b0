-- wrk: GET a pull page as the demo admin, accepting br or gzip like a browser.
-- Args: <cookie> <client id> [cursor] [scopes, URL-encoded]. Cursor 0 (the default) is
-- the first page of a fresh client (the 500 oldest records); the head cursor with the
-- scopes held is an up-to-date client asking whether anything changed.
-- Run by bench/server-sync.mjs; done() prints one WRK_RESULT line of JSON for it.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "GET"
  wrk.path = "/api/sync/pull?client_id=" .. args[2] .. "&cursor=" .. (args[3] or "0") ..
    "&scopes=" .. (args[4] or "")
  wrk.headers["Cookie"] = args[1]
  wrk.headers["Accept-Encoding"] = "br, gzip"
  bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"bad":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    total_bad, e.connect, e.read, e.write, e.status, e.timeout))
end
