#!/usr/bin/env bash
# Ingest on shared storage with one node and with two: N one-page A4 G4 scans (300 dpi) dropped at once
# into one polled station inbox that both nodes see (as an SMB share would be), a `hoso watch` node
# pinned to a core of its own (taskset), the catalog on PostgreSQL and the blobs in an S3 bucket (the
# test servers: scripts/test-servers start, free to use either core). One node holds the station's lock
# and queues the files; every node's workers claim them. Measured: files/s from the drop to the last
# document stored (and from the first document stored to the last), the nodes' CPU per file (their parser workers included), each node's share of it, and
# the shared servers' CPU per file (PostgreSQL's backends, SeaweedFS).
# The anchor, in the same run: tiff2pdf (libtiff-tools) over the same files on one core.
#
#   Benchmarks/nodes.sh [N] [WORKERS]        (defaults 400 files, 2 workers per node)
#
# Needs: the test servers running, a release build, tiff2pdf, taskset (util-linux), psql.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-400}
workers=${2:-2}
hoso=${HOSO:-$PWD/.build/release/hoso}
samples=${SAMPLES:-$PWD/.build/release/hoso-samples}
[[ -x $hoso && -x $samples ]] || swift build -c release >/dev/null
source Benchmarks/test-servers.sh   # HOSO_TEST_*, the S3 key pair exported, pg
work=$(mktemp -d /tmp/hoso-nodes-bench.XXXXXX)
hz=$(getconf CLK_TCK)

mkdir -p "$work/source"
for i in $(seq 1 "$count"); do
    "$samples" large g4-batch --pages 1 --dpi 300 --out "$work/source/$(printf '000.00.14.H27-240815-%04d' "$i")_Don.tif" >/dev/null
done

source Benchmarks/process-cpu.sh
# The shared servers' CPU ticks: PostgreSQL's postmaster with its backends, and SeaweedFS.
servers() {
    echo $(( $(ticks "$(head -1 "$(cat .build/test-servers/postgres.dir)/cluster/postmaster.pid")") + $(ticks "$(cat .build/test-servers/seaweedfs.pid)") ))
}

# One run with `nodes` nodes, node k on core k-1; prints the table's row.
run() {
    local nodes=$1 database=hoso_bench_nodes_$1 bucket=hoso-bench-nodes-$1-$(date +%s) k
    dropdb --if-exists "${pg[@]}" "$database" 2>/dev/null; createdb "${pg[@]}" "$database"
    rm -rf "$work/inbox" "$work"/node-*; mkdir -p "$work/inbox"
    export HOSO_CATALOG_URL="postgres://hoso@127.0.0.1:$HOSO_TEST_PGPORT/$database?sslmode=disable"
    export HOSO_BLOBS_URL="s3://$bucket?endpoint=$HOSO_TEST_S3_ENDPOINT&region=us-east-1"
    local pids=()
    for k in $(seq 1 "$nodes"); do
        mkdir -p "$work/node-$k"
        cat > "$work/node-$k/hoso.yaml" <<YAML
data: $work/node-$k/var
node:
  id: node-$k
stations:
  - id: bench
    inbox: $work/inbox
    mode: poll
    poll_interval: 1
    stability_window: 1
YAML
        "$hoso" init --config "$work/node-$k/hoso.yaml" >/dev/null
        taskset -c $(( k - 1 )) "$hoso" watch --config "$work/node-$k/hoso.yaml" --workers "$workers" >"$work/node-$k/watch.log" 2>&1 &
        pids+=($!)
    done
    sleep 3
    local before=() start end stored servers_before
    for k in $(seq 1 "$nodes"); do before+=("$(ticks "${pids[k-1]}")"); done
    servers_before=$(servers)
    start=$(date +%s.%N)
    cp "$work"/source/*.tif "$work/inbox/"
    while :; do
        stored=$(psql "${pg[@]}" -At -c "SELECT COUNT(*) FROM documents" "$database" 2>/dev/null || echo 0)
        [[ $stored -ge $count ]] && break
        sleep 0.2
    done
    end=$(date +%s.%N)
    local cpu=() total=0 servers_used=$(( $(servers) - servers_before ))
    for k in $(seq 1 "$nodes"); do
        cpu+=("$(( $(ticks "${pids[k-1]}") - ${before[k-1]} ))")
        total=$(( total + cpu[k-1] ))
        kill -TERM "${pids[k-1]}"
    done
    wait "${pids[@]}" 2>/dev/null || true
    local seconds share="" span; seconds=$(echo "$end - $start" | bc -l)
    # From the first document stored to the last: the rate once the poll and the stability window are past.
    span=$(psql "${pg[@]}" -At -c "SELECT EXTRACT(EPOCH FROM MAX(stored_at::timestamptz) - MIN(stored_at::timestamptz)) FROM documents" "$database")
    for k in $(seq 1 "$nodes"); do
        share+=$(printf 'node-%d %.0f %%, ' "$k" "$(echo "100 * ${cpu[k-1]} / $total" | bc -l)")
    done
    printf '| %d node(s), %d workers each, one core each | %d | %.1f | %.1f | %.1f | %.1f ms | %s | %.1f ms |\n' "$nodes" "$workers" "$count" \
        "$seconds" "$(echo "$count / $seconds" | bc -l)" "$(echo "($count - 1) / $span" | bc -l)" "$(echo "$total * 1000 / $hz / $count" | bc -l)" "${share%, }" \
        "$(echo "$servers_used * 1000 / $hz / $count" | bc -l)"
    dropdb "${pg[@]}" "$database"
}

echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); $count scans; PostgreSQL (fsync off) and SeaweedFS on the same cores"
echo
echo "| run | files | drop → all stored, s | files/s | files/s, first → last stored | node CPU per file | each node's share | PostgreSQL + SeaweedFS CPU per file |"
echo "|---|---|---|---|---|---|---|---|"
mkdir -p "$work/anchor"
anchor_start=$(date +%s.%N)
for file in "$work"/source/*.tif; do taskset -c 0 tiff2pdf -o "$work/anchor/$(basename "$file").pdf" "$file"; done
anchor=$(echo "$(date +%s.%N) - $anchor_start" | bc -l)
printf '| anchor: tiff2pdf of each file, one core | %d | %.1f | %.1f | | | | |\n' "$count" "$anchor" "$(echo "$count / $anchor" | bc -l)"
run 1
run 2
rm -rf "$work"
