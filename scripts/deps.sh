#!/bin/sh
# Installs the Debian packages that are missing, only those.
#   deps.sh [--build] [--quiet]
# --build: what building the commands and running them (make, make demo) needs; without it
# also what the tests and benchmarks need (perf as the oracle, cmocka, clang for the fuzzers,
# chromium for the flame-graph screenshots, ...). --quiet: say nothing when all are present.
set -e
build_pkgs="build-essential pkg-config libelf-dev libdw-dev libunwind-dev libcapstone-dev
libtraceevent-dev libzstd-dev libiberty-dev zlib1g-dev libprotobuf-c-dev util-linux libncurses-dev
libarchive-dev"
test_pkgs="libcmocka-dev systemtap-sdt-dev protobuf-c-compiler linux-perf elfutils perl python3 clang
libclang-rt-14-dev libxml2-utils protobuf-compiler chromium graphviz npm lld g++ binutils tmux"
pkgs="$build_pkgs $test_pkgs"
quiet=""
for a in "$@"; do
	case $a in
	--build) pkgs=$build_pkgs ;;
	--quiet) quiet=1 ;;
	esac
done
missing=""
for p in $pkgs; do
	# npm also comes inside a NodeSource nodejs package, which conflicts with Debian's npm:
	# a working npm command is enough.
	if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then
		continue
	fi
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	[ -n "$quiet" ] || echo "deps: all packages present"
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
