#!/usr/bin/env bash
# Outbox measurements for tools/README.md (explicit NUnit benchmarks over the real machinery: the dispatcher, the
# delivery job, SQLite, HTTP to a fake Twilio on loopback; pacing off): outbound messages per second across many
# contacts, p50/p95 from a report's confirmation to its partner notification leaving at 20 reports per second, and the
# measured rate of a paced provider against its setting.
#   tools/outbox-bench.sh           BENCH_MESSAGES=5000 BENCH_SECONDS=30 BENCH_REPORTS_PER_SECOND=20
#                                   BENCH_PACED_RATE=50 BENCH_PACED_SECONDS=10 to change the load
#   BENCH_STORAGE=postgres tools/outbox-bench.sh   the same on a throwaway PostgreSQL (fsync on), whose pacer is shared
#                                                  through the database
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release HotlineBot.sln >/dev/null
if [ "${BENCH_STORAGE:-sqlite}" = postgres ]; then
  . tools/throwaway-postgres.sh
  trap throwaway_postgres_stop EXIT
  throwaway_postgres_start on
  export HOTLINE_TEST_POSTGRES="$THROWAWAY_POSTGRES"
fi
dotnet test tests/HotlineBot.Tests -c Release --no-build --filter "TestCategory=Benchmark" --logger "console;verbosity=normal" 2>&1 \
  | grep -E "^ *(outbox|latency|paced):|Passed|Failed|Error"
