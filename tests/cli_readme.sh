#!/usr/bin/env bash
# Runs every line of the README's command-line example (the ```sh block after
# <!-- cli-example -->), in order, against a fresh mistsim: each must exit 0. JOB_ID is
# the job id the line before it printed.
#   cli_readme.sh SOURCE_DIR MISTSIM MISTASYNC
set -euo pipefail
# First the mistsim: the snippets' runner starts one and runs this script again with
# MIST_URL and MIST_TOKEN set.
if [ -z "${CLI_README_SOURCE:-}" ]; then
  export CLI_README_SOURCE=$1 CLI_README_CLI=$3
  exec "$1/examples/snippets/run_against_mistsim.sh" "$2" "$0" --action-delay 0.2
fi
src=$CLI_README_SOURCE
cli=$CLI_README_CLI
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work"
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
