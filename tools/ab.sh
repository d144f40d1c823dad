#!/usr/bin/env bash
# Two builds of the service side by side, to tell which costs less CPU a request when the difference is smaller than
# this machine's drift (tools/README.md, "Comparing two builds"): both run at once, each with its own throwaway SQLite
# database, partners file, fake Twilio and steady load at the same rate, so a slower minute slows both alike. Each
# round measures each service's CPU time (/proc, its notifications included) over the same seconds and prints the
# ratio; the builds swap ports and start order every round.
#   tools/ab.sh A B [rounds] [rate] [seconds]     e.g. tools/ab.sh /tmp/base/…/HotlineBot src/HotlineBot/bin/Release/net10.0/HotlineBot 6
#   A and B: the service's executable (a wrapper must exec it). rate: requests a second to each (default 600, well below
#   what two cores carry for both: a saturated machine would share its cores by who asks first, not by cost).
#   AB_STORAGE=postgres   each on a database of its own on one throwaway PostgreSQL (fsync on); the server's CPU for
#                         each is its backends' (the processes serving that database), printed beside the service's;
#                         the ratio is of both together. Both share the server's 1,100 or so requests a second here:
#                         300 a second to each, 30 s rounds (tools/README.md: the control's spread).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: tools/ab.sh A B [rounds] [rate] [seconds]" >&2; exit 2; }
builds=("$(realpath "$1")" "$(realpath "$2")")
rounds=${3:-6}
rate=${4:-600}
seconds=${5:-20}
for b in "${builds[@]}"; do [ -x "$b" ] || { echo "ab: $b is not an executable" >&2; exit 2; }; done
dotnet build -c Release tools/HotlineBot.Bench >/dev/null
bench=tools/HotlineBot.Bench/bin/Release/net10.0/HotlineBot.Bench

storage=${AB_STORAGE:-sqlite}
case "$storage" in sqlite | postgres) ;; *) echo "ab: AB_STORAGE is sqlite or postgres, not $storage" >&2; exit 2 ;; esac
work=$(mktemp -d)
servers=()
. tools/throwaway-postgres.sh
cleanup() {
  for s in "${servers[@]}"; do kill "$s" 2>/dev/null || true; done
  wait 2>/dev/null || true
  throwaway_postgres_stop
  rm -rf "$work"
}
trap cleanup EXIT
if [ "$storage" = postgres ]; then
  throwaway_postgres_start on
  port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$THROWAWAY_POSTGRES")
  for i in 0 1; do psql "host=127.0.0.1 port=$port user=hotline dbname=postgres" -qc "CREATE DATABASE ab$i" >/dev/null; done
fi

# The same partner network and addresses as tools/bench.sh: every report routed to two partners and both notified.
. tools/bench-network.sh
bench_network "$work"

