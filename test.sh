#!/usr/bin/env bash
# Every test, from a fresh clone: install Chromium and PostgreSQL if missing, start a throwaway PostgreSQL, restore,
# build (warnings are errors), run both test projects. Screenshots of the dashboard's main pages land in artifacts/screenshots/.
# Exits non-zero on any failure and ends with one "tests: N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2
  exit 1
fi

# The dashboard's browser tests drive Debian's Chromium through Playwright (no browser download).
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing Debian's chromium for the dashboard tests"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

# The storage tests run on SQLite and on PostgreSQL: a throwaway server (tools/throwaway-postgres.sh), stopped at exit.
. tools/throwaway-postgres.sh
log=""
cleanup() {
  if [ -n "$log" ]; then rm -f "$log"; fi
  throwaway_postgres_stop
}
trap cleanup EXIT
if [ -z "${HOTLINE_TEST_POSTGRES:-}" ]; then
  throwaway_postgres_start off
  export HOTLINE_TEST_POSTGRES="$THROWAWAY_POSTGRES"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore HotlineBot.sln
dotnet build HotlineBot.sln --no-restore -c Release

log=$(mktemp)
status=0
dotnet test HotlineBot.sln --no-build -c Release 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, ..." line per test project: add them up.
read -r passed failed < <(awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { f += $2; p += $4 } END { print p+0, f+0 }' "$log")
echo "tests: ${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
