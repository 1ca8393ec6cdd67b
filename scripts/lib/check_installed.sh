#!/usr/bin/env bash
# Run inside a fresh system where only the kit's .deb was installed (no
# build tools): the installed server and the talk's two timings with the
# installed clients, then removing the package leaves nothing behind.
#
#   check_installed.sh PACKAGE.deb
set -euo pipefail
deb=${1:?usage: check_installed.sh PACKAGE.deb}
say() { printf '==> %s\n' "$*"; }
fail() { echo "check_installed: $*" >&2; exit 1; }

for tool in g++ c++ cmake; do
  ! command -v "$tool" >/dev/null || fail "$tool is here: this should be a system without build tools"
done
say "apt-get install $deb"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
files=$(dpkg -L slowkit | while read -r f; do if [ -f "$f" ]; then echo "$f"; fi; done)
man -w slowkit-server >/dev/null 2>&1 || [ -f /usr/share/man/man1/slowkit-server.1.gz ] || fail "no man page"

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
slowkit-server --port 0 >"$work/serving" 2>"$work/log" &
server_pid=$!
for _ in $(seq 100); do grep -q '^Serving on' "$work/serving" && break; sleep 0.1; done
url=$(sed -n 's/^Serving on \(http:[^ ]*\) .*/\1\//p' "$work/serving")
[ -n "$url" ] || { cat "$work/log" >&2; fail "the installed server did not start"; }
say "$(head -n 1 "$work/serving")"

# time_client NAME LOW HIGH: two bodies, and a time between LOW and HIGH seconds.
time_client() {
  local started=$EPOCHREALTIME
  local bodies
  bodies=$("$1" "$url" 2>"$work/recap") || { cat "$work/recap" >&2; fail "$1 failed"; }
  local seconds
  seconds=$(awk -v s="$started" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.2f", e - s }')
  say "time $1 $url: $seconds s; $(tail -n 1 "$work/recap")"
  [ "$(grep -c '^This is a slow web api$' <<<"$bodies")" -eq 2 ] || fail "$1 did not print two bodies: $bodies"
  awk -v t="$seconds" -v lo="$2" -v hi="$3" 'BEGIN { exit !(t >= lo && t <= hi) }' ||
    fail "$1 took $seconds s, expected $2-$3 s"
}
time_client slowkit-client-sync 1.9 3.5
time_client slowkit-client-async 0.9 1.8

kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
server_pid=""
say "apt-get purge slowkit"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq slowkit >/dev/null
left=$(while read -r f; do if [ -e "$f" ]; then echo "$f"; fi; done <<<"$files")
[ -z "$left" ] || fail "left behind after purge: $left"
[ ! -d /usr/share/doc/slowkit ] || fail "left behind after purge: /usr/share/doc/slowkit"
say "installed, ran and removed cleanly ($(wc -l <<<"$files") files)"
