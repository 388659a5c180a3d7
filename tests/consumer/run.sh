#!/usr/bin/env bash
# The consumer test: install the build into a prefix, then build and run an outside
# project against it — with find_package(mistasync), and with pkg-config.
#   run.sh BUILD_DIR CXX [EXTRA_CXX_FLAGS] [OUT_DIR]
# Without OUT_DIR: a temporary prefix and the consumer alone (the build tree already built
# and ran the examples and snippets with the build's compiler). With OUT_DIR (kept): the
# examples and the documentation's snippets too, which the consumer_gcc/* tests then run
# (CTest fixture consumer_gcc, built with g++, Debian 12's default compiler).
set -euo pipefail
build=$1
cxx=$2
flags=${3:-}
out=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
examples=()
if [ -n "$out" ]; then
  rm -rf "$out"
  mkdir -p "$out"
  examples=(-DMISTASYNC_CONSUMER_EXAMPLES="$here/../../examples")
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
prefix="$out/prefix"
quietly() {  # output only when the step fails
  local log="$out/step.log"
  "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "failed: $*" >&2; return 1; }
}
quietly cmake --install "$build" --prefix "$prefix"
quietly cmake -S "$here" -B "$out/build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_CXX_FLAGS="$flags" "${examples[@]}"
quietly cmake --build "$out/build"
"$out/build/consumer"
echo "$cxx: consumer built against the installed package and ran"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/$(gcc -print-multiarch 2>/dev/null || true)/pkgconfig"
# shellcheck disable=SC2046
"$cxx" $flags "$here/pkg_config_consumer.cpp" -o "$out/pc-consumer" $(pkg-config --cflags --libs mistasync)
"$out/pc-consumer"
"$prefix/bin/mistasync" --version
"$prefix/bin/mistsim" --version
