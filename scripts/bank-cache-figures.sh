#!/bin/sh
# The figures of docs/performance.md, "Bank-dir cache": `--bank-dir BANK list` and
# `exam ID --seed 1` with `quit`, on the first run (a miss: parse, check, write the entry)
# and the second (a hit: hash the files, decode the entry), wall time and peak RSS, the
# median of RUNS fresh data folders each. Before: `cargo build --release`, and a bank, e.g.
# the 10,000-question one `cargo bench --bench check_throughput` writes.
#
# Usage: scripts/bank-cache-figures.sh [BANK] [RUNS]
#   BANK  default target/bench-data/synthetic     RUNS  default 5
#   PROCTOR=path/to/proctor to time another binary (default target/release/proctor)
set -eu
bin=${PROCTOR:-target/release/proctor}
bank=${1:-target/bench-data/synthetic}
runs=${2:-5}
[ -x "$bin" ] || { echo "no $bin: cargo build --release first" >&2; exit 2; }
[ -f "$bank/exam.toml" ] || { echo "no $bank/exam.toml: cargo bench --bench check_throughput writes one" >&2; exit 2; }
id=$(sed -n 's/^id *= *"\(.*\)"/\1/p' "$bank/exam.toml" | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo quit >"$work/quit"

# One timed run of "$@" with stdin from $2: appends "seconds KiB" to $work/$1.
timed() {
    name=$1
    input=$2
    shift 2
    /usr/bin/time -f "%e %M" -o "$work/one" "$@" <"$input" >/dev/null 2>"$work/err" || {
        cat "$work/err" >&2
        exit 1
    }
    cat "$work/one" >>"$work/$name"
}

for run in $(seq "$runs"); do
    # The data folder exists (the cache never creates it), empty: the first run is a miss.
    data="$work/list-$run" && mkdir -p "$data"
    timed list-miss /dev/null "$bin" --data-dir "$data" --bank-dir "$bank" list
    timed list-hit /dev/null "$bin" --data-dir "$data" --bank-dir "$bank" list
    data="$work/exam-$run" && mkdir -p "$data"
    timed exam-miss "$work/quit" "$bin" --data-dir "$data" --bank-dir "$bank" exam "$id" --seed 1
    timed exam-hit "$work/quit" "$bin" --data-dir "$data" --bank-dir "$bank" exam "$id" --seed 1
done

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
files=$(find "$bank" -name '*.toml' | wc -l)
bytes=$(cat "$bank"/*.toml "$bank"/*/*.toml 2>/dev/null | wc -c)
entry=$(find "$work/list-1/bank-cache" -name '*.bank' -exec cat {} + | wc -c)
echo "bank: $bank ($files files, $bytes bytes); cache entry: $entry bytes; $runs runs each; $(uptime)"
printf '%-10s %10s %12s\n' what "wall (s)" "peak RSS (KiB)"
for name in list-miss list-hit exam-miss exam-hit; do
    wall=$(cut -d' ' -f1 "$work/$name" | median)
    rss=$(cut -d' ' -f2 "$work/$name" | median)
    printf '%-10s %10s %12s\n' "$name" "$wall" "$rss"
done
