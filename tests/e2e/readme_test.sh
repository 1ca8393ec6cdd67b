#!/usr/bin/env bash
# The README's terminal sessions, run against the programs: every
# "$ ./build/..." line in a code block is run (on a free port, 0.2 s a
# request instead of 1 s) and must print what the README shows after it,
# line for line. Numbers and timeline bars are placeholders: this checks
# the lines and labels, not the timings. `time`'s own lines are left out.
#
#   tests/e2e/readme_test.sh README.md BUILD_DIR
set -euo pipefail
readme=${1:?usage: readme_test.sh README.md BUILD_DIR}
build=${2:?usage: readme_test.sh README.md BUILD_DIR}
work=$(mktemp -d)
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT
failures=0
checked=0

# Every number is '#' and every duration '# s' (a short delay may print
# ms), every timeline bar 'BAR', every run of spaces one space. The
# timeline's legend names the connect and queue shades only when a bar
# shows them, which depends on how busy the machine is: those go.
normalised() {
  sed -E -e 's/│[^│]*│/│BAR│/' -e 's/[0-9]+/#/g' -e 's/ ms\b/ s/g' -e 's/ +/ /g' -e 's/ $//' \
    -e 's/ [^ ]* connect\/TLS//' -e 's/ [^ ]* queued in the server//'
}

# start_server FLAGS...: a server of these flags on a free port; its first
# `lines` lines of stdout in $work/serving. --dashboard N becomes 0.
start_server() {
  stop_server
  local flags=() lines=$1; shift
  while [ $# -gt 0 ]; do
    if [ "$1" = --dashboard ]; then flags+=(--dashboard 0); shift 2; else flags+=("$1"); shift; fi
  done
  "$build/server" "${flags[@]}" --port 0 --delay 0.2 --quiet >"$work/serving" 2>"$work/server.log" &
  server_pid=$!
  local _
  for _ in $(seq 100); do
    [ "$(wc -l <"$work/serving")" -ge "$lines" ] && break
    sleep 0.05
  done
  url=$(sed -n 's/^Serving on \(http:[^ ]*\) .*/\1\//p' "$work/serving")
}

# check COMMAND EXPECTED-FILE: runs one README command, compares its output.
check() {
  local command=$1 expected=$2 actual="$work/actual"
  local words
  read -r -a words <<<"${command% &}"
  [ "${words[0]}" = time ] && words=("${words[@]:1}")
  local program=${words[0]#./build/} args=("${words[@]:1}")
  if [ "$program" = server ]; then
    start_server "$(grep -c '' "$expected")" "${args[@]}"
    cp "$work/serving" "$actual"
  else
    [ -n "$server_pid" ] || start_server 1
    "$build/$program" "$url" "${args[@]}" >"$actual" 2>&1 || true
  fi
  checked=$((checked + 1))
  if ! diff <(normalised <"$expected") <(normalised <"$actual") >"$work/diff"; then
    fail_with "'$command' prints other lines than the README shows (< README, > program):" "$work/diff"
  fi
}

fail_with() {
  echo "readme_test: $1" >&2
  cat "$2" >&2
  failures=$((failures + 1))
}

# Reads the code blocks: a "$ " line is a command, the lines up to the next
# command or the block's end what it prints (blank lines at the end and
# `time`'s real/user/sys lines aside).
in_block=false
command=""
flush() {
  if [ -n "$command" ]; then
    sed -i -e '/^\(real\|user\|sys\) /d' "$work/expected"
    sed -i -e ':a' -e '/^\n*$/{$d;N;ba' -e '}' "$work/expected"
    check "$command" "$work/expected"
  fi
  command=""
  : >"$work/expected"
}
while IFS= read -r line; do
  if [[ $line == '```'* ]]; then
    flush
    if $in_block; then in_block=false; else in_block=true; fi
  elif $in_block && [[ $line == '$ ./build/'* || $line == '$ time ./build/'* ]]; then
    flush
    command=${line#\$ }
  elif $in_block && [ -n "$command" ]; then
    printf '%s\n' "$line" >>"$work/expected"
  fi
done <"$readme"
flush

[ "$checked" -gt 0 ] || { echo "readme_test: found no command in $readme" >&2; exit 1; }
[ "$failures" -eq 0 ] || { echo "readme_test: $failures of $checked commands differ" >&2; exit 1; }
echo "readme_test: the $checked commands print what the README shows"
