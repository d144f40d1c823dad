# Sourced by test.sh and tools/bench.sh: a throwaway PostgreSQL from Debian's packages (installed when missing), in a
# temporary folder owned by a non-root user (initdb refuses root), on a free loopback port.
#   throwaway_postgres_start [fsync on|off] [server options…]   sets THROWAWAY_POSTGRES (an admin connection string)
#   throwaway_postgres_stop                   stops it and removes the folder (safe to call twice, or without a start)
pg_dir="" pg_run="" pg_bin=""

throwaway_postgres_start() {
  local fsync=${1:-off}
  shift || true
  local options="$*"
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "installing Debian's postgresql"
    local sudo_cmd=""
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
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
  # From the cluster's own folder: the postgres user may not enter the caller's (a clone under /root).
  (cd "$pg_dir" && $pg_run "$pg_bin/initdb" -D "$pg_dir/data" -U hotline -A trust -E UTF8 --no-sync >/dev/null)
  (cd "$pg_dir" && $pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=300 $options" start >/dev/null)
  THROWAWAY_POSTGRES="Host=127.0.0.1;Port=$port;Username=hotline;Database=postgres"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (fsync=$fsync)"
}

throwaway_postgres_stop() {
  if [ -n "$pg_dir" ]; then
    (cd "$pg_dir" && $pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1) || true
    rm -rf "$pg_dir"
    pg_dir=""
  fi
}
