#!/usr/bin/env bash
# Writes one man page from a program's own --help (help2man), so a flag
# cannot exist in one and not the other. help2man reads the options; the
# examples at the end of --help become an EXAMPLES section here (a command,
# then what it shows), and the hand-written part (description, exit status,
# see also) comes from an .h2m file.
#
#   make_man_page.sh PROGRAM NAME VERSION SUMMARY EXTRA.h2m OUTPUT.1
set -euo pipefail
[ $# -eq 6 ] || { echo "usage: make_man_page.sh PROGRAM NAME VERSION SUMMARY EXTRA.h2m OUTPUT.1" >&2; exit 2; }
program=$1 name=$2 version=$3 summary=$4 extra=$5 output=$6
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Run under its installed name, so that --help says that name.
ln -s "$(realpath "$program")" "$work/$name"
"$work/$name" --help >"$work/help.txt"

# The options for help2man: everything before "Examples:", in the layout it
# reads. CLI11 from 2.5 on prints "NAME [OPTIONS]" without "Usage:", upper-case
# headings, and a column for short flags ("-h,     --help"): made as before.
sed -e '/^Examples:$/,$d' -e 's/ *$//' \
    -e "s/^$name \\[/Usage: $name [/" -e 's/^OPTIONS:$/Options:/' -e 's/^POSITIONALS:$/Positionals:/' \
    -e 's/^\(  -[A-Za-z0-9],\) */\1/' -e 's/^          \(--\)/  \1/' "$work/help.txt" >"$work/options.txt"
printf '#!/bin/sh\ncat "%s"\n' "$work/options.txt" >"$work/$name.help"
chmod +x "$work/$name.help"

# roff: a backslash is \e, a minus sign \-, and a line may not start with a dot or quote.
roff() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

# The examples: "  command   # what it shows" lines, then notes; the exit
# status line is the .h2m's EXIT STATUS section.
{
  cat "$extra"
  echo
  echo "[EXAMPLES]"
  if ! grep -q '^Examples:$' "$work/help.txt"; then
    echo "make_man_page.sh: $name --help has no 'Examples:' line" >&2
    exit 1
  fi
  sed '1,/^Examples:$/d' "$work/help.txt" | { grep -v '^Exit status:' || true; } | while IFS= read -r line; do
    if [[ $line =~ ^\ \ ([^#]*[^#\ ])\ *(#\ (.*))?$ ]]; then
      printf '.TP\n.B %s\n%s\n' "$(roff <<<"${BASH_REMATCH[1]}")" "$(roff <<<"${BASH_REMATCH[3]:-}")"
    elif [ -z "$line" ]; then
      echo ".PP"
    else
      roff <<<"$line"
    fi
  done
} >"$work/extra.h2m"

help2man --no-info --version-string="$version" --name="$summary" --include="$work/extra.h2m" \
  --output="$work/page.1" "$work/$name.help"
# help2man names the page after the script: give it the program's name.
sed -e "s/$name\\\\\\?\\.help/$name/g" -e "s/${name^^}\\.HELP/${name^^}/g" "$work/page.1" >"$output"
