#!/usr/bin/env bash
# Module-level include cycles in a source folder: a header and its .cpp are one module, and
# a module that (through any chain of includes of either file) reaches itself is a cycle.
# A cycle means two modules can only be understood, tested and changed together.
#
#   scripts/check_layers.sh [DIR ...]   (default: src/client src/sim tools/cli)
#   scripts/check_layers.sh --self-test (plants a cycle in a scratch folder: must fail)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

check() {
  python3 - "$@" <<'PY'
import os, re, sys
failed = False
for folder in sys.argv[1:]:
    files = {}
    for dirpath, _, names in os.walk(folder):
        for n in names:
            if n.endswith(('.hpp', '.cpp')):
                files[os.path.join(dirpath, n)] = n
    def module(path):  # "http/transport.hpp" and "http/transport.cpp" are one module
        return os.path.splitext(os.path.relpath(path, folder))[0]
    modules = {module(p) for p in files}
    edges = {m: set() for m in modules}
    include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
    for path in files:
        here = module(path)
        text = open(path, encoding='utf-8', errors='replace').read()
        for target in include.findall(text):
            for candidate in (os.path.join(os.path.dirname(path), target), os.path.join(folder, target)):
                if os.path.exists(candidate) and os.path.realpath(candidate).startswith(os.path.realpath(folder)):
                    other = module(candidate)
                    if other != here:
                        edges[here].add(other)
                    break
    # Tarjan's strongly connected components: any with more than one module is a cycle.
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = counter[0]; counter[0] += 1
        stack.append(v); on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: comps.append(sorted(comp))
    for v in sorted(modules):
        if v not in index: visit(v)
    for comp in comps:
        failed = True
        print(f"{folder}: modules that include each other (a cycle): {', '.join(comp)}", file=sys.stderr)
    if not comps:
        print(f"{folder}: {len(modules)} modules, no cycle")
sys.exit(1 if failed else 0)
PY
}

if [[ "${1:-}" == "--self-test" ]]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  printf '#include "b.hpp"\n' >"$scratch/a.hpp"
  printf '#pragma once\n' >"$scratch/b.hpp"
  printf '#include "a.hpp"\n' >"$scratch/b.cpp"  # b's .cpp reaches a, a's header reaches b
  if check "$scratch" 2>/dev/null; then
    echo "check_layers: a planted cycle (a.hpp -> b.hpp, b.cpp -> a.hpp) was not found" >&2
    exit 1
  fi
  echo "check_layers: the planted cycle was found"
  exit 0
fi

if [[ $# -eq 0 ]]; then set -- "$root/src/client" "$root/src/sim" "$root/tools/cli"; fi
check "$@"
