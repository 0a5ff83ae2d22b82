#!/usr/bin/env bash
# /healthz latency of `hoso serve` while it works: one A0 300 dpi LZW scan uploaded and normalized, and
# 50 signed ~1 MB results attached (each verified) by 4 clients at once, with wrk on /healthz throughout
# (2 connections). The anchor, in the same run: the same wrk on the same server idle.
#
#   Benchmarks/health.sh [WORKDIR]     (default /tmp/hoso-health-bench)
#
# Needs: a release build, wrk (Debian), openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/hoso-health-bench}
source Benchmarks/signed-results.sh   # $hoso, $samples, wrk checked; signed_results
rm -rf "$work"
case=000.00.14.H27-240815-0008
signed_results "$work" 50 $case
"$samples" large a0-rgb-lzw --dpi 300 --out "$work/a0.tif" >/dev/null

start_server "$work" admin
register $case

health() {  # label, seconds: "| label | requests | p50 | p99 | max |"
    wrk -t1 -c2 -d"$2s" --latency "$base/healthz" >"$work/wrk.txt" 2>&1
    local count p50 p99 max
    count=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
    max=$(awk '$1 == "Latency" {print $4}' "$work/wrk.txt")
    printf '| %s | %s | %s | %s | %s |\n' "$1" "$count" "$p50" "$p99" "$max"
}

echo "| /healthz, wrk 2 connections | requests | p50 | p99 | max |"
echo "|---|---|---|---|---|"
health "idle server (anchor)" 10
# The load: the A0 upload, and 50 attaches by 4 clients.
start=$(date +%s.%N)
curl -s -o "$work/upload.json" -w '%{http_code}' -X POST "$base/v1/cases/$case/documents?fileName=a0.tif" \
    -H "Authorization: Bearer $HOSO_TOKEN" -H 'Content-Type: application/octet-stream' --data-binary @"$work/a0.tif" >"$work/upload.status" &
upload=$!
ls "$work"/signed/*_kq-*.pdf | xargs -P 4 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST "$base/v1/cases/$case/results" \
    -H "Authorization: Bearer $HOSO_TOKEN" -H 'Content-Type: application/pdf' --data-binary @{} >"$work/attach.status" &
attaches=$!
health "while normalizing an A0 upload and verifying 50 attaches" 10
wait $upload $attaches
end=$(date +%s.%N)
echo
echo "load: upload HTTP $(cat "$work/upload.status"), attaches $(sort "$work/attach.status" | uniq -c | tr '\n' ' ')— done after $(echo "$end - $start" | bc) s"
