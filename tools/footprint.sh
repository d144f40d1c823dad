#!/usr/bin/env bash
# Start-up time and memory (tools/README.md): publishes the service as deploy/README.md does (ReadyToRun, for this
# machine's platform),
# starts it in Production mode on a fresh SQLite database, times the
# start until /readyz answers 200, then opens many conversations (each sender sends the first three messages of a
# report, so each conversation waits at the NIK question) and prints the process's resident memory.
#   tools/footprint.sh [conversations]      default 10000
set -euo pipefail
cd "$(dirname "$0")/.."
conversations=${1:-10000}
dotnet build -c Release HotlineBot.sln >/dev/null
work=$(mktemp -d)
dotnet publish src/HotlineBot -c Release --use-current-runtime -p:PublishReadyToRun=true -o "$work/app" >/dev/null
cp -r conversation-flows "$work/"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start=$(date +%s%N)
(
  cd "$work"
  exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:5297 \
    Twilio__AccountSid=AC00000000000000000000000000000000 Twilio__AuthToken=bench-token Hotline__PublicBaseUrl=http://127.0.0.1:5297 \
    Privacy__NikKey="$(head -c 32 /dev/urandom | base64)" "$work/app/HotlineBot" > "$work/server.log" 2>&1
) &
server=$!
until curl -fsS -o /dev/null http://127.0.0.1:5297/readyz 2>/dev/null; do
  sleep 0.02
  kill -0 "$server" 2>/dev/null || { echo "footprint: the service stopped"; cat "$work/server.log"; exit 1; }
done
echo "ready: /readyz 200 after $(( ($(date +%s%N) - start) / 1000000 )) ms (fresh database: migrations included)"
rss() { awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status"; }
echo "rss at start: $(rss)"
tools/HotlineBot.Bench/bin/Release/net10.0/HotlineBot.Bench load --url http://127.0.0.1:5297 --senders "$conversations" --concurrency 64 --steps 3 | head -1
echo "rss with $conversations open conversations: $(rss)"
