#!/usr/bin/env bash
# Installs what is missing, builds with CMake and runs every test with ctest:
# first the plain build, then under AddressSanitizer + UndefinedBehaviorSanitizer
# and ThreadSanitizer, then the unit tests built with clang and libc++ (presets
# in CMakePresets.json), then a bounded libFuzzer run of the server's request
# handling and the clients' response handling.
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

presets=(default asan tsan libcxx)
deps=(fuzz browser libcxx)  # clang and libFuzzer for the fuzz runs, Chromium for the dashboard's page, libc++
case "${1:-}" in
  "") ;;
  --quick) presets=(default); deps=() ;;
  -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "test.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

say() { printf '\n==> %s\n' "$*"; }

say "checking build packages"
./scripts/install-deps.sh "${deps[@]}"

# A preset's tests spend most of their time waiting on a 0.2 s server, so
# the presets after the first build one after another in the background
# meanwhile, at the lowest CPU priority: the tests keep the CPU they need for
# their timings. Each preset's tests start once its build is done.
stages=("${presets[@]}")
[ "${#presets[@]}" -gt 1 ] && stages+=(fuzz)
logs=$(mktemp -d)
background=""
cleanup() {
  if [ -n "$background" ]; then kill -- "-$background" 2>/dev/null || true; fi
  rm -rf "$logs"
}
trap cleanup EXIT
build() { cmake --preset "$1" >/dev/null && cmake --build --preset "$1"; }
# Builds each preset named, in turn; marks each done or failed in $logs.
build_in_turn() {
  local preset
  for preset in "$@"; do
    if build "$preset" >"$logs/$preset.log" 2>&1; then touch "$logs/$preset.done"; else touch "$logs/$preset.failed"; return 1; fi
  done
}
wait_for_build() {
  while [ ! -e "$logs/$1.done" ]; do
    if [ -e "$logs/$1.failed" ] || ! kill -0 "$background" 2>/dev/null; then
      cat "$logs/$1.log" 2>/dev/null || true
      echo "test.sh: building preset '$1' failed" >&2
      exit 1
    fi
    sleep 1
  done
}

say "configure and build: preset '${stages[0]}'"
started=$SECONDS
build "${stages[0]}"
if [ "${#stages[@]}" -gt 1 ]; then
  say "building presets ${stages[*]:1} in the background, in turn, while the tests run"
  setsid nice -n 19 bash -c "logs=$logs; $(declare -f build build_in_turn); build_in_turn ${stages[*]:1}" &
  background=$!
fi
for preset in "${presets[@]}"; do
  [ "$preset" = "${stages[0]}" ] || wait_for_build "$preset"
  say "test: preset '$preset'"
  ctest --preset "$preset"
  say "preset '$preset' passed, $((SECONDS - started)) s since the start"
done
if [ "${#presets[@]}" -gt 1 ]; then
  wait_for_build fuzz
  background=""
  for target in request response; do
    say "fuzzing ${target} handling for ${FUZZ_SECONDS:-10} s"
    corpus=$(mktemp -d)  # the fuzzer adds to its corpus: work on a copy of the seeds
    cp "tests/fuzz/${target}_seeds/"* "$corpus/"
    if ! "build-fuzz/fuzz_${target}" -max_total_time="${FUZZ_SECONDS:-10}" -timeout=5 -rss_limit_mb=1024 \
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
