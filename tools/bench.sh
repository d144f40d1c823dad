#!/usr/bin/env bash
# The webhook hot path doing the product's real work, against a bare endpoint in the same run (tools/README.md):
# starts the published-mode service on loopback with a throwaway database, a partners file that routes every report, a
# fake Twilio REST API that receives the partner notifications, and a bare Kestrel endpoint of the same HTTP shape;
# replays whole signed reports from many senders against both, prints the numbers and the ratio, and stops everything.
#   tools/bench.sh [senders] [concurrency...]      e.g. tools/bench.sh 4000 32 128
#   BENCH_EXECUTABLE=path   another build of the service (an A/B against an older commit, same hour)
#   BENCH_POOL=16           PostgreSQL connections per instance (Maximum Pool Size)
#   BENCH_RATE=1000 BENCH_SECONDS=20   the steady run afterwards (latency at a fixed arrival rate; BENCH_RATE=0: none)
#   BENCH_WARMUP=senders            reports sent to each endpoint before anything is measured (default: as many as measured)
#   BENCH_STORAGE=postgres [BENCH_INSTANCES=2] tools/bench.sh …   the same on a throwaway PostgreSQL (fsync on), with
#                                                                  one or several instances (requests alternate)
#   BENCH_FSYNC=off                 with postgres: a server that never flushes (is the commit's flush what limits it?)
#   BENCH_PG_STATEMENTS=/abs/file   with postgres: the statements' calls and times on the server (pg_stat_statements),
#                                   top 40 (a relative path is taken from the repository's root)
#   BENCH_DASHBOARD=4               duty officers watching: that many live dashboard pages (the case queue and the message
#                                   queue in turn) open in headless Chromium through every run (HotlineBot.Bench watch);
#                                   the service runs published (its pages' static files are served from a publish only),
#                                   so a BENCH_EXECUTABLE must be a published one too;
#                                   BENCH_DASHBOARD_PATHS=/,/pesan  the pages, in turn
#   BENCH_LOAD=dotnet               the closed runs with HotlineBot.Bench's own load instead of wrk (the default: the
#                                   issue's load generator and a lighter one, Debian's package, installed when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
senders=${1:-4000}; shift || true
levels=("${@:-32 128}")
storage=${BENCH_STORAGE:-sqlite}
instances=${BENCH_INSTANCES:-1}
rate=${BENCH_RATE:-1000}
steady_seconds=${BENCH_SECONDS:-20}
generator=${BENCH_LOAD:-wrk}
case "$generator" in wrk | dotnet) ;; *) echo "bench: BENCH_LOAD is wrk or dotnet, not $generator" >&2; exit 2 ;; esac
[ "$instances" -eq 1 ] || generator=dotnet   # wrk keeps a connection to one address; the instances take turns per request
if [ "$generator" = wrk ]; then
  # A wrk thread holds one connection and its own senders: each needs one.
  for c in ${levels[*]}; do [ "$c" -le "$senders" ] || { echo "bench: concurrency $c is more than $senders senders" >&2; exit 2; }; done
  if ! command -v wrk >/dev/null; then
    echo "bench: installing wrk (Debian's package)" >&2
    { apt-get install -y wrk || { apt-get update && apt-get install -y wrk; } || sudo apt-get install -y wrk; } >/dev/null
  fi
fi
dotnet build -c Release HotlineBot.sln >/dev/null
bench=tools/HotlineBot.Bench/bin/Release/net10.0/HotlineBot.Bench

work=$(mktemp -d)
service=${BENCH_EXECUTABLE:-$PWD/src/HotlineBot/bin/Release/net10.0/HotlineBot}
webroot_env=()
if [ "${BENCH_DASHBOARD:-0}" -gt 0 ]; then
  if [ -z "${BENCH_EXECUTABLE:-}" ]; then
    dotnet publish -c Release src/HotlineBot -o "$work/app" >/dev/null
    service=$work/app/HotlineBot
  fi
  # The pages' scripts come from the published folder's wwwroot (the service runs from a folder of its own here); a
  # wrapper as BENCH_EXECUTABLE sets ASPNETCORE_WEBROOT itself.
  webroot_env=(ASPNETCORE_WEBROOT="${ASPNETCORE_WEBROOT:-$(dirname "$(readlink -f "$service")")/wwwroot}")
