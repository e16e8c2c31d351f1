#!/usr/bin/env bash
# Configures and builds Outpost with Ninja.
#   scripts/build.sh [PRESET [TARGET...]]   PRESET: default (build/), ci (build-ci/), asan (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
shift || true
cmake --preset "$preset" >/dev/null
if [ $# -gt 0 ]; then
  cmake --build --preset "$preset" --target "$@"
else
  cmake --build --preset "$preset"
fi
