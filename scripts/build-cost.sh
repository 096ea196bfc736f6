#!/usr/bin/env bash
# Build cost of an app that uses our generated crates, next to the same app on graph-rs-sdk.
#
# In one run, cold `cargo build` (debug) of three standalone apps under bench/build-cost/, each
# with its own fresh CARGO_TARGET_DIR in a temp dir (dependencies are fetched first, so the
# builds measure compiling, not downloading):
#
#   one-area      our crates, `default-features = false, features = ["rustls-tls", "users"]`
#   all-areas     the same program, features = ["rustls-tls", "full"] (every API area)
#   graph-rs-app  the same program on graph-rs-sdk 3.0.1 from crates.io
#
# For each: wall time, peak memory of the whole build (RSS summed over all its processes,
# sampled every 0.2 s: what the machine must have), the largest single process (`/usr/bin/time
# -v` maximum RSS, in practice the biggest rustc), and the number of crates compiled. Then the
# ratios against graph-rs-app (targets: one-area <= 0.6, all-areas <= 1.0).
#
# Usage: scripts/build-cost.sh
# Environment: BUILD_COST_TMP (work dir, default a new mktemp dir, removed unless kept with
#              BUILD_COST_KEEP=1), BUILD_COST_ONLY (e.g. "one-area graph-rs-app"),
#              CARGO_BUILD_JOBS (as for cargo; default: all cores), CARGO_INCREMENTAL (as
#              for cargo: 0 builds our path crates as they would build from crates.io).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APPS=${BUILD_COST_ONLY:-"one-area all-areas graph-rs-app"}
WORK=${BUILD_COST_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/build-cost.XXXXXX")}
mkdir -p "$WORK"
unset RUSTC_WRAPPER CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR || true
cleanup() {
    if [[ "${BUILD_COST_KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

have_time=0
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    have_time=1
else
    echo "note: /usr/bin/time -v not available (apt-get install time); largest-process RSS not measured" >&2
fi

echo "== build cost: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(rustc -V), $(cargo -V)"
echo "== work dir: $WORK"
echo "== incremental: ${CARGO_INCREMENTAL:-the cargo default (on for path dependencies, so for our crates here; off for crates.io dependencies)}"

# 1. Downloads first, so that the timed builds are offline.
echo "== cargo fetch"
(cd "$ROOT" && cargo fetch --quiet)
for app in $APPS; do
    cargo fetch --quiet --manifest-path "$ROOT/bench/build-cost/$app/Cargo.toml"
done

# Sum of RSS (kB) over a process and all its descendants.
tree_rss_kb() {
    ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
        { ppid[$1] = $2; rss[$1] = $3 }
        END {
            total = 0
            for (p in rss) {
                q = p
                for (depth = 0; depth < 64 && q != "" && q != 0; depth++) {
                    if (q == root) { total += rss[p]; break }
                    q = ppid[q]
                }
            }
            print total
        }'
}

declare -A WALL PEAK MAXPROC CRATES
FAILED=""
measure() {
    local app=$1
    local manifest="$ROOT/bench/build-cost/$app/Cargo.toml"
    local target="$WORK/target-$app"
    local log="$WORK/$app.log"
    rm -rf "$target"
    echo "== $app: cold cargo build (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
    local start end pid peak=0 now
    start=$(date +%s.%N)
    if [[ $have_time == 1 ]]; then
        CARGO_TARGET_DIR="$target" /usr/bin/time -v -o "$WORK/$app.time" \
            cargo build --offline --timings --manifest-path "$manifest" >"$log" 2>&1 &
    else
        CARGO_TARGET_DIR="$target" cargo build --offline --timings --manifest-path "$manifest" >"$log" 2>&1 &
    fi
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        now=$(tree_rss_kb "$pid")
        ((now > peak)) && peak=$now
        sleep 0.2
    done
    if ! wait "$pid"; then
        echo "   build of $app FAILED (its figures are left out):" >&2
        grep -E '^error' -A4 "$log" | head -20 >&2
        FAILED="$FAILED $app"
        return 0
    fi
    end=$(date +%s.%N)
    WALL[$app]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    PEAK[$app]=$(awk -v k="$peak" 'BEGIN { printf "%.0f", k / 1024 }')
    if [[ $have_time == 1 ]]; then
        MAXPROC[$app]=$(awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/$app.time")
    else
        MAXPROC[$app]="n/a"
    fi
    CRATES[$app]=$(grep -c '^ *Compiling ' "$log" || true)
    echo "   ${WALL[$app]} s, peak ${PEAK[$app]} MB (largest process ${MAXPROC[$app]} MB), ${CRATES[$app]} crates"
    slowest_units "$target/cargo-timings/cargo-timing.html"
}

# The slowest compilation units of a build, from cargo's --timings report (needs python3).
slowest_units() {
    [[ -f "$1" ]] && command -v python3 >/dev/null || return 0
    python3 - "$1" <<'PY' || true
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
if m:
    units = sorted(json.loads(m.group(1)), key=lambda u: -u["duration"])[:8]
    print("   slowest units: " + ", ".join(f"{u['name']} {u['duration']:.1f}s" for u in units))
PY
}

for app in $APPS; do
    measure "$app"
done

ratio() { # ratio A B of a figure array
    local -n arr=$1
    if [[ -n "${arr[$2]:-}" && -n "${arr[$3]:-}" && "${arr[$3]}" != "n/a" && "${arr[$2]}" != "n/a" ]]; then
        awk -v a="${arr[$2]}" -v b="${arr[$3]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
    else
        echo "n/a"
    fi
}

echo
echo "| build (cold, debug) | wall s | peak MB (all processes) | largest process MB | crates compiled |"
echo "|---|---:|---:|---:|---:|"
for app in $APPS; do
    if [[ -n "${WALL[$app]:-}" ]]; then
        echo "| $app | ${WALL[$app]} | ${PEAK[$app]} | ${MAXPROC[$app]} | ${CRATES[$app]} |"
    else
        echo "| $app | failed | | | |"
    fi
done
if [[ -n "${WALL[graph-rs-app]:-}" ]]; then
    echo
    echo "| ratio to graph-rs-app | wall | peak (all processes) | largest process | target |"
    echo "|---|---:|---:|---:|---|"
    for app in one-area all-areas; do
        [[ -n "${WALL[$app]:-}" ]] || continue
        target="<= 1.0"
        [[ $app == one-area ]] && target="<= 0.6"
        echo "| $app / graph-rs-app | $(ratio WALL "$app" graph-rs-app) | $(ratio PEAK "$app" graph-rs-app) | $(ratio MAXPROC "$app" graph-rs-app) | $target |"
    done
fi
if [[ -n "$FAILED" ]]; then
    echo
    echo "failed builds:$FAILED" >&2
    exit 1
fi
