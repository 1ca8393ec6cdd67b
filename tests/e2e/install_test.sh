#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, checked as a user would find it:
# the three programs under their slowkit-* names, naming themselves so in
# --help and --version; a man page each with the usual sections and every
# flag of --help, rendered by man without a warning; the README and docs.
#
#   tests/e2e/install_test.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: install_test.sh BUILD_DIR}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
failures=0
fail() { echo "install_test: $*" >&2; failures=$((failures + 1)); }

# Every flag of --help: the leading words of each option line (indented at
# most 10 spaces; a wrapped description has 30), "  -n,--requests INT ..."
# or, from CLI11 2.5 on, "  -h,     --help ...".
flags_of() {
  grep -E '^ {1,10}-' <<<"$1" | awk '{
    for (i = 1; i <= NF && $i ~ /^-/; i++) {
      n = split($i, names, ","); for (k = 1; k <= n; k++) if (names[k] != "") print names[k]
    }
  }'
}

echo "installing $build into $prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

for name in slowkit-server slowkit-client-sync slowkit-client-async; do
  program=$prefix/bin/$name
  page=$prefix/share/man/man1/$name.1.gz
  [ -x "$program" ] || { fail "$program is missing"; continue; }
  help=$("$program" --help)
  # "Usage: NAME [OPTIONS]", or from CLI11 2.5 on "NAME [OPTIONS]" on a line of its own.
  grep -Eq "^(Usage: )?$name \[OPTIONS\]" <<<"$help" || fail "$name --help does not name it: $(head -n 5 <<<"$help")"
  grep -q "^  $name " <<<"$help" || fail "$name --help's examples do not use its name"
  "$program" --version | head -n 1 | grep -q "^$name [0-9]" || fail "$name --version does not name it"

  [ -f "$page" ] || { fail "$page is missing"; continue; }
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$page" 2>&1 >/dev/null) || fail "man -l $page failed"
  [ -z "$warnings" ] || fail "man -l $page warns: $warnings"
  gzip -t "$page" 2>/dev/null || fail "$page is not gzip-compressed"
  text=$(zcat "$page" | groff -man -Tascii -P-cbou 2>/dev/null)
  for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    grep -q "^$section" <<<"$text" || fail "$name.1 has no $section section"
  done
  flags=$(flags_of "$help")
  [ -n "$flags" ] || fail "found no flags in $name --help"
  for flag in $flags; do
    grep -qe "$flag\b" <<<"$text" || fail "$name.1 lacks $flag"
  done
  echo "$name: program, --help, --version and man page ($(wc -w <<<"$flags") flags) checked"
done

for doc in README.md copyright docs/reference.md docs/building.md; do
  [ -f "$prefix/share/doc/slowkit/$doc" ] || fail "share/doc/slowkit/$doc is missing"
done
[ "$failures" -eq 0 ] || { echo "install_test: $failures failed" >&2; exit 1; }
echo "install_test: passed"
