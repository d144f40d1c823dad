#!/usr/bin/env bash
# Webhook fuzzing, longer than the suite's run: N malformed and hostile bodies (default 100,000) for every webhook,
# signed and unsigned, over real HTTP on loopback against the real service. Fails on any 5xx, any error logged, or an
# unhealthy service afterwards, and prints the request that did it (the seed reproduces it).
#   tools/fuzz.sh [bodies] [seed]        e.g. tools/fuzz.sh 200000 7
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_BODIES=${1:-100000} FUZZ_SEED=${2:-$RANDOM}
echo "fuzz: $FUZZ_BODIES bodies, seed $FUZZ_SEED"
exec dotnet test tests/HotlineBot.Tests -c Release --filter "FullyQualifiedName~WebhookFuzzTests" --logger "console;verbosity=normal"