wait_up() { for _ in $(seq 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return; sleep 0.2; done; echo "ab: $1 did not come up" >&2; exit 1; }
key=$(head -c 32 /dev/urandom | base64)
pids=()
# Build i on port 5299+i, its fake Twilio on 5390+i.
for i in 0 1; do
  "$bench" provider --port $((5390 + i)) & servers+=($!)
  mkdir -p "$work/$i" && cp -r conversation-flows "$work/$i/"
  storage_env=()
  [ "$storage" = sqlite ] || storage_env=(Storage__Provider=postgres "ConnectionStrings__Hotline=${THROWAWAY_POSTGRES/Database=postgres/Database=ab$i};Maximum Pool Size=16")
  (
    cd "$work/$i"
    exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$((5299 + i)) \
      Twilio__AccountSid=AC00000000000000000000000000000000 Twilio__AuthToken=bench-token Twilio__SmsFrom=+6281100000000 \
      Twilio__ApiBaseUrl=http://127.0.0.1:$((5390 + i)) Hotline__PartnersFile="$work/partners.yaml" Hotline__RegencyCode=33.02 \
      Pacing__PerSecond__twilio=0 Pacing__ContactGap=00:00:00 Hotline__PublicBaseUrl=http://127.0.0.1:$((5299 + i)) \
      Hotline__InstanceId=ab-$i Privacy__NikKey="$key" "${storage_env[@]}" "${builds[$i]}" > "$work/server-$i.log" 2>&1
  ) &
  servers+=($!); pids+=($!)
  wait_up "http://127.0.0.1:$((5299 + i))/readyz"
done

cpu_of() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
# PostgreSQL's backends serving build i's database ("postgres: hotline ab0 127.0.0.1(…) …"): "pid ticks" lines.
backends_of() {
  [ "$storage" = postgres ] || return 0
  for p in $(pgrep -f "^postgres: hotline ab$1 " || true); do
    { sed 's/.*) //' "/proc/$p/stat" | awk -v p="$p" '{ print p, $12 + $13 }'; } 2>/dev/null || true
  done
}
# Ticks the backends used between two listings (a backend started meanwhile: all of its own; one that ended: lost).
backend_ticks() { awk 'FNR == NR { t0[$1] = $2; next } { s += $2 - (($1 in t0) ? t0[$1] : 0) } END { print s + 0 }' "$1" "$2"; }
load() {   # build run senders [--rate R | --concurrency C]
  local i=$1 run=$2 senders=$3; shift 3
  "$bench" load --url http://127.0.0.1:$((5299 + i)) --senders "$senders" --run "$run" --provider http://127.0.0.1:$((5390 + i)) \
    --addresses "$work/addresses.txt" "$@"
}
# Warm-up, one build after the other at full speed: tier-1 compilation over before anything is measured.
for i in 0 1; do load "$i" 0 4000 --concurrency 128 > /dev/null; done

senders=$((rate * seconds / 7))
hz=$(getconf CLK_TCK)
ratios=()
echo "ab: A=${builds[0]}"
echo "ab: B=${builds[1]}"
echo "ab: each round $senders whole reports to each at $rate requests/s; CPU ms a request (notifications included)"
for r in $(seq "$rounds"); do
  # Every other round B's load starts first.
  order=(0 1); [ $((r % 2)) -eq 0 ] && order=(1 0)
  before=("$(cpu_of "${pids[0]}")" "$(cpu_of "${pids[1]}")")
  for i in 0 1; do backends_of "$i" > "$work/backends-$i-before"; done
  loads=()
  for i in "${order[@]}"; do load "$i" "$r" "$senders" --rate "$rate" > "$work/load-$i" & loads+=($!); done
  wait "${loads[@]}"
  after=("$(cpu_of "${pids[0]}")" "$(cpu_of "${pids[1]}")")
  for i in 0 1; do backends_of "$i" > "$work/backends-$i-after"; done
  server=("$(backend_ticks "$work/backends-0-before" "$work/backends-0-after")" "$(backend_ticks "$work/backends-1-before" "$work/backends-1-after")")
  # With PostgreSQL the ratio is of the service's and its server backends' CPU together.
  line=$(awk -v a0="${before[0]}" -v a1="${after[0]}" -v b0="${before[1]}" -v b1="${after[1]}" -v sa="${server[0]}" -v sb="${server[1]}" \
    -v n=$((senders * 7)) -v hz="$hz" '
    BEGIN { a = 1000 * (a1 - a0) / hz / n; b = 1000 * (b1 - b0) / hz / n; pa = 1000 * sa / hz / n; pb = 1000 * sb / hz / n
            printf "%.4f %.4f %.4f %.4f %.4f", a, b, pa, pb, (b + pb) / (a + pa) }')
  read -r a b pa pb ratio <<<"$line"
  ratios+=("$ratio")
  cases=$(for i in 0 1; do sed -n 's/.*cases made \([0-9]*\).*/\1/p' "$work/load-$i" | head -1; done | paste -sd/ -)
  if [ "$storage" = postgres ]; then
    echo "round $r: A $a + server $pa, B $b + server $pb, B/A $ratio (cases $cases of $senders each)"
  else
    echo "round $r: A $a, B $b, B/A $ratio (cases $cases of $senders each)"
  fi
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1; s += $1 } END {
  printf "ab: B/A median %.3f, mean %.3f, from %.3f to %.3f in %d rounds\n", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), s / NR, v[1], v[NR], NR }'
