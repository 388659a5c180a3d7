#!/usr/bin/env bash
# Runs every line of the README's command-line example (the ```sh block after
# <!-- cli-example -->), in order, against a fresh mistsim: each must exit 0. JOB_ID is
# the job id the line before it printed.
#   cli_readme.sh SOURCE_DIR MISTSIM MISTASYNC
set -euo pipefail
src=$1
mistsim=$2
cli=$3
work=$(mktemp -d)
out="$work/mistsim.out"
"$mistsim" --listen 127.0.0.1:0 --boot-delay 0.3 --ssh-delay 0.3 --action-delay 0.2 >"$out" 2>&1 &
sim=$!
trap 'kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do
  grep -q '^api token: ' "$out" && break
  sleep 0.05
done
export MIST_URL MIST_TOKEN HOME="$work"
MIST_URL=$(sed -n 's/^listening on //p' "$out")
MIST_TOKEN=$(sed -n 's/^api token: //p' "$out")
mkdir -p "$work/bin"
ln -s "$cli" "$work/bin/mistasync"
export PATH="$work/bin:$PATH"
cd "$work"
openssl genrsa -traditional -out id_rsa 2048 2>/dev/null

lines=$(awk '/^<!-- cli-example -->$/ { want = 1; next } want && /^```sh$/ { inside = 1; next }
             inside && /^```$/ { exit } inside { print }' "$src/README.md")
[ -n "$lines" ] || { echo "no cli-example block in README.md" >&2; exit 1; }
count=0
job_id=""
while IFS= read -r line; do
  command=${line//JOB_ID/$job_id}
  if ! output=$(bash -c "$command" 2>"$work/stderr" </dev/null); then
    echo "README line failed: $line" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  if [[ "$line" == *"--async"* ]]; then job_id=$(printf '%s\n' "$output" | tail -n 1); fi
  count=$((count + 1))
done <<<"$lines"
echo "$count README command lines ran against mistsim"
