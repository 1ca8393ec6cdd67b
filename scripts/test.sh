#!/usr/bin/env bash
# Installs what is missing, builds with CMake and runs every test with ctest:
# first the plain build, then under AddressSanitizer + UndefinedBehaviorSanitizer
# and ThreadSanitizer (presets in CMakePresets.json), then a bounded libFuzzer
# run of the server's request handling and the clients' response handling.
# Any failure, sanitizer report or fuzzer crash stops the run with a non-zero exit.
#
#   ./scripts/test.sh            everything (what CI runs)
#   ./scripts/test.sh --quick    the plain build only (the browser tests run
#                                only where Chromium is installed)
#
# The sanitizer runs leave out the two tests that drive Chromium: the server's
# side of the dashboard is checked there by the others, and Chromium itself is
# not what the sanitizers check. They run in the plain build.
#
# TSan runs with ignore_noninstrumented_modules=1: Debian's libcpp-httplib.so
# (client_sync's) is not built with TSan, so its synchronisation is invisible
# and would be reported as races; our own code is still fully checked.
set -euo pipefail
cd "$(dirname "$0")/.."

presets=(default asan tsan)
deps=(fuzz browser)  # clang and libFuzzer for the fuzz runs, Chromium for the dashboard's page
case "${1:-}" in
  "") ;;
  --quick) presets=(default); deps=() ;;
  -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "test.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

say() { printf '\n==> %s\n' "$*"; }

say "checking build packages"
./scripts/install-deps.sh "${deps[@]}"

for preset in "${presets[@]}"; do
  say "configure, build and test: preset '$preset'"
  started=$SECONDS
  cmake --workflow --preset "$preset"
  say "preset '$preset' passed in $((SECONDS - started)) s"
done
if [ "${#presets[@]}" -gt 1 ]; then
  say "fuzzing: build the libFuzzer targets (clang)"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  for target in request response; do
    say "fuzzing ${target} handling for ${FUZZ_SECONDS:-15} s"
    corpus=$(mktemp -d)  # the fuzzer adds to its corpus: work on a copy of the seeds
    cp "tests/fuzz/${target}_seeds/"* "$corpus/"
    if ! "build-fuzz/fuzz_${target}" -max_total_time="${FUZZ_SECONDS:-15}" -timeout=5 -rss_limit_mb=1024 \
         -artifact_prefix=build-fuzz/ "$corpus" >"$corpus.log" 2>&1; then
      cat "$corpus.log"
      echo "fuzz_${target} failed: the input that did it is in build-fuzz/ (crash-*, timeout-*, oom-*)" >&2
      exit 1
    fi
    tail -n 1 "$corpus.log"
    rm -f "$corpus.log"
    rm -rf "$corpus"
  done
  presets+=(fuzz)
fi
say "all tests passed (${presets[*]})"
