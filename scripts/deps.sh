#!/bin/sh
# Installs the Debian packages the build, the tests and the benchmarks need, only those missing.
# --quiet: say nothing when everything is present.
set -e
pkgs="build-essential pkg-config libelf-dev libdw-dev libunwind-dev libcapstone-dev
libtraceevent-dev libzstd-dev libcmocka-dev libiberty-dev zlib1g-dev libprotobuf-c-dev protobuf-c-compiler
linux-perf elfutils perl python3 clang libclang-rt-14-dev
libxml2-utils protobuf-compiler chromium util-linux"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	[ "$1" = "--quiet" ] || echo "deps: all packages present"
	exit 0
fi
echo "deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root: run 'sudo apt-get install -y$missing'" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q $missing
