#!/usr/bin/env bash
# Counts what one run of the code generator does, for comparing two builds of it on a machine
# whose wall clock moves too much to tell them apart (see docs/benchmarks.md).
#
# For each xtask binary given (default: target/release/xtask, built first), one full pipeline
# run (`xtask bench --phase full -n 1 --no-children`, the same work as `cargo xtask codegen`
# without the writes) under cachegrind with its cache simulation, and one plain parse
# (`--phase plain`) under the same tool. Prints instructions, data reads + writes, first-level
# data cache misses and last-level cache misses of each, and full/plain instruction ratios.
#
# Usage: scripts/codegen-counts.sh [XTASK_BINARY...]
#        e.g. keep a binary of main, then compare: scripts/codegen-counts.sh /tmp/xtask-main target/release/xtask
# Needs valgrind. A run takes about a minute per binary.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INPUT=${CODEGEN_COUNTS_INPUT:-$ROOT/docs-input}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
if [[ $# -eq 0 ]]; then
    (cd "$ROOT" && cargo build --release -p xtask --quiet)
    set -- "$ROOT/target/release/xtask"
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/codegen-counts.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# `name value` lines of one phase: I refs, D refs, D1 misses, LL misses.
counts() {
    local bin=$1 phase=$2 out="$WORK/cg.out"
    valgrind --tool=cachegrind --cache-sim=yes --cachegrind-out-file="$out" \
        "$bin" bench --phase "$phase" -n 1 --no-children --input "$INPUT" 2>&1 >/dev/null |
        awk '/I *refs:/ {gsub(",","",$4); print "instructions", $4}
             /D *refs:/ {gsub(",","",$4); print "data_refs", $4}
             /D1  misses:/ {gsub(",","",$4); print "d1_misses", $4}
             /LL misses:/ {gsub(",","",$4); print "ll_misses", $4}'
}

printf '%-40s %8s %14s %14s %12s %12s %10s\n' binary phase instructions data_refs d1_misses ll_misses full/plain
for bin in "$@"; do
    declare -A full=() plain=()
    while read -r k v; do full[$k]=$v; done < <(counts "$bin" full)
    while read -r k v; do plain[$k]=$v; done < <(counts "$bin" plain)
    for phase in plain full; do
        declare -n c=$phase
        ratio=$(awk -v f="${full[instructions]}" -v p="${plain[instructions]}" 'BEGIN { printf "%.2fx", f / p }')
        [[ $phase == plain ]] && ratio=""
        printf '%-40s %8s %14s %14s %12s %12s %10s\n' "$bin" "$phase" \
            "${c[instructions]}" "${c[data_refs]}" "${c[d1_misses]}" "${c[ll_misses]}" "$ratio"
        unset -n c
    done
done
