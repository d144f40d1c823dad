#!/usr/bin/env bash
# Measures the Twilio webhook hot path: starts the published-mode service on loopback with a throwaway database,
# replays signed conversations from many senders with HotlineBot.Bench, prints the numbers, and stops the service.
#   tools/bench.sh [senders] [concurrency...]      e.g. tools/bench.sh 4000 32 128
set -euo pipefail
cd "$(dirname "$0")/.."
senders=${1:-4000}; shift || true
levels=("${@:-32 128}")
dotnet build -c Release HotlineBot.sln >/dev/null

work=$(mktemp -d)
cp -r conversation-flows "$work/"
port=5299
(
  cd "$work"
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$port \
  Twilio__AccountSid=AC00000000000000000000000000000000 Twilio__AuthToken=bench-token \
  Hotline__PublicBaseUrl=http://127.0.0.1:$port Privacy__NikKey=$(head -c 32 /dev/urandom | base64) \
  exec "$OLDPWD/src/HotlineBot/bin/Release/net10.0/HotlineBot" > "$work/server.log" 2>&1
) &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

bench=src/../tools/HotlineBot.Bench/bin/Release/net10.0/HotlineBot.Bench
"$bench" --url "http://127.0.0.1:$port" --senders 500 --concurrency 32 >/dev/null   # warm-up (JIT, pools)
for c in ${levels[*]}; do "$bench" --url "http://127.0.0.1:$port" --senders "$senders" --concurrency "$c"; done
