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

# The storage tests run on SQLite and on PostgreSQL: Debian's server (installed when missing), a throwaway cluster in a
# temporary folder, owned by a non-root user (initdb refuses root), on a free loopback port; stopped and removed at exit.
pg_dir="" pg_run="" pg_bin="" log=""
cleanup() {
  if [ -n "$log" ]; then rm -f "$log"; fi
  if [ -n "$pg_dir" ]; then
    $pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT
if [ -z "${HOTLINE_TEST_POSTGRES:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "test.sh: installing Debian's postgresql for the storage tests"
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  pg_dir=$(mktemp -d /tmp/hotline-pg-XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$pg_dir"
    pg_run="runuser -u postgres --"
  fi
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
  $pg_run "$pg_bin/initdb" -D "$pg_dir/data" -U hotline -A trust -E UTF8 --no-sync >/dev/null
  $pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  export HOTLINE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=hotline;Database=postgres"
  echo "test.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
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