fi
cp -r conversation-flows "$work/"
. tools/throwaway-postgres.sh
servers=()
services=()   # the hotline's own processes, one per instance
cleanup() {
  for s in "${servers[@]}"; do kill "$s" 2>/dev/null || true; done
  pkill -f "wrk-reports.lua .* $work/" 2>/dev/null || true    # a wrk left by a run that failed
  wait 2>/dev/null || true
  if [ "$storage" = postgres ] && [ -n "${BENCH_PG_STATEMENTS:-}" ] && [ -n "${THROWAWAY_POSTGRES:-}" ]; then
    pg_psql bench -c "SELECT calls, round(total_exec_time) AS total_ms, round(mean_exec_time * 1000) AS mean_us,
      left(regexp_replace(query, '\s+', ' ', 'g'), 120) AS statement FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 40" > "$BENCH_PG_STATEMENTS" || true
  fi
  throwaway_postgres_stop
  [ -n "${BENCH_LOGS:-}" ] && mkdir -p "$BENCH_LOGS" && cp "$work"/server-*.log "$BENCH_LOGS"/
  rm -rf "$work"
}
trap cleanup EXIT
pg_psql() { local db=$1; shift; psql "host=127.0.0.1 port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$THROWAWAY_POSTGRES") user=hotline dbname=$db" "$@"; }

# The partner network and the senders' addresses (tools/bench-network.sh).
. tools/bench-network.sh
bench_network "$work"

