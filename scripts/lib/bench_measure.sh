# Sourced by scripts/bench.sh: running one measured command, and reading
# the figures of its output; row() adds a line to the table. Needs $work.

# measure NAME COMMAND...: runs it (killed after 120 s) and leaves its wall
# time in seconds, peak RSS in MB, system CPU seconds and its output in
# $work/NAME.{wall,rss,sys,out}.
measure() {
  local name=$1; shift
  local start end
  start=$EPOCHREALTIME
  /usr/bin/time -f '%M %S' -o "$work/$name.kb" timeout 120 "$@" >"$work/$name.out" 2>&1 || true
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }' >"$work/$name.wall"
  tail -n 1 "$work/$name.kb" | awk '{ printf "%.0f", $1 / 1024 }' >"$work/$name.rss"
  tail -n 1 "$work/$name.kb" | awk '{ printf "%.2f", $2 }' >"$work/$name.sys"
}
# settle PORT...: waits (at most 10 s) until no connection to these local
# ports is still open. A run that starts while the server is still closing
# the last run's 10,000 connections pays for them: client_async right after
# hey took 1.86 s instead of 1.47 s.
settle() {
  local filter="" port _
  for port in "$@"; do filter+="${filter:+ or }sport = :$port"; done
  for _ in $(seq 100); do
    [ -z "$(ss -Htn state connected exclude time-wait "( $filter )")" ] && break
    sleep 0.1
  done
  sleep 0.3
}

# median_of_runs NAME [RUNS]: of NAME.1 .. NAME.RUNS (3 unless told), keeps
# the run with the median wall time as NAME (its time, RSS and output together).
median_of_runs() {
  local name=$1 runs=${2:-3} run
  run=$(for i in $(seq "$runs"); do echo "$(cat "$work/$name.$i.wall") $i"; done |
    sort -n | sed -n "$(((runs + 1) / 2))s/.* //p")
  for part in wall rss out; do cp "$work/$name.$run.$part" "$work/$name.$part"; done
}
# paired_difference A B RUNS: the mean of A.i - B.i over the runs, and two
# standard errors of that mean: "+0.012 0.046". A difference smaller than its
# two standard errors is one this run cannot tell from noise.
paired_difference() {
  for i in $(seq "$3"); do echo "$(cat "$work/$1.$i.wall") $(cat "$work/$2.$i.wall")"; done |
    awk '{ d[NR] = $1 - $2; sum += d[NR] }
      END { mean = sum / NR; for (i = 1; i <= NR; i++) ss += (d[i] - mean) ^ 2
            printf "%+.3f %.3f\n", mean, 2 * sqrt(ss / (NR - 1) / NR) }'
}
wall() { cat "$work/$1.wall"; }
rss() { cat "$work/$1.rss"; }
sys_cpu() { cat "$work/$1.sys"; }
# Requests/s and ok counts, read from each tool's own report.
hey_rps() { awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$work/$1.out"; }
hey_ok() {
  awk '$1 == "[200]" && $3 == "responses" { print $2; found = 1 } END { if (!found) print 0 }' "$work/$1.out"
}
wrk_rps() { awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$work/$1.out"; }
kit_ok() { sed -n 's/^\([0-9]*\) requests*, \([0-9]*\) ok.*/\2/p' "$work/$1.out" | tail -1; }
# "9998 x 200, 2 timeout": the oks and the failures by kind.
kit_answers() { echo "$(kit_ok "$1") x 200$(kit_errors "$1")"; }
# "1.23 s, 28 MB": a run's wall time and peak memory.
time_rss() { echo "$(wall "$1") s, $(rss "$1") MB"; }
# The failures by kind, from --summary's error distribution: ", 12 timeout".
kit_errors() {
  awk '/^Error distribution:/ { on = 1; next }
    on && /^  \[/ { gsub(/[\[\]]/, ""); printf ", %s %s", $1, $2 }
    on && !/^  \[/ { on = 0 }' "$work/$1.out"
}
kit_rps() {
  sed -n 's/^\([0-9]*\) requests*, .* in \([0-9.]*\) s.*/\1 \2/p' "$work/$1.out" | tail -1 |
    awk '{ printf "%.0f", $1 / $2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "") print "-"; else printf "%.2f", a / b }'; }
at_least_0() { awk -v v="$1" 'BEGIN { print (v < 0) ? 0 : v + 0 }'; }
verdict() { awk -v v="$1" -v op="$2" -v goal="$3" 'BEGIN {
  if (v !~ /^[0-9.]+$/) { print "missed"; exit }  # no figure, no goal met
  ok = (op == "<=") ? (v <= goal) : (v >= goal); print (ok ? "met" : "missed") }'; }

rows=()
row() { rows+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); printf '%s\n' "${rows[-1]}" >&2; }
