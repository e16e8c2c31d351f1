#!/usr/bin/env bash
# Configures and builds Outpost with Ninja into build/ (or the preset given as $1: default|ci|asan).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
