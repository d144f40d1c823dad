-- wrk script for tools/bench.sh: whole signed reports, one connection a thread, so each thread sends one sender's
-- messages in order, the next only once the last was answered (as a person does), then the next sender's.
--   wrk -t C -c C -d 600s -s tools/wrk-reports.lua URL -- PREFIX C DONEFILE
-- `HotlineBot.Bench requests --threads C --out PREFIX` writes thread i's messages to PREFIX.i (a line per message:
-- signature TAB body; its senders one after another, each one's messages in order). Each thread stops after its last
-- answer; the last of the C threads to stop interrupts wrk's main thread (SIGINT), so the run lasts as long as its
-- requests, not the -d cap. The time and the latencies are this script's own (first request to last answer; each
-- request from its write to its answer), printed in the shape of `HotlineBot.Bench load`; wrk's own numbers are for a
-- fixed duration and corrected for an open load, which this is not.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } hotline_timespec;
int clock_gettime(int clock, hotline_timespec *ts);
unsigned long pthread_self(void);
int pthread_kill(unsigned long thread, int sig);
]]
local ts = ffi.new("hotline_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC: one clock for every thread
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

-- Setup: runs in wrk's main Lua state, once per thread.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  thread:set("main", tonumber(ffi.C.pthread_self()))   -- setup runs on wrk's main thread
  table.insert(threads, thread)
end

-- Running: each thread's own Lua state.
function init(args)
  threadcount, donefile = tonumber(args[2]), args[3]
  requests = {}
  for line in io.lines(args[1] .. "." .. id) do
    local signature, body = line:match("^([^\t]+)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = signature,
    }, body)
  end
  sent, answered, cases, latencies, statuses = 0, 0, 0, {}, {}
  -- wrk asks thread 0 for one request before the run (to count pipelined requests): not a request sent.
  verified = id ~= 0
end

function request()
  if not verified then
    verified = true
    return requests[1]
  end
  sent = sent + 1
  started = now_us()
  if sent == 1 then first = started end
  return requests[math.min(sent, #requests)]
end

function response(status, headers, body)
  local t = now_us()
  answered = answered + 1
  latencies[answered] = (t - started) / 1000
  statuses[status] = (statuses[status] or 0) + 1
  if body:find("Laporan tercatat dgn kode", 1, true) then cases = cases + 1 end
  if answered == #requests then
    last = t
    wrk.thread:stop()
    -- One byte a finished thread (appends are atomic); the thread that makes it C bytes ends the run.
    local f = io.open(donefile, "a"); f:write("x"); f:close()
    f = io.open(donefile, "r"); local finished = #f:read("*a"); f:close()
    if finished >= threadcount then ffi.C.pthread_kill(main, 2) end   -- SIGINT: wrk's main thread stops waiting
  end
end

function done(summary, latency, requests_stats)
  local first, last, all, cases, statuses = math.huge, 0, {}, 0, {}
  for _, thread in ipairs(threads) do
    first = math.min(first, thread:get("first") or math.huge)
    last = math.max(last, thread:get("last") or 0)
    for _, l in ipairs(thread:get("latencies")) do all[#all + 1] = l end
    cases = cases + thread:get("cases")
    for status, n in pairs(thread:get("statuses")) do statuses[status] = (statuses[status] or 0) + n end
  end
  table.sort(all)
  local function p(q) return all[math.min(#all, math.floor(q * #all) + 1)] end
  local seconds = (last - first) / 1e6
  io.write(string.format("requests: %d in %.1f s = %.0f req/s; latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f; concurrency %d; cases made %d\n",
    #all, seconds, #all / seconds, p(0.50), p(0.90), p(0.99), all[#all], #threads, cases))
  local parts = {}
  for status, n in pairs(statuses) do parts[#parts + 1] = status .. "=" .. n end
  table.sort(parts)
  io.write("statuses: " .. table.concat(parts, ", ") .. "\n")
  if summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout > 0 then
    io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n", summary.errors.connect,
      summary.errors.read, summary.errors.write, summary.errors.timeout))
  end
end
