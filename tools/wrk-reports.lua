-- wrk script for tools/bench.sh: whole signed reports, one connection a thread, so each thread sends one sender's
-- messages in order, the next only once the last was answered (as a person does), then the next sender's.
--   wrk -t C -c C -d 300s -s tools/wrk-reports.lua URL -- PREFIX C RUNDIR
-- `HotlineBot.Bench requests --threads C --out PREFIX` writes thread i's messages to PREFIX.i (a line per message:
-- signature TAB body; its senders one after another, each one's messages in order). RUNDIR is an empty folder for the
-- threads' start and finish marks.
-- - wrk makes its threads one after another, each after its init; so each thread waits for all C to be made before its
--   first request (a start barrier), and the run is timed from the first request to the last answer of all threads.
-- - A message whose connection broke before its answer (wrk reconnects and asks for a request again) is sent again, as
--   a provider retries a webhook: the next message goes only after an answer. Those are counted as "sent again".
-- - Each thread stops after its last answer; the last of the C threads to stop interrupts wrk's main thread (SIGINT),
--   so the run lasts as long as its requests, not the -d cap.
-- - The time and the latencies are this script's own (each request from its write to its answer), printed in the shape
--   of `HotlineBot.Bench load`, with the wall-clock end in ms (`ended:`); wrk's own numbers are for a fixed duration and
--   corrected for an open load, which this is not. A thread that never finished is reported, and its answers counted.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } hotline_timespec;
int clock_gettime(int clock, hotline_timespec *ts);
unsigned long pthread_self(void);
int pthread_kill(unsigned long thread, int sig);
int poll(void *fds, unsigned long nfds, int timeout);
]]
local ts = ffi.new("hotline_timespec")
local function now_us(clock)
  ffi.C.clock_gettime(clock or 1, ts) -- CLOCK_MONOTONIC (1): one clock for every thread; CLOCK_REALTIME (0)
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

-- One byte a thread in a file (appends are atomic); its size is how many threads have marked it.
local function mark(file)
  local f = io.open(file, "a"); f:write("x"); f:close()
end
local function marks(file)
  local f = io.open(file, "r")
  if not f then return 0 end
  local n = f:seek("end"); f:close()
  return n
end

-- Setup: runs in wrk's main Lua state, on wrk's main thread, once per thread.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  thread:set("main", tonumber(ffi.C.pthread_self()))
  table.insert(threads, thread)
end

-- Running: each thread's own Lua state.
function init(args)
  threadcount, rundir = tonumber(args[2]), args[3]
  requests = {}
  for line in io.lines(args[1] .. "." .. id) do
    local signature, body = line:match("^([^\t]+)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = signature,
    }, body)
  end
  total, sent, answered, again, cases, latencies, statuses = #requests, 0, 0, 0, 0, {}, {}
  mark(rundir .. "/ready")
  -- wrk asks thread 0 for one request before the run (to count pipelined requests): not a request sent.
  verified = id ~= 0
end

function request()
  if not verified then
    verified = true
    return requests[1]
  end
  if sent == 0 then
    -- At most 10 s: a -t that is not C would otherwise hold the thread here for good (wrk cannot stop it).
    local deadline = now_us() + 10e6
    while marks(rundir .. "/ready") < threadcount and now_us() < deadline do ffi.C.poll(nil, 0, 1) end
  end
  if sent > answered then again = again + 1 end   -- the last one's connection broke: the same message again
  sent = answered + 1
  started = now_us()
  first = first or started
  return requests[math.min(sent, total)]
end

function response(status, headers, body)
  local t = now_us()
  answered = answered + 1
  last = t
  latencies[answered] = (t - started) / 1000
  statuses[status] = (statuses[status] or 0) + 1
  if body:find("Laporan tercatat dgn kode", 1, true) then cases = cases + 1 end
  if answered == total then
    ended = math.floor(now_us(0) / 1000)
    wrk.thread:stop()
    mark(rundir .. "/done")
    if marks(rundir .. "/done") >= threadcount then
      -- SIGINT ends wrk's sleep (its handler is set once every thread is made); sent a few times, in case wrk's main
      -- thread had not reached its sleep yet.
      for _ = 1, 20 do ffi.C.pthread_kill(main, 2); ffi.C.poll(nil, 0, 10) end
    end
  end
end

function done(summary, latency, requests_stats)
  local first, last, ended, all, cases, again, statuses, unfinished, unanswered = math.huge, 0, 0, {}, 0, 0, {}, 0, 0
  for _, thread in ipairs(threads) do
    first = math.min(first, thread:get("first") or math.huge)
    last = math.max(last, thread:get("last") or 0)
    ended = math.max(ended, thread:get("ended") or 0)
    for _, l in ipairs(thread:get("latencies")) do all[#all + 1] = l end
    cases = cases + thread:get("cases")
    again = again + thread:get("again")
    local left = thread:get("total") - thread:get("answered")
    if left > 0 then unfinished, unanswered = unfinished + 1, unanswered + left end
    for status, n in pairs(thread:get("statuses")) do statuses[status] = (statuses[status] or 0) + n end
  end
  if #all == 0 then
    io.write("requests: 0 answered\n")
    return
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
  if again > 0 then io.write(string.format("sent again: %d times, a message whose connection broke before its answer\n", again)) end
  if unfinished > 0 then
    io.write(string.format("unfinished: %d threads stopped by the -d cap, %d messages never answered\n", unfinished, unanswered))
  end
  if summary.errors.connect + summary.errors.read + summary.errors.write > 0 then
    io.write(string.format("socket errors: connect %d, read %d, write %d\n", summary.errors.connect,
      summary.errors.read, summary.errors.write))
  end
  io.write(string.format("ended: %d\n", ended))
end
