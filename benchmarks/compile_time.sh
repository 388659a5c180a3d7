#!/usr/bin/env bash
# Compile time and peak memory of one consumer file (includes <mistasync/mistasync.hpp>
# and makes one call), against the same call written with Beast + SSL + JSON directly.
# Median of N runs (default 5), same compiler and flags as the project.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxx=${CXX:-clang++}
runs=${1:-5}
flags=(-std=c++20 -O2 -DBOOST_ASIO_NO_DEPRECATED -I"$root/include" -c -o /dev/null)
measure() {
  local file=$1 times=() mems=()
  for _ in $(seq "$runs"); do
    out=$( { /usr/bin/time -f "%e %M" "$cxx" "${flags[@]}" "$file"; } 2>&1 | tail -1)
    times+=("${out% *}"); mems+=("${out#* }")
  done
  t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  m=$(printf '%s\n' "${mems[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-28s median %5.2f s, peak %4d MB\n' "$(basename "$file")" "$t" "$((m / 1024))"
}
measure "$root/benchmarks/compile/consumer.cpp"
measure "$root/benchmarks/compile/beast_consumer.cpp"
