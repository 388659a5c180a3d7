#!/usr/bin/env bash
# The consumer test: install the build into a temporary prefix, then build and run an
# outside project against it — with find_package(mistasync), and with pkg-config.
#   run.sh BUILD_DIR CXX [EXTRA_CXX_FLAGS]
set -euo pipefail
build=$1
cxx=$2
flags=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
quietly() {  # output only when the step fails
  local log="$prefix/step.log"
  "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "failed: $*" >&2; return 1; }
}
quietly cmake --install "$build" --prefix "$prefix"
# With the build's compiler (the build tree already built and ran the examples and
# snippets with it); GCC's build of them is build_with_gcc.sh.
quietly cmake -S "$here" -B "$prefix/consumer-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_CXX_FLAGS="$flags"
quietly cmake --build "$prefix/consumer-build"
"$prefix/consumer-build/consumer"
echo "$cxx: consumer built against the installed package and ran"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/$(gcc -print-multiarch 2>/dev/null || true)/pkgconfig"
# shellcheck disable=SC2046
"$cxx" $flags "$here/pkg_config_consumer.cpp" -o "$prefix/pc-consumer" $(pkg-config --cflags --libs mistasync)
"$prefix/pc-consumer"
"$prefix/bin/mistasync" --version
"$prefix/bin/mistsim" --version
