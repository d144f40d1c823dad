#!/usr/bin/env bash
# Every village of Indonesia (83,000), written as reporters are told to write it ("Ds X RT 2/3 Kec Y"), resolved for an
# office in its own regency: prints how many are missed and writes them to addresses-missed.txt in the test output
# folder. Fails when a change to the address resolver misses more than the known count. About 12 seconds on 2 cores;
# the suite runs the same test (EveryHomeVillageTests), this runs it alone and shows where the list of misses is.
#   tools/addresses.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet test tests/HotlineBot.Core.Tests -c Release --filter "FullyQualifiedName~EveryVillageInIndonesia" --logger "console;verbosity=normal"
