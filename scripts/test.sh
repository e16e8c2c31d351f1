#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every test through CTest.
#   scripts/test.sh            # preset "ci" (RelWithDebInfo, -Werror)
#   scripts/test.sh asan       # AddressSanitizer + UBSan build
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"
bash scripts/install-deps.sh
bash scripts/build.sh "$preset"
# The long fault-injection run (label "long", thousands of cases) is its own target:
#   ctest --preset ci -L long
ctest --preset "$preset" -j2 -LE long
