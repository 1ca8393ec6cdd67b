#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the kit needs, and only those that are
# missing. Safe to run again: a second run installs nothing.
#
#   scripts/install-deps.sh            build + test packages
#   scripts/install-deps.sh fuzz       also clang and libFuzzer (the full test.sh)
#   scripts/install-deps.sh browser    also headless Chromium, for the dashboard's page tests
#   scripts/install-deps.sh bench      also the load-tool peers (hey, wrk, nginx)
#   scripts/install-deps.sh libcxx     also clang's libc++ (the libc++ preset)
#   scripts/install-deps.sh http2      also the HTTP/2 peers the tests run (nginx, nghttpd, h2load, python3-h2)
set -euo pipefail

say() { printf '==> %s\n' "$*" >&2; }

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# The version apt would install, or nothing. `apt-cache show` is no guide:
# it also answers for a package that has no installation candidate.
candidate() {
  apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Boost.URL first shipped in 1.81. Take the unversioned packages when they
# are new enough (Debian 13: 1.83, Ubuntu 24.04: 1.83, testing: newer), else
# the versioned 1.81 ones (Debian 12, whose default Boost is 1.74).
boost_packages() {
  local default
  default=$(candidate libboost-dev)
  if [ -n "$default" ] && dpkg --compare-versions "$default" ge 1.81; then
    echo libboost-dev libboost-url-dev libboost-json-dev
  elif [ -n "$(candidate libboost1.81-dev)" ]; then
    echo libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  else
    say "this system offers no Boost >= 1.81 (libboost-dev: ${default:-none}); the kit needs Boost.URL"
    exit 1
  fi
}

packages=(g++ cmake ninja-build pkg-config libcpp-httplib-dev libcli11-dev
          libgtest-dev libgmock-dev libssl-dev libnghttp2-dev util-linux  # util-linux: prlimit, for tests
          libqrencode-dev help2man man-db  # man pages from --help, man to check them
          dpkg-dev file)  # dpkg-shlibdeps and file, for the .deb
for extra in "$@"; do
  case "$extra" in
    fuzz) packages+=(clang libclang-rt-dev) ;;  # libFuzzer and the sanitizers' runtime for clang
    browser) packages+=(chromium) ;;
    shards) packages+=(pdsh iproute2) ;;  # generators in network namespaces, launched by pdsh
    bench) packages+=(hey wrk nginx-light libnginx-mod-http-echo nghttp2-client time iproute2) ;;  # iproute2: ss
    libcxx) packages+=(clang libc++-dev libc++abi-dev googletest) ;;  # googletest: its sources, built with libc++
    http2) packages+=(nginx-light libnginx-mod-http-echo nghttp2-client nghttp2-server python3-h2 curl) ;;
    *) echo "install-deps.sh: unknown argument '$extra' (fuzz, browser, shards, bench, libcxx, http2)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do is_installed "$p" || missing+=("$p"); done
# Boost is "there" when its URL and JSON CMake packages are, whatever the version naming.
boost_ok=false
compgen -G '/usr/lib/*/cmake/boost_url-1.*' >/dev/null &&
  compgen -G '/usr/lib/*/cmake/boost_json-1.*' >/dev/null && boost_ok=true

if [ ${#missing[@]} -eq 0 ] && $boost_ok; then
  say "all needed packages are installed"
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
