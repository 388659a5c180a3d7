#!/usr/bin/env bash
# The public headers under strict warnings, included with -I (as pkg-config does, so
# they are not system headers), by clang++ and g++ alike.
#   strict_headers.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
flags=(-std=c++20 -fsyntax-only -Wall -Wextra -Wshadow -Wconversion -Wsign-conversion -pedantic -Werror
       -I"$src/include" -I"$build/include")
for cxx in clang++ g++; do
  command -v "$cxx" >/dev/null || continue
  extra=()
  [ "$cxx" = g++ ] && extra=(-fcoroutines)
  "$cxx" "${flags[@]}" "${extra[@]}" "$src/tests/consumer/strict_headers.cpp"
  echo "$cxx $("$cxx" -dumpversion): public headers compile without a warning"
done
