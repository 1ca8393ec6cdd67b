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
# The sanitizer builds compile the programs and the unit tests; their e2e
# runs start the plain build's test programs on the sanitized programs. They
# leave out the tests that drive Chromium (Chromium is not what they check)
# and the install test: both run in the plain build.
#
# TSan runs with ignore_noninstrumented_modules=1: Debian's libcpp-httplib.so
# (client_sync's) is not built with TSan, so its synchronisation is invisible
# and would be reported as races; our own code is still fully checked.
set -euo pipefail
cd "$(dirname "$0")/.."

presets=(default asan tsan libcxx)
# clang and libFuzzer for the fuzz runs, Chromium for the dashboard's page,
# pdsh for the shards' test, libc++, and the HTTP/2 peers (nginx, nghttpd, python3-h2).
deps=(fuzz browser shards libcxx http2)
case "${1:-}" in
  "") ;;
  --quick) presets=(default); deps=() ;;
  -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "test.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

say() { printf '\n==> [%d s] %s\n' "$SECONDS" "$*"; }

say "checking build packages"
./scripts/install-deps.sh "${deps[@]}"

# The plain build's tests check durations: nothing builds beside them. The
# sanitizer presets' tests check behaviour only (KIT_DURATIONS=unchecked),
# so while one preset is tested the next builds, at the lowest CPU priority
# (SCHED_IDLE where allowed). The small fuzz build goes with the last preset's.
stages=("${presets[@]}")
[ "${#presets[@]}" -gt 1 ] && stages[-1]="${stages[-1]} fuzz"
lowest_priority=(nice -n 19)
if chrt --idle 0 true 2>/dev/null; then lowest_priority=(chrt --idle 0 nice -n 19); fi
build_log=$(mktemp)
background=""
fuzz_work=""
cleanup() {
  if [ -n "$background" ]; then kill -- "-$background" 2>/dev/null || true; fi
  rm -f "$build_log"
  if [ -n "$fuzz_work" ]; then rm -rf "$fuzz_work"; fi
}
trap cleanup EXIT
# One compile a core: more, as ninja's default has, only evict each other
# from the caches (docs/building.md has the figures).
build() {  # the presets named in $1, one after the other
  local preset
  for preset in $1; do
    cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" --parallel "$(nproc)" || return 1
  done
}

# The style, as clang-format 14 (Debian 12's) writes it: other versions lay
# out some lines differently, so the check runs with that one only.
if command -v clang-format >/dev/null && clang-format --version | grep -q 'version 14\.'; then
  say "checking the style (.clang-format)"
  find shared load_tool server client_sync client_async tests -name '*.cpp' -o -name '*.hpp' |
    xargs clang-format --dry-run --Werror
else
  say "style check left out: it needs clang-format 14, which wrote the style"
fi

say "configure and build: '${stages[0]}'"
build "${stages[0]}"
for i in "${!presets[@]}"; do
  preset=${presets[$i]}
  next=${stages[$((i + 1))]:-}
  if [ -n "$next" ] && [ "$i" -gt 0 ]; then
    say "building '$next' in the background while '$preset' is tested"
    setsid "${lowest_priority[@]}" bash -c "$(declare -f build); build '$next'" >"$build_log" 2>&1 &
    background=$!
  fi
  say "test: preset '$preset'"
  ctest --preset "$preset"
  if [ "$preset" = asan ] || [ "$preset" = tsan ]; then
    say "test: the e2e tests of build/ on the programs of build-$preset/"
    ctest --preset "$preset-e2e"
  fi
  say "preset '$preset' passed"
  if [ -n "$next" ] && [ "$i" -eq 0 ]; then
    say "configure and build: '$next'"
    build "$next"
  elif [ -n "$next" ]; then
    say "waiting for '$next' to finish building"
    if ! wait "$background"; then
      cat "$build_log"
      echo "test.sh: building '$next' failed" >&2
      exit 1
    fi
    background=""
  fi
done
# The two fuzzers at once, one a core. Each adds to its corpus: it works on a
# copy of the seeds, in a folder removed at the end.
fuzz() {
  local target=$1 corpus="$fuzz_work/$1"
  mkdir -p "$corpus"
  cp "tests/fuzz/${target}_seeds/"* "$corpus/"
  if ! "build-fuzz/fuzz_${target}" -max_total_time="${FUZZ_SECONDS:-10}" -timeout=5 -rss_limit_mb=1024 \
       -artifact_prefix=build-fuzz/ "$corpus" >"$corpus.log" 2>&1; then
    cat "$corpus.log"
    echo "fuzz_${target} failed: the input that did it is in build-fuzz/ (crash-*, timeout-*, oom-*)" >&2
    return 1
  fi
  echo "fuzz_${target}: $(tail -n 1 "$corpus.log")"
}
if [ "${#presets[@]}" -gt 1 ]; then
  say "fuzzing the request and the response handling for ${FUZZ_SECONDS:-10} s"
  fuzz_work=$(mktemp -d)
  fuzz request & request_fuzzer=$!
  fuzz response & response_fuzzer=$!
  fuzzed=0
  wait "$request_fuzzer" || fuzzed=1
  wait "$response_fuzzer" || fuzzed=1
  [ "$fuzzed" -eq 0 ] || exit 1
  presets+=(fuzz)
fi
say "all tests passed (${presets[*]})"
