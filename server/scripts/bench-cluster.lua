-- wrk script of bench-cluster.sh: mixed traffic through the balancer. One request in five posts a
-- comment (each line of BENCH_FIXTURE once: a session and its form), the others read public pages;
-- every request names a different client (X-Forwarded-For), as many people behind a front proxy.
-- Usage: wrk -s bench-cluster.lua URL -- THREADS ORIGIN
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local pages = {
  "/consultations",
  "/consultations/planul-local-de-accesibilitate-focsani/comments?scope=general",
  "/map",
  "/organisations",
}

function init(args)
  local nthreads, n = tonumber(args[1]), 0
  origin = args[2]
  posts, next_post, sent, failed, refused = {}, 1, 0, 0, 0
  for line in io.lines(os.getenv("BENCH_FIXTURE")) do
    if n == 0 then
      path = line
    elseif n % nthreads == id - 1 then
      local sid, form = line:match("^([^\t]+)\t(.*)$")
      table.insert(posts, { sid = sid, form = form })
    end
    n = n + 1
  end
  count = 0
end

local function client()
  return string.format("10.%d.%d.%d", id, math.floor(count / 256) % 256, count % 256)
end

function request()
  count = count + 1
  if count % 5 == 0 and next_post <= #posts then
    local p = posts[next_post]
    next_post = next_post + 1
    sent = sent + 1
    return wrk.format("POST", path, {
      ["Cookie"] = "sid=" .. p.sid,
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Origin"] = origin,
      ["X-Forwarded-For"] = client(),
    }, p.form)
  end
  return wrk.format("GET", pages[count % 4 + 1], { ["X-Forwarded-For"] = client() })
end

function response(status, headers, body)
  local location = headers["location"] or headers["Location"] or ""
  if status >= 400 then
    failed = failed + 1
  elseif location:find("__err", 1, true) then
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local sent_, failed_, refused_ = 0, 0, 0
  for _, t in ipairs(threads) do
    sent_ = sent_ + t:get("sent")
    failed_ = failed_ + t:get("failed")
    refused_ = refused_ + t:get("refused")
  end
  local e = summary.errors
  io.write(string.format("requests %d in %.1f s: %.0f/s; comment posts %d\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6), sent_))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: %d answers >= 400, %d posts refused, socket connect %d read %d write %d timeout %d\n",
    failed_, refused_, e.connect, e.read, e.write, e.timeout))
end
