#!/usr/bin/env bash
# The g++ consumer: install the build into OUT_DIR/prefix, then build an outside project
# against it with GCC (Debian 12's default compiler) — the consumer, every example and
# the documentation's snippets, through find_package — and a pkg-config consumer. The
# tests named consumer_gcc/* then run what this built (CTest fixture consumer_gcc).
#   build_with_gcc.sh BUILD_DIR OUT_DIR GXX
set -euo pipefail
build=$1
out=$2
gxx=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out"
prefix="$out/prefix"
quietly() {  # output only when the step fails
  local log="$out/step.log"
  "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "failed: $*" >&2; return 1; }
}
quietly cmake --install "$build" --prefix "$prefix"
quietly cmake -S "$here" -B "$out/build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$gxx" \
        -DMISTASYNC_CONSUMER_EXAMPLES="$here/../../examples"
quietly cmake --build "$out/build"
"$out/build/consumer"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/$(gcc -print-multiarch 2>/dev/null || true)/pkgconfig"
# shellcheck disable=SC2046
"$gxx" "$here/pkg_config_consumer.cpp" -o "$out/pc-consumer" $(pkg-config --cflags --libs mistasync)
"$out/pc-consumer"
echo "$gxx: consumer, examples and documentation snippets built against the installed package"