wait_up() { for _ in $(seq 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return; sleep 0.2; done; echo "bench: $1 did not come up" >&2; exit 1; }
"$bench" provider --port 5390 & servers+=($!)
"$bench" bare --port 5391 & servers+=($!)
wait_up http://127.0.0.1:5390/stats

storage_env=()
if [ "$storage" = postgres ]; then
  throwaway_postgres_start "${BENCH_FSYNC:-on}" ${BENCH_PG_STATEMENTS:+-c shared_preload_libraries=pg_stat_statements}
  pg_psql postgres -qc "CREATE DATABASE bench" >/dev/null
  [ -z "${BENCH_PG_STATEMENTS:-}" ] || pg_psql bench -qc "CREATE EXTENSION pg_stat_statements" >/dev/null
  storage_env=(Storage__Provider=postgres "ConnectionStrings__Hotline=${THROWAWAY_POSTGRES/Database=postgres/Database=bench};Maximum Pool Size=${BENCH_POOL:-16}")
fi
key=$(head -c 32 /dev/urandom | base64)
urls=""
for i in $(seq 0 $((instances - 1))); do
  port=$((5299 + i))
  mkdir -p "$work/$i" && ln -s "$work/conversation-flows" "$work/$i/conversation-flows"
  (
    cd "$work/$i"
    exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$port \
      Twilio__AccountSid=AC00000000000000000000000000000000 Twilio__AuthToken=bench-token Twilio__SmsFrom=+6281100000000 \
      Twilio__ApiBaseUrl=http://127.0.0.1:5390 Hotline__PartnersFile="$work/partners.yaml" Hotline__RegencyCode=33.02 \
      Pacing__PerSecond__twilio=0 Pacing__ContactGap=00:00:00 \
      Hotline__PublicBaseUrl=http://127.0.0.1:5299 Hotline__InstanceId=bench-$i Privacy__NikKey="$key" "${storage_env[@]}" \
      "${webroot_env[@]}" \
      "$service" > "$work/server-$i.log" 2>&1
  ) &
  servers+=($!); services+=($!)
  wait_up "http://127.0.0.1:$port/readyz"
  urls="${urls:+$urls,}http://127.0.0.1:$port"
done
echo "bench: $storage, $instances instance(s): $urls; routing to $(grep -c "id:" "$work/partners.yaml") partners, delivery to a fake Twilio, pacing off"
if [ "${BENCH_DASHBOARD:-0}" -gt 0 ]; then
  # The first start wrote the admin's password (the service's output is not a terminal); the pages follow instance 0.
  # The browser runs at the lowest priority: on a real day it is on the officers' machines, not the server's cores.
  for _ in $(seq 100); do [ -s "$work/0/data/first-admin-password.txt" ] && break; sleep 0.2; done
  nice -n 19 "$bench" watch --url http://127.0.0.1:5299 --password-file "$work/0/data/first-admin-password.txt" --pages "$BENCH_DASHBOARD" ${BENCH_DASHBOARD_PATHS:+--paths "$BENCH_DASHBOARD_PATHS"} > "$work/watch.log" 2>&1 &
  servers+=($!)
  watch=$!
  for _ in $(seq 300); do grep -q '^watching' "$work/watch.log" && break; kill -0 "$watch" 2>/dev/null || break; sleep 0.2; done
  grep -q '^watching' "$work/watch.log" || { echo "bench: the dashboard pages did not open:" >&2; head -12 "$work/watch.log" >&2; exit 1; }
  echo "bench: officers $(grep '^watching' "$work/watch.log")"
fi

# Where the CPU went (Linux /proc), after each run at a concurrency level: the service's CPU time per request over the
# whole run (its notifications included), and in a window of 2 s inside the load (from 1.5 s after the load generator
# starts: its bodies signed by then with BENCH_LOAD=dotnet, wrk's before it starts) the cores the service used, how many
# of its threads were waiting in the run queue for a core on average (/proc/…/schedstat), how idle the machine's cores
# were (is it out of CPU?) and how much of them the virtual machine's host took (steal) (tools/README.md). A
# BENCH_EXECUTABLE wrapper must exec the service.
cpu_snapshot() {
  echo "wall $(date +%s.%N)"
  awk '/^cpu / { print "machine", $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9; exit }' /proc/stat
  for p in "${services[@]}"; do
    { sed 's/.*) //' "/proc/$p/stat" | awk '{ print "process", $12 + $13 }'; } 2>/dev/null || true
    # One read for all threads; a thread that ends meanwhile is left out.
    { grep -Hs . /proc/"$p"/task/*/schedstat | awk -F'[/: ]' '{ print "task", $5, $7, $8 }'; } || true
  done
}
cpu_between() {   # two snapshots → seconds, the service's CPU seconds, its threads' seconds waiting for a core, machine idle and stolen shares
  awk -v hz="$(getconf CLK_TCK)" '
    FNR == NR { if ($1 == "wall") w0 = $2; else if ($1 == "machine") { i0 = $2; t0 = $3; s0 = $4 } else if ($1 == "process") p0 += $2; else if ($1 == "task" && NF >= 4) q0[$2] = $4; next }
    $1 == "wall" { w = $2 - w0 } $1 == "machine" { idle = ($2 - i0) / ($3 - t0); stolen = ($4 - s0) / ($3 - t0) } $1 == "process" { p += $2 }
    $1 == "task" && NF >= 4 { wait += ($4 - (($2 in q0) ? q0[$2] : 0)) / 1e9 }    # a thread started meanwhile: all its waiting
    END { print w, (p - p0) / hz, wait, idle, stolen }' "$1" "$2"
}
cpu_line() {   # before and after the run, the window's two snapshots (the second empty: no window), requests
  read -r _ cpu _ <<<"$(cpu_between "$1" "$2")"
  line=$(awk -v cpu="$cpu" -v n="$5" 'BEGIN { printf "service %.3f ms of CPU a request (its notifications included)", 1000 * cpu / n }')
  if [ -s "$4" ]; then
    line+=$(cpu_between "$3" "$4" | awk '{ printf "; in 2 s of the load: %.2f cores, %.1f of its threads waiting for one; machine idle %.0f %%, taken by the host (steal) %.0f %%", $2 / $1, $3 / $1, 100 * $4, 100 * $5 }')
  fi
  echo "cpu            $line"
}

reqs() { sed -n 's/.* = \([0-9]*\) req\/s.*/\1/p' <<<"$1" | head -1; }
run=0
# Warm-up: the same load as measured, so the runtime's tier-1 compilation is done before the clock starts (with 300
# senders, as before 2026-12-07, it went on for the first 10 s of the measured run, a third of a core: tools/README.md).
# Its senders are run 0 (numbers, names and NIKs of their own): the measured runs count from 1.
warm=${BENCH_WARMUP:-$senders}
"$bench" load --url http://127.0.0.1:5391 --senders "$warm" --concurrency 128 --run 0 >/dev/null
"$bench" load --url "$urls" --senders "$warm" --concurrency 128 --run 0 --provider http://127.0.0.1:5390 --addresses "$work/addresses.txt" >/dev/null
# The closed load at each level: wrk (C code, a thread per connection so each sender's messages go in order; the bodies
# signed beforehand by HotlineBot.Bench) or, with BENCH_LOAD=dotnet or several instances, HotlineBot.Bench's own load.
load_closed() {   # url c run [--provider …] → the load's lines
  local url=$1 c=$2 r=$3; shift 3
  if [ "$generator" = dotnet ]; then
    "$bench" load --url "$url" --senders "$senders" --concurrency "$c" --run "$r" "$@"
    return
  fi
  local before out ended cases marks="$work/wrk-$r-${url##*:}"
  mkdir "$marks"
  before=$(curl -fsS http://127.0.0.1:5390/stats)
  # A request never answered keeps its thread to the -d cap (wrk 4 has no request timeout); the script then says so.
  out=$(wrk -t "$c" -c "$c" -d 300s --timeout 10s -s tools/wrk-reports.lua "$url/webhooks/twilio/messages" -- "$work/req-$r-${url##*:}" "$c" "$marks") || return
  out=$(sed -n '/^requests: /,$p' <<<"$out")
  [ -n "$out" ] || { echo "bench: wrk printed no result" >&2; return 1; }
  ended=$(sed -n 's/^ended: //p' <<<"$out")
  grep -v '^ended: ' <<<"$out"
  cases=$(sed -n 's/.*cases made \([0-9]*\).*/\1/p' <<<"$out")
  if [ $# -gt 0 ] && [ "${cases:-0}" -gt 0 ]; then "$bench" notifications --before "$before" --ended "$ended" --cases "$cases" "$@"; fi
}
for c in ${levels[*]}; do
  run=$((run + 1))
  if [ "$generator" = wrk ]; then
    for u in http://127.0.0.1:5391 "$urls"; do
      "$bench" requests --url "$u" --senders "$senders" --run "$run" --threads "$c" --addresses "$work/addresses.txt" --out "$work/req-$run-${u##*:}"
    done
  fi
  bare=$(load_closed http://127.0.0.1:5391 "$c" "$run") || exit 1
  echo "bare endpoint  $bare" | head -1
  grep -E '^(unfinished|sent again|socket errors)' <<<"$bare" | sed 's/^/               bare: /' || true
  cpu_snapshot > "$work/cpu-before"
  load_closed "$urls" "$c" "$run" --provider http://127.0.0.1:5390 --addresses "$work/addresses.txt" > "$work/hot" &
  load=$!; servers+=($load)
  sleep 1.5; cpu_snapshot > "$work/cpu-window"; sleep 2
  cpu_snapshot > "$work/cpu-window-end"
  wait "$load"
  cpu_snapshot > "$work/cpu-after"
  hot=$(cat "$work/hot")
  # The window counts only if the requests were still going at its end (the load then waits for notifications).
  awk -v s="$(sed -n 's/.* in \([0-9.]*\) s = .*/\1/p' <<<"$hot" | head -1)" 'BEGIN { exit !(s < 4) }' && : > "$work/cpu-window-end"
  echo "hotline        $(echo "$hot" | head -1)"
  echo "$hot" | tail -n +2 | sed 's/^/               /'
  cpu_line "$work/cpu-before" "$work/cpu-after" "$work/cpu-window" "$work/cpu-window-end" "$(sed -n 's/^requests: \([0-9]*\) .*/\1/p' <<<"$hot" | head -1)"
  awk -v h="$(reqs "$hot")" -v b="$(reqs "$bare")" 'BEGIN { printf "ratio          %.3f of the bare endpoint at concurrency '"$c"'\n", h / b }'
done
if [ "$rate" -gt 0 ]; then
  run=$((run + 1))
  echo "steady         $("$bench" load --url "$urls" --senders $((rate * steady_seconds / 7)) --rate "$rate" --run "$run" --provider http://127.0.0.1:5390 --addresses "$work/addresses.txt" | tr '\n' ' ')"
fi
if [ -n "${watch:-}" ] && ! kill -0 "$watch" 2>/dev/null; then
  echo "bench: the dashboard pages closed during the runs (the numbers above are not all with officers watching):" >&2
  tail -5 "$work/watch.log" >&2
fi
# Delivery runs by what they found (hotline_outbox_runs_total): "waiting" and "done" are runs spent for nothing.
for u in ${urls//,/ }; do
  found=$(curl -fsS "$u/metrics" 2>/dev/null | sed -nE 's/^hotline_outbox_runs_total\{.*found="([a-z_]+)".*\} ([0-9.e+]+).*$/\1 \2/p' | paste -sd, - || true)
  if [ -n "$found" ]; then echo "outbox runs    $u: ${found//,/, }"; fi
done
if grep -E '"(Level|LogLevel)":"(Error|Critical)"|\bfail:|crit:' "$work"/server-*.log | head -3 | grep -q .; then
  echo "bench: the service logged errors:"; grep -E '\bfail:|crit:' "$work"/server-*.log | head -5
fi
