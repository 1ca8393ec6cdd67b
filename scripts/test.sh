#!/usr/bin/env bash
# Installs what is missing, builds with CMake and runs every test with ctest.
#
#   ./scripts/test.sh            the plain suite (RelWithDebInfo, build/)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }

say "checking build packages"
./scripts/install-deps.sh

jobs=$(nproc)
for preset in default; do
  say "configure, build and test: preset '$preset'"
  cmake --preset "$preset"
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
done
say "all tests passed"
