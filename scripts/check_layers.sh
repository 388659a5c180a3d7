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

# The quoted includes of FILE, as paths relative to src/client.
includes_of() {
  local dir rel
  dir=$(dirname "${1#"$client"/}")
  sed -n 's/^#include "\([^"]*\)".*/\1/p' "$1" | while read -r rel; do
    if [ "$dir" != "." ] && [ -e "$client/$dir/$rel" ]; then echo "$dir/$rel"; else echo "$rel"; fi
  done
}

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
while IFS= read -r file; do
  name=${file#"$client"/}
  lines=$(wc -l < "$file")
  if [ "$lines" -gt "$max_lines" ]; then
    echo "src/client/$name: $lines lines (at most $max_lines)"
    failures=$((failures + 1))
  fi
  for dep in $(includes_of "$file"); do
    echo "$name $dep" >> "$edges"
    if [[ "$name" == http/* && "$dep" != http/* ]]; then
      echo "src/client/$name includes $dep: the HTTP layer includes only http/"
      failures=$((failures + 1))
    fi
  done
  echo "$name $name" >> "$edges"  # every file is a node, included or not
done < <(find "$client" -name '*.hpp' -o -name '*.cpp' | sort)

if ! tsort "$edges" > /dev/null 2> "$edges.cycle"; then
  echo "include cycle in src/client:"
  sed 's/^tsort: /  /' "$edges.cycle"
  failures=$((failures + 1))
fi
rm -f "$edges.cycle"

[ "$failures" -eq 0 ] && echo "src/client: layers hold ($(find "$client" -name '*.?pp' | wc -l) files)"
[ "$failures" -eq 0 ]
