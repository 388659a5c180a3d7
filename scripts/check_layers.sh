#!/usr/bin/env bash
# The house's floors, checked from its includes.
#
# 1. Module-level include cycles in a source folder: a header and its .cpp are one module,
#    and a module that (through any chain of includes of either file) reaches itself is a
#    cycle. A cycle means two modules can only be understood, tested and changed together.
# 2. Folder rules in src/client: each folder is a floor and includes only from the floors
#    below it (FLOORS, bottom first, with what each may include). A file at the top of
#    src/client, or a folder with no rule, is refused too.
# 3. No file of src/client or src/sim over 300 lines.
#
#   scripts/check_layers.sh [DIR ...]   (default: src/client src/sim tools/cli)
#   scripts/check_layers.sh --self-test (plants a cycle and a floor breach: both must fail)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

check() {
  python3 - "$@" <<'PY'
import os, re, sys
# src/client's floors, bottom first: a folder may include itself and the folders listed.
FLOORS = {
    'http':      [],                                            # the wire: HTTP/1.1, TLS, connections
    'decide':    [],                                            # sans-io decisions: retries, login, polls, adoption
    'model':     [],                                            # the public models' small functions
    'codec':     ['http'],                                      # bytes and JSON to models and back, routes
    'call':      ['http', 'decide', 'codec'],                   # one request: login, retries, limits, sessions
    'wait':      ['http', 'decide', 'codec', 'call'],           # polling loops
    'ops':       ['http', 'decide', 'codec', 'call', 'wait'],   # the public operations
    'provision': ['http', 'decide', 'codec', 'call', 'wait', 'ops'],  # bulk provisioning
}
failed = False
for folder in sys.argv[1:]:
    base = os.path.basename(os.path.normpath(folder))
    floored = base == 'client'
    bounded = base in ('client', 'sim')  # at most 300 lines a file
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
    breaches = []
    if bounded:
        for path in sorted(files):
            lines = sum(1 for _ in open(path, encoding='utf-8', errors='replace'))
            if lines > 300:
                breaches.append(f"{os.path.relpath(path, folder)}: {lines} lines (at most 300: split it by concern)")
    if floored:
        for here in sorted(modules):
            floor = here.split(os.sep)[0] if os.sep in here else None
            if floor not in FLOORS:
                breaches.append(f"{here}: not on a floor (every module lives in one of {', '.join(FLOORS)})")
                continue
            for other in sorted(edges[here]):
                there = other.split(os.sep)[0] if os.sep in other else None
                if there != floor and there not in FLOORS[floor]:
                    breaches.append(f"{here} includes {other}: {floor}/ may include only "
                                    f"{', '.join([floor] + FLOORS[floor])}")
    for b in breaches:
        failed = True
        print(f"{folder}: {b}", file=sys.stderr)
    if not comps and not breaches:
        print(f"{folder}: {len(modules)} modules, no cycle" + (", every include down a floor" if floored else "") +
              (", no file over 300 lines" if bounded else ""))
sys.exit(1 if failed else 0)
PY
}

if [[ "${1:-}" == "--self-test" ]]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/cycle" "$scratch/client/decide" "$scratch/client/call"
  printf '#include "b.hpp"\n' >"$scratch/cycle/a.hpp"
  printf '#pragma once\n' >"$scratch/cycle/b.hpp"
  printf '#include "a.hpp"\n' >"$scratch/cycle/b.cpp"  # b's .cpp reaches a, a's header reaches b
  if check "$scratch/cycle" 2>/dev/null; then
    echo "check_layers: a planted cycle (a.hpp -> b.hpp, b.cpp -> a.hpp) was not found" >&2
    exit 1
  fi
  echo "check_layers: the planted cycle was found"
  printf '#pragma once\n' >"$scratch/client/call/call.hpp"
  printf '#include "call/call.hpp"\n' >"$scratch/client/decide/plan.cpp"  # a decision that makes calls
  if check "$scratch/client" 2>/dev/null; then
    echo "check_layers: a planted breach (decide/plan.cpp includes call/call.hpp) was not found" >&2
    exit 1
  fi
  printf '// no include\n' >"$scratch/client/decide/plan.cpp"
  seq 301 >"$scratch/client/decide/long.cpp"
  if check "$scratch/client" 2>/dev/null; then
    echo "check_layers: a planted file of 301 lines was not refused" >&2
    exit 1
  fi
  rm "$scratch/client/decide/long.cpp"
  if ! check "$scratch/client" >/dev/null; then
    echo "check_layers: the folder rules refuse a tree without a breach" >&2
    exit 1
  fi
  echo "check_layers: the planted floor breach and the long file were found"
  exit 0
fi

if [[ $# -eq 0 ]]; then set -- "$root/src/client" "$root/src/sim" "$root/tools/cli"; fi
check "$@"
