#!/usr/bin/env bash
# Every C++ block in README.md and docs/*.md is quoted from a file that the test suite
# builds and runs: the block must follow a marker
#   <!-- snippet: examples/snippets/FILE.cpp -->        (the whole file)
#   <!-- snippet: examples/snippets/FILE.cpp#NAME -->   (the lines between //[NAME and //])
# and match it, both sides dedented. Prints each mismatch; exits 1 if any.
#   check_snippets.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

dedent() {  # stdin -> stdout, the common leading spaces of non-blank lines removed
  awk '{ lines[NR] = $0; if ($0 ~ /[^ ]/) { match($0, /^ */); if (min == "" || RLENGTH < min) min = RLENGTH } }
       END { for (i = 1; i <= NR; ++i) print (lines[i] ~ /[^ ]/ ? substr(lines[i], min + 1) : "") }'
}

region() {  # FILE NAME -> the region's lines (NAME empty: the whole file)
  if [ -z "$2" ]; then cat "$1"; return; fi
  awk -v name="$2" '
    $0 ~ "^[ ]*//\\[" name "$" { inside = 1; found = 1; next }
    inside && $0 ~ "^[ ]*//\\]$" { inside = 0; exit }
    inside { print }
    END { if (!found) exit 3 }' "$1"
}

for doc in "$root/README.md" "$root"/docs/*.md; do
  rel=${doc#"$root"/}
  # Blocks: marker (or none), then the block's text, each block in its own file.
  awk -v out="$work/block" '
    /^<!-- snippet: .* -->$/ { marker = $3; next }
    /^```cpp$/ { n++; file = out "." n; print (marker == "" ? "NONE" : marker) > (file ".marker"); inside = 1; marker = ""; next }
    inside && /^```$/ { inside = 0; close(file); next }
    inside { print > file }
    !inside && !/^[ ]*$/ { marker = (/^<!-- snippet:/ ? marker : "") }
  ' "$doc"
  for marker_file in "$work"/block.*.marker; do
    [ -e "$marker_file" ] || continue
    block=${marker_file%.marker}
    [ -e "$block" ] || : >"$block"
    marker=$(cat "$marker_file")
    n=${block##*.}
    if [ "$marker" = NONE ]; then
      echo "$rel, C++ block $n: no <!-- snippet: FILE#NAME --> marker before it" >&2
      failures=$((failures + 1))
    else
      source_file=${marker%%#*}
      name=""
      [[ "$marker" == *"#"* ]] && name=${marker#*#}
      if [ ! -f "$root/$source_file" ] || ! region "$root/$source_file" "$name" >"$work/region" 2>/dev/null; then
        echo "$rel, C++ block $n: $marker not found" >&2
        failures=$((failures + 1))
      elif ! diff -u <(dedent <"$work/region") <(dedent <"$block") >"$work/diff"; then
        echo "$rel, C++ block $n differs from $marker:" >&2
        cat "$work/diff" >&2
        failures=$((failures + 1))
      fi
    fi
    rm -f "$marker_file" "$block"
  done
done
if [ "$failures" -gt 0 ]; then
  echo "$failures documentation block(s) do not match the compiled snippets" >&2
  exit 1
fi
echo "every C++ block of README.md and docs/ matches its compiled snippet"
