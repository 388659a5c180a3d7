#!/usr/bin/env bash
# Runs PROGRAM with MIST_URL and MIST_TOKEN of a fresh mistsim, as the README says to.
#   run_against_mistsim.sh MISTSIM PROGRAM [mistsim flags...]
set -euo pipefail
mistsim=$1
program=$2
shift 2
out=$(mktemp)
"$mistsim" --listen 127.0.0.1:0 --boot-delay 0.3 --ssh-delay 0.3 "$@" >"$out" 2>&1 &
sim=$!
trap 'kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 200); do
  grep -q '^api token: ' "$out" && break
  sleep 0.05
done
MIST_URL=$(sed -n 's/^listening on //p' "$out")
MIST_TOKEN=$(sed -n 's/^api token: //p' "$out")
export MIST_URL MIST_TOKEN
"$program"
