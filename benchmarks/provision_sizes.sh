#!/usr/bin/env bash
# Bulk provisioning at several sizes, in each era, each against a standalone mistsim of its
# own (so that the client's RSS and CPU are its own and the simulator's CPU share is
# known): one Markdown row per run, for benchmarks/README.md.
#
#   ./benchmarks/provision_sizes.sh [sizes...]        (default: 1000 10000 30000 100000)
#   ERAS="legacy" CONCURRENCY=500 BOOT=2 SSH=2 ./benchmarks/provision_sizes.sh 1000
#   MALLOCS="glibc" ./benchmarks/provision_sizes.sh 100000
#
# Each size runs once per malloc the build has (MALLOCS, default "glibc tcmalloc"):
# provision_bench on the C library's, provision_bench_tcmalloc on tcmalloc (built when
# libtcmalloc-minimal4 is installed), one after the other, so that each pair shares its minutes.
#
# Needs a build (./scripts/dev build). Machines boot in BOOT s and answer SSH SSH s later,
# without jitter, so that D is the same for every machine.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${MISTASYNC_BUILD_DIR:-"$root/build"}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 30000 100000)
eras=(${ERAS:-legacy v1 v2})
concurrency=${CONCURRENCY:-500}
benches=()
for m in ${MALLOCS:-glibc tcmalloc}; do
  case $m in
    glibc) benches+=("$build/benchmarks/provision_bench") ;;
    tcmalloc) [ -x "$build/benchmarks/provision_bench_tcmalloc" ] && benches+=("$build/benchmarks/provision_bench_tcmalloc") ;;
    *) echo "MALLOCS: glibc and/or tcmalloc" >&2; exit 2 ;;
  esac
done
boot=${BOOT:-2}
ssh=${SSH:-2}

work=$(mktemp -d)
sim_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

echo "| era | machines | malloc | wall | create phase | goal 1.25 × D + create phase | requests / machine | response bytes / machine | client CPU / machine | client RSS / machine | simulator CPU share | probed | report = journal = server |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for era in "${eras[@]}"; do
  for n in "${sizes[@]}"; do
    for bench in "${benches[@]}"; do
      "$build/tools/mistsim" --listen 127.0.0.1:0 --boot-delay "$boot" --ssh-delay "$ssh" --delay-jitter 0 >"$work/sim.out" 2>&1 &
      sim_pid=$!
      for _ in $(seq 100); do grep -q "api token" "$work/sim.out" && break; sleep 0.1; done
      url=$(sed -n 's/^listening on //p' "$work/sim.out")
      token=$(sed -n 's/^api token: //p' "$work/sim.out")
      if MISTSIM_URL=$url MISTSIM_TOKEN=$token MISTSIM_PID=$sim_pid \
           "$bench" "$n" "$concurrency" "$boot" "$ssh" "$era" >"$work/bench.out" 2>&1; then :; fi
      kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null || true
      sim_pid=""
      line=$(grep '^result ' "$work/bench.out" || true)
      if [ -z "$line" ]; then
        echo "| $era | $n | ${bench##*/} | failed: $(tail -1 "$work/bench.out") |"
        continue
      fi
      met=$( [ "$(field met "$line")" = 1 ] && echo met || echo "**not met**")
      agree=$( [ "$(field agree "$line")" = 1 ] && echo yes || echo "**no**")
      printf '| %s | %s | %s | %s s | %s s | %s s: %s | %s | %s | %s µs | %s KB | %.0f %% | %s | %s |\n' \
        "$era" "$n" "$(field allocator "$line")" "$(field wall_s "$line")" "$(field create_s "$line")" "$(field goal_s "$line")" "$met" \
        "$(field requests_per_machine "$line")" "$(field bytes_per_machine "$line")" \
        "$(field client_cpu_us_per_machine "$line")" "$(field rss_kb_per_machine "$line")" \
        "$(awk -v s="$(field sim_cpu_share "$line")" 'BEGIN { print s * 100 }')" "$(field probed "$line")" "$agree"
    done
  done
done
