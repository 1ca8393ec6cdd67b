#!/usr/bin/env bash
# Tries the kit as a new user would on today's systems: for each, a fresh
# minimal Debian (debootstrap --variant=minbase) in a temporary folder, a
# clean copy of this checkout (git archive HEAD), then the README's two
# commands inside it with chroot: ./scripts/demo.sh (then cmake --install, as
# docs/building.md says) and ./scripts/test.sh --quick,
# with compiler warnings as errors. On Debian 13, also the .deb: made there
# with CPack, installed with apt into a second fresh system without build
# tools, run there (the server, and the talk's timings of both clients), removed.
# Everything mounted and made is removed on every exit path, Ctrl-C included.
#
#   ./scripts/test-systems.sh                  Debian 13 (trixie) and Debian testing
#   ./scripts/test-systems.sh testing          one of them
#
# Needs root (debootstrap, mount, chroot) and Debian's package archive: the
# archive this machine's own apt sources name, or KIT_DEBIAN_MIRROR.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
systems=("$@")
[ ${#systems[@]} -gt 0 ] || systems=(trixie testing)
for system in "${systems[@]}"; do
  case "$system" in
    trixie|testing) ;;
    *) echo "test-systems.sh: unknown system '$system' (trixie, testing)" >&2; exit 2 ;;
  esac
done

say() { printf '\n==> %s\n' "$*"; }
fail() { echo "test-systems.sh: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "needs root for debootstrap, mount and chroot (try: sudo $0)"
git rev-parse --verify -q HEAD >/dev/null || fail "needs a git checkout with a commit (it copies HEAD)"
if ! command -v debootstrap >/dev/null; then
  say "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# The Debian archive this machine installs from: the URI of the apt source
# that serves its own release (not -security or -updates, not a third party).
debian_mirror() {
  local codename
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk -v c="$codename" '$1 == "deb" {
      for (i = 2; i < NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { if ($(i + 1) == c) { print $i; exit } break } }'
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk -v c="$codename" '
      /^[[:space:]]*$/ { if (uri != "" && has) { print uri; found = 1; exit } uri = ""; has = 0; next }
      $1 == "URIs:" { uri = $2 }
      $1 == "Suites:" { for (i = 2; i <= NF; i++) if ($i == c) has = 1 }
      END { if (!found && uri != "" && has) print uri }'
}
mirror=${KIT_DEBIAN_MIRROR:-$(debian_mirror | head -n 1)}
[ -n "$mirror" ] || fail "found no Debian archive in this machine's apt sources; set KIT_DEBIAN_MIRROR"

# One system at a time: a work folder with its logs and the system's root
# folder, and the mounts made into it; all for the cleanup.
work=""
root=""
mounts=()
cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[$i]}" 2>/dev/null || umount -l "${mounts[$i]}" 2>/dev/null || true
  done
  mounts=()
  if [ -n "$work" ] && [ -d "$work" ]; then
    # Never delete through a mount that is still there: it would be the host's.
    if findmnt -rn -o TARGET | grep -q "^$work/"; then
      echo "test-systems.sh: $work still has mounts; left it in place" >&2
    else
      rm -rf --one-file-system "$work"
    fi
  fi
  work=""
  root=""
}
trap cleanup EXIT
trap 'echo "test-systems.sh: interrupted" >&2; exit 130' INT TERM

# Runs a step; on failure, says which system and step failed, with what the
# failed tests printed and the log's end.
step() {
  local system=$1 name=$2; shift 2
  local log="$work/step.log"
  say "$system: $name"
  local started=$SECONDS
  if ! "$@" >"$log" 2>&1; then
    # ctest prints a failed test's output where it failed, long before the end.
    grep -A 30 -E '\*\*\*(Failed|Timeout|Exception)' "$log" >&2 || true
    tail -n 60 "$log" >&2
    fail "$system failed at: $name"
  fi
  tail -n 5 "$log"
  echo "($system: $name took $((SECONDS - started)) s)"
  rm -f "$log"
}

# CXXFLAGS=-Werror: a newer compiler's warning about our code fails the run
# (library headers are system headers, so theirs do not count).
in_system() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 CXXFLAGS=-Werror \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -c "cd /kit && $1"
}

# The installed system: no checkout, nothing built, only what apt brings.
in_installed() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -c "$1"
}

# What every installed system has and a minimal one made by debootstrap lacks.
prepare_root() {
  local system=$1
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  if [ "$system" = testing ]; then
    # The testing archive's Release file has been seen past its Valid-Until date.
    echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99kit-testing"
  fi
  local m
  for m in proc sys dev dev/pts; do
    mount --bind "/$m" "$root/$m"
    mounts+=("$root/$m")
  done
}

prepare() {
  prepare_root "$1"
  mkdir "$root/kit"
  git archive HEAD | tar -x -C "$root/kit"
}

# The .deb: made by CPack in the system just tested, then installed with apt
# into a second fresh system of the same release, one without build tools.
check_the_package() {
  local system=$1 built=$root
  step "$system" "cpack -G DEB" in_system "cd build && cpack -G DEB"
  root="$work/installed"
  step "$system" "a second system for the package: debootstrap --variant=minbase" \
    debootstrap --variant=minbase "$system" "$root" "$mirror"
  step "$system" "its set-up (hosts, mounts)" prepare_root "$system"
  cp "$built"/kit/build/slowkit_*.deb "$root/tmp/slowkit.deb"
  cp scripts/lib/check_installed.sh "$root/tmp/check_installed.sh"
  step "$system" "apt install ./slowkit_*.deb, run the installed programs, remove it" \
    in_installed "bash /tmp/check_installed.sh /tmp/slowkit.deb"
}

for system in "${systems[@]}"; do
  work=$(mktemp -d "${TMPDIR:-/tmp}/kit-$system.XXXXXX")
  root="$work/system"
  script=()
  [ "$system" = testing ] && script=(/usr/share/debootstrap/scripts/sid)  # bookworm's debootstrap has no "testing"
  step "$system" "debootstrap --variant=minbase ($mirror)" \
    debootstrap --variant=minbase "$system" "$root" "$mirror" "${script[@]}"
  step "$system" "set-up (hosts, mounts, the checkout)" prepare "$system"
  step "$system" "./scripts/demo.sh" in_system "./scripts/demo.sh"
  step "$system" "cmake --install build, right after demo.sh (docs/building.md)" \
    in_system "cmake --install build --prefix /tmp/kit-prefix && ls /tmp/kit-prefix/bin /tmp/kit-prefix/share/man/man1"
  step "$system" "./scripts/test.sh --quick" in_system "./scripts/test.sh --quick"
  if [ "$system" = trixie ]; then check_the_package "$system"; fi
  cleanup
  say "$system: passed"
done
say "all systems passed: ${systems[*]}"
