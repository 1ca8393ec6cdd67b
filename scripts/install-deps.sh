#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the kit needs to build and test, and only
# those that are missing. Safe to run again: a second run installs nothing.
#
#   scripts/install-deps.sh            build + test packages
#   scripts/install-deps.sh bench      also the load-tool peers (hey, wrk, nginx)
set -euo pipefail

say() { printf '==> %s\n' "$*" >&2; }

# Boost.URL first shipped in 1.81. Debian 12's default Boost is 1.74, so it
# needs the versioned 1.81 packages; newer systems (Ubuntu 24.04: 1.83) have
# it under the unversioned names.
boost_packages() {
  if apt-cache show libboost1.81-dev >/dev/null 2>&1 || is_installed libboost1.81-dev; then
    echo libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  else
    echo libboost-dev libboost-url-dev libboost-json-dev
  fi
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=(g++ cmake ninja-build pkg-config libcpp-httplib-dev libcli11-dev
          libgtest-dev libgmock-dev libssl-dev
          clang libclang-rt-dev util-linux)  # clang + libFuzzer for the fuzz runs; prlimit for tests
if [ "${1:-}" = bench ]; then
  packages+=(hey wrk nginx-light libnginx-mod-http-echo time iproute2)  # iproute2: ss
fi

missing=()
for p in "${packages[@]}"; do is_installed "$p" || missing+=("$p"); done
# Boost is "there" when its URL and JSON CMake packages are, whatever the version naming.
boost_ok=false
compgen -G '/usr/lib/*/cmake/boost_url-1.*' >/dev/null &&
  compgen -G '/usr/lib/*/cmake/boost_json-1.*' >/dev/null && boost_ok=true

if [ ${#missing[@]} -eq 0 ] && $boost_ok; then
  say "all build packages are installed"
  exit 0
fi

say "updating the package lists (something is missing)"
as_root apt-get update -qq
if ! $boost_ok; then
  read -r -a boost <<<"$(boost_packages)"
  missing+=("${boost[@]}")
fi
say "installing: ${missing[*]}"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
