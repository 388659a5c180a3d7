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
# With the build's compiler: the consumer (the build tree already built and ran the
# examples and snippets with it). With GCC 12, Debian 12's default: the consumer, the
# examples and the documentation's snippets, through the installed package. (Not in
# sanitizer builds: slow to build, and covered by the build tree's tests.)
build_and_run() {  # COMPILER DIR [examples]
  local examples=()
  [ "${3:-}" = examples ] && examples=(-DMISTASYNC_CONSUMER_EXAMPLES="$here/../../examples")
  quietly cmake -S "$here" -B "$2" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$1" \
          -DCMAKE_CXX_FLAGS="$flags" "${examples[@]}"
  quietly cmake --build "$2"
  "$2/consumer"
  [ "${3:-}" = examples ] || { echo "$1: consumer built against the installed package and ran"; return 0; }
  "$2/quickstart" >/dev/null
  "$2/multi_provision" --count 20 --concurrency 10 --boot-delay 0.2 --ssh-delay 0.2 >/dev/null
  "$2/embedded_service" >/dev/null
  for example in error_handling callbacks_and_futures timeouts_and_cancellation wait_for_job provider_fields provision_with_script \
                 testing_with_the_simulator; do
    "$2/$example" >/dev/null
  done
  "$here/../../examples/2_simple/run_tls_example.sh" "$prefix/bin/mistsim" "$2/tls" >/dev/null
  (cd "$prefix" && "$2/snippet_guide" >/dev/null && "$2/snippet_docs_snippets" >/dev/null 2>&1 &&
     "$2/snippet_testing_with_the_simulator" >/dev/null)
  "$here/../../examples/snippets/run_against_mistsim.sh" "$prefix/bin/mistsim" "$2/snippet_readme_quickstart" >/dev/null
  echo "$1: consumer, examples and documentation snippets built against the installed package and ran"
}
build_and_run "$cxx" "$prefix/consumer-build"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/$(gcc -print-multiarch 2>/dev/null || true)/pkgconfig"
# shellcheck disable=SC2046
"$cxx" $flags "$here/pkg_config_consumer.cpp" -o "$prefix/pc-consumer" $(pkg-config --cflags --libs mistasync)
"$prefix/pc-consumer"
if [ -z "$flags" ] && command -v g++ >/dev/null; then
  build_and_run g++ "$prefix/gcc-build" examples
  # shellcheck disable=SC2046
  g++ "$here/pkg_config_consumer.cpp" -o "$prefix/pc-consumer-gcc" $(pkg-config --cflags --libs mistasync)
  "$prefix/pc-consumer-gcc"
fi
"$prefix/bin/mistasync" --version
"$prefix/bin/mistsim" --version
