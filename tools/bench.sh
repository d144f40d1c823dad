#!/usr/bin/env bash
# Measures the Twilio webhook hot path: starts the published-mode service on loopback with a throwaway database,
# replays signed conversations from many senders with HotlineBot.Bench, prints the numbers, and stops everything.
#   tools/bench.sh [senders] [concurrency...]      e.g. tools/bench.sh 4000 32 128
#   BENCH_STORAGE=postgres [BENCH_INSTANCES=2] tools/bench.sh …   the same on a throwaway PostgreSQL (fsync on), with
#                                                                  one or several instances (requests alternate)
set -euo pipefail
cd "$(dirname "$0")/.."
senders=${1:-4000}; shift || true
levels=("${@:-32 128}")
storage=${BENCH_STORAGE:-sqlite}
instances=${BENCH_INSTANCES:-1}
dotnet build -c Release HotlineBot.sln >/dev/null

work=$(mktemp -d)
cp -r conversation-flows "$work/"
. tools/throwaway-postgres.sh
servers=()
cleanup() {
  for s in "${servers[@]}"; do kill "$s" 2>/dev/null || true; done
  wait 2>/dev/null || true
  throwaway_postgres_stop
  rm -rf "$work"
}
trap cleanup EXIT

storage_env=()
if [ "$storage" = postgres ]; then
  throwaway_postgres_start on
  psql "host=127.0.0.1 port=$(echo "$THROWAWAY_POSTGRES" | sed 's/.*Port=\([0-9]*\).*/\1/') user=hotline dbname=postgres" -qc "CREATE DATABASE bench" >/dev/null
  storage_env=(Storage__Provider=postgres "ConnectionStrings__Hotline=${THROWAWAY_POSTGRES/Database=postgres/Database=bench};Maximum Pool Size=100")
fi
key=$(head -c 32 /dev/urandom | base64)
urls=""
for i in $(seq 0 $((instances - 1))); do
  port=$((5299 + i))
  mkdir -p "$work/$i" && ln -s "$work/conversation-flows" "$work/$i/conversation-flows"
  (
    cd "$work/$i"
    exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$port \
      Twilio__AccountSid=AC00000000000000000000000000000000 Twilio__AuthToken=bench-token \
      Hotline__PublicBaseUrl=http://127.0.0.1:5299 Hotline__InstanceId=bench-$i Privacy__NikKey="$key" "${storage_env[@]}" \
      "$OLDPWD/src/HotlineBot/bin/Release/net10.0/HotlineBot" > "$work/server-$i.log" 2>&1
  ) &
  servers+=($!)
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  urls="${urls:+$urls,}http://127.0.0.1:$port"
done
echo "bench: $storage, $instances instance(s): $urls"

bench=tools/HotlineBot.Bench/bin/Release/net10.0/HotlineBot.Bench
"$bench" --url "$urls" --senders 500 --concurrency 32 >/dev/null   # warm-up (JIT, pools)
for c in ${levels[*]}; do "$bench" --url "$urls" --senders "$senders" --concurrency "$c"; done
