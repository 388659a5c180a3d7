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
quietly cmake -S "$here" -B "$prefix/consumer-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_CXX_FLAGS="$flags"
quietly cmake --build "$prefix/consumer-build"
"$prefix/consumer-build/consumer"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/$(gcc -print-multiarch 2>/dev/null || true)/pkgconfig"
# shellcheck disable=SC2046
"$cxx" $flags "$here/pkg_config_consumer.cpp" -o "$prefix/pc-consumer" $(pkg-config --cflags --libs mistasync)
"$prefix/pc-consumer"
# GCC 12 (Debian 12's default) on the same code and the examples, through the installed
# package: the headers must be safe for its coroutines. (Not in sanitizer builds: the
# flags are clang's.)
if [ -z "$flags" ] && command -v g++ >/dev/null; then
  quietly cmake -S "$here" -B "$prefix/gcc-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER=g++ \
          -DMISTASYNC_CONSUMER_EXAMPLES="$here/../../examples"
  quietly cmake --build "$prefix/gcc-build"
  "$prefix/gcc-build/consumer"
  "$prefix/gcc-build/quickstart" >/dev/null
  "$prefix/gcc-build/multi_provision" --count 20 --concurrency 10 --boot-delay 0.2 --ssh-delay 0.2 >/dev/null
  "$prefix/gcc-build/embedded_service" >/dev/null
  (cd "$prefix" && "$prefix/gcc-build/snippet_guide" >/dev/null && "$prefix/gcc-build/snippet_docs_snippets" >/dev/null &&
     "$prefix/gcc-build/snippet_testing_with_the_simulator" >/dev/null)
  "$here/../../examples/snippets/run_against_mistsim.sh" "$prefix/bin/mistsim" "$prefix/gcc-build/snippet_readme_quickstart" >/dev/null
  # shellcheck disable=SC2046
  g++ "$here/pkg_config_consumer.cpp" -o "$prefix/pc-consumer-gcc" $(pkg-config --cflags --libs mistasync)
  "$prefix/pc-consumer-gcc"
  echo "g++ $(g++ -dumpfullversion): consumer, examples, documentation snippets and pkg-config consumer built and ran"
fi
"$prefix/bin/mistasync" --version
"$prefix/bin/mistsim" --version
