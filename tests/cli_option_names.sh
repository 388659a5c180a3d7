#!/usr/bin/env bash
# Commands read options by typed constants (tools/cli/options.hpp): a misspelled option
# must not build. Compiles a read of opt::backend (must build) and of opt::bakcend (must
# not), against options.hpp alone.
#   cli_option_names.sh CXX SOURCE_DIR
set -euo pipefail
cxx=$1
cli="$2/tools/cli"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

read_of() {
  cat >"$scratch/read.cpp" <<CPP
#include "options.hpp"
std::string_view read_option() { return mistcli::opt::$1.text; }
CPP
  "$cxx" -std=c++20 -fsyntax-only -I "$cli" "$scratch/read.cpp" 2>"$scratch/errors"
}

if ! read_of backend; then
  echo "cli_option_names: a read of opt::backend does not build:" >&2
  cat "$scratch/errors" >&2
  exit 1
fi
if read_of bakcend; then
  echo "cli_option_names: a read of the misspelled opt::bakcend builds" >&2
  exit 1
fi
grep -q "bakcend" "$scratch/errors" || { echo "cli_option_names: the error does not name opt::bakcend" >&2; exit 1; }
echo "cli_option_names: opt::backend builds, the misspelled opt::bakcend does not"
