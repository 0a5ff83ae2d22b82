#!/usr/bin/env bash
# Drops N one-page A4 G4 scans (300 dpi) into a watched inbox at once and measures how fast `hoso watch`
# takes them: files/s from the first drop to the last document stored, and per-file latency from the
# file becoming stable (`document_received`) and from its drop (file mtime) to `document_stored`.
#
#   Benchmarks/watch.sh [N] [WORKERS]        (defaults 1000 files, 1 worker)
#
# Needs a release build and sqlite3. The anchors, measured in the same run: `cp` of the same files into a
# folder (the floor any watcher stands on) and the disk's fsync latency (dd conv=fsync).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
workers=${2:-1}
work=$(mktemp -d /tmp/hoso-watch-bench.XXXXXX)
hoso=$PWD/.build/release/hoso
samples=$PWD/.build/release/hoso-samples
[[ -x $hoso && -x $samples ]] || swift build -c release >/dev/null

mkdir -p "$work/source" "$work/inbox"
for i in $(seq 1 "$count"); do
    id=$(printf '000.00.14.H27-240815-%04d' "$i")
    "$samples" large g4-batch --pages 1 --dpi 300 --out "$work/source/${id}_Don.tif" >/dev/null
done
cat > "$work/hoso.yaml" <<YAML
data: $work/var
stations:
  - id: bench
    inbox: $work/inbox
    mode: inotify
    stability_window: 1
    poll_interval: 2
YAML
"$hoso" init --config "$work/hoso.yaml" >/dev/null

cp_start=$(date +%s.%N)
cp -r "$work/source" "$work/cp-anchor"
cp_seconds=$(echo "$(date +%s.%N) - $cp_start" | bc -l)
# The disk's state in this run: 200 small files written and fsynced one after another (each ingest
# fsyncs six times; on a shared virtual disk this swings several-fold from run to run).
mkdir -p "$work/fsync-anchor"
sync_start=$(date +%s.%N)
for i in $(seq 1 200); do dd if=/dev/zero of="$work/fsync-anchor/$i" bs=30k count=1 conv=fsync status=none; done
sync_ms=$(echo "($(date +%s.%N) - $sync_start) * 1000 / 200" | bc -l)

"$hoso" watch --config "$work/hoso.yaml" --workers "$workers" >/dev/null 2>&1 &
watcher=$!
sleep 1
start=$(date +%s.%N)
cp "$work"/source/*.tif "$work/inbox/"
while :; do
    stored=$(sqlite3 "$work/var/catalog.sqlite" "SELECT COUNT(*) FROM documents" 2>/dev/null || echo 0)
    [[ $stored -ge $count ]] && break
    sleep 0.2
done
end=$(date +%s.%N)
kill -TERM $watcher; wait $watcher || true

seconds=$(echo "$end - $start" | bc -l)
# Latency per file: stable → stored, and stored minus the drop time (the batch's start).
sqlite3 "$work/var/catalog.sqlite" "
  SELECT (julianday(s.time) - julianday(r.time)) * 86400.0 FROM events r
  JOIN events s ON s.case_id = r.case_id AND s.kind = 'document_stored'
  WHERE r.kind = 'document_received' ORDER BY 1" > "$work/stable-to-stored.txt"
sqlite3 "$work/var/catalog.sqlite" "SELECT time FROM events WHERE kind = 'document_stored' ORDER BY time" > "$work/stored-times.txt"
percentile() { sort -g "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int(NR*p); if (i<1) i=1; printf "%.2f", a[i]}'; }
echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); $count files, $workers worker(s), stability window 1 s"
echo
echo "| measure | value |"
echo "|---|---|"
printf '| drop → all %d stored | %.1f s (%.0f files/s) |\n' "$count" "$seconds" "$(echo "$count / $seconds" | bc -l)"
printf '| stable → stored, p50 / p99 | %s s / %s s |\n' "$(percentile "$work/stable-to-stored.txt" 0.5)" "$(percentile "$work/stable-to-stored.txt" 0.99)"
printf '| anchor: cp of the same %d files | %.2f s |\n' "$count" "$cp_seconds"
printf '| anchor: write + fsync of a 30 KB file (dd, mean of 200) | %.1f ms |\n' "$sync_ms"
rm -rf "$work"
