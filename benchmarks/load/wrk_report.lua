-- wrk script for one endpoint: sends the Cookie header given in COOKIE (a signed-in session), counts the
-- statuses and prints one JSON line with the latency percentiles (microseconds) when wrk finishes.
-- POST: set POST_IDS ("id:version,id:version,...", one list per thread joined by "|"), POST_PATH (with
-- {id}), POST_BODY (with {version}) and CSRF; each wrk thread has one connection and its own ids, so the
-- version it sends is the one its last save returned (302 adds one; a 200 re-render carries it in the form).

local cookie = os.getenv("COOKIE") or ""
local csrf = os.getenv("CSRF") or ""
local post_path = os.getenv("POST_PATH")
local post_body = os.getenv("POST_BODY") or ""
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local statuses = {}
local ids, versions, cursor, current = {}, {}, 0, nil

function init(args)
  wrk.headers["Cookie"] = cookie
  if post_path then
    local lists = {}
    for part in string.gmatch(os.getenv("POST_IDS") or "", "[^|]+") do table.insert(lists, part) end
    local mine = lists[((tid - 1) % #lists) + 1] or ""
    for id, version in string.gmatch(mine, "(%d+):(%d+)") do
      table.insert(ids, id)
      versions[id] = tonumber(version)
    end
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["X-CSRFToken"] = csrf
  end
end

function request()
  if not post_path then
    return wrk.format(nil)
  end
  cursor = (cursor % #ids) + 1
  current = ids[cursor]
  local path = string.gsub(post_path, "{id}", current)
  local body = string.gsub(post_body, "{version}", tostring(versions[current]))
  return wrk.format("POST", path, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if post_path and current then
    if status == 302 then
      versions[current] = versions[current] + 1
    elseif body then
      local v = string.match(body, 'name="version" value="(%d+)"')
      if v then versions[current] = tonumber(v) end
    end
  end
end

function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s or {}) do counts[code] = (counts[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(counts) do table.insert(parts, string.format('"%d": %d', code, n)) end
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "errors": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
