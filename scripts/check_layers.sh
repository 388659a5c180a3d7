#!/usr/bin/env bash
# The client core's layering rules, checked on its sources:
#   * src/client/http/ is the lowest floor: its files include only each other (and
#     system, Boost or public mistasync headers), never the client's state;
#   * the quoted includes of src/client form no cycle;
#   * no file in src/client is longer than 300 lines.
# Prints each breach; exits 1 if any.
#   check_layers.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
client="$root/src/client"
max_lines=300
failures=0

edges=$(mktemp)
trap 'rm -f "$edges" "$edges.cycle"' EXIT
# One pass over every file (a process per file made this check take seconds): each file's
# length, and its quoted includes resolved against its own folder first.
mapfile -t files < <(cd "$client" && find . -name '*.hpp' -o -name '*.cpp' | sed 's|^\./||' | sort)
breaches=$(cd "$client" && awk -v max="$max_lines" -v edges="$edges" '
  function dir_of(path) { return path ~ /\// ? substr(path, 1, match(path, /\/[^\/]*$/) - 1) : "." }
  function exists(path,   line) { if ((getline line < path) >= 0) { close(path); return 1 } return 0 }
  function finish(name) { if (name != "" && lines[name] > max) printf "src/client/%s: %d lines (at most %d)\n", name, lines[name], max }
  FNR == 1 { finish(name); name = FILENAME; print name, name > edges }
  { lines[name] = FNR }
  /^#include "/ {
    rel = $0; sub(/^#include "/, "", rel); sub(/".*/, "", rel)
    dep = (dir_of(name) != "." && exists(dir_of(name) "/" rel)) ? dir_of(name) "/" rel : rel
    while (dep ~ /^[^\/.][^\/]*\/\.\.\//) sub(/^[^\/.][^\/]*\/\.\.\//, "", dep)  # "http/../x.hpp" is x.hpp
    print name, dep > edges
    if (name ~ /^http\// && dep !~ /^http\//) printf "src/client/%s includes %s: the HTTP layer includes only http/\n", name, dep
  }
  END { finish(name) }' "${files[@]}")
if [ -n "$breaches" ]; then
  echo "$breaches"
  failures=$((failures + $(echo "$breaches" | wc -l)))
fi

if ! tsort "$edges" > /dev/null 2> "$edges.cycle"; then
  echo "include cycle in src/client:"
  sed 's/^tsort: /  /' "$edges.cycle"
  failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] && echo "src/client: layers hold (${#files[@]} files)"
[ "$failures" -eq 0 ]
