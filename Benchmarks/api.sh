#!/usr/bin/env bash
# Load on `hoso serve` over loopback with wrk: the return gate (POST /v1/cases/{id}/return on a returned
# case), case reads (GET /v1/cases/{id}), and attaches of ~1 MB signed PDFs, each a different file
# (verified, stored, recorded). The anchor, in the same run: GET /healthz, the same HTTP stack with no
# catalog and no auth, the floor any endpoint of this server can reach.
#
#   Benchmarks/api.sh [SECONDS] [WORKDIR]     (defaults 10, /tmp/hoso-api-bench)
#
# On the embedded default (SQLite, a blob folder), or on what HOSO_CATALOG_URL and HOSO_BLOBS_URL (with
# HOSO_S3_ACCESS_KEY_ID / HOSO_S3_SECRET_ACCESS_KEY) name: Benchmarks/shared-storage.sh runs all three.
#
# Needs: a release build, wrk (Debian), openssl, pdfsig.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
work=${2:-/tmp/hoso-api-bench}
source Benchmarks/signed-results.sh   # $hoso, $samples, wrk checked; signed_results
rm -rf "$work"

# 3,000 ~1 MB results, each signed for its case by the office's seal, registered below as the agency's
# signer (what the return gate's rules ask of a result), and one for the case that is returned.
attaches=3000
returned=000.00.14.H27-240815-0007 attached=000.00.14.H27-240815-0008
signed_results "$work" $attaches $attached $returned
ls "$work"/signed/${attached}_kq-*.pdf > "$work/results.txt"
size=$(du -k "$work/signed/${attached}_kq-0001.pdf" | cut -f1)

start_server "$work" workflow
register $returned; register $attached
curl -sf -X POST "$base/v1/cases/$returned/results" -H "Authorization: Bearer $HOSO_TOKEN" -H 'Content-Type: application/pdf' \
    --data-binary @"$work/signed/${returned}_kq.pdf" >/dev/null
curl -sf -X POST "$base/v1/cases/$returned/return" -H "Authorization: Bearer $HOSO_TOKEN" >/dev/null

row() {  # label, connections, wrk args...: "| label | c | req/s | p50 | p99 | non-2xx |"
    local label=$1 connections=$2; shift 2
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" >"$work/wrk.txt" 2>&1
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
    errors=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
    printf '| %s | %s | %.0f | %s | %s | %s |\n' "$label" "$connections" "$rps" "$p50" "$p99" "${errors:-0}"
}
echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); wrk -t2 -d${seconds}s on loopback; results of ${size} KB (PAdES B-B, RSA-2048)"
echo "catalog: ${HOSO_CATALOG_URL:-sqlite (the embedded default)}; blobs: ${HOSO_BLOBS_URL:-file (the embedded default)}" | sed 's|//\([^:@/]*\):[^@]*@|//\1:…@|'
echo
echo "| request | connections | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
for connections in 8 2; do
    row "anchor: GET /healthz (no auth, no catalog)" $connections "$base/healthz"
    row "POST /v1/cases/{id}/return (the gate, returned case)" $connections -s Benchmarks/wrk/post.lua "$base/v1/cases/$returned/return"
    row "GET /v1/cases/{id} (case, documents, results)" $connections -s Benchmarks/wrk/get.lua "$base/v1/cases/$returned"
done
export HOSO_RESULTS=$work/results.txt
# wrk builds and sends each 1 MB body itself, on the same two cores: the server's own CPU time per
# attach (from /proc, its parser workers included) says what it costs apart from the load generator.
# The server's parser workers (its children, verifying the results) count with it.
source Benchmarks/process-cpu.sh
before=$(ticks "$server")
row "POST /v1/cases/{id}/results (a new ${size} KB signed PDF each)" 4 -s Benchmarks/wrk/attach.lua "$base/v1/cases/$attached/results"
used=$(( $(ticks "$server") - before ))
stored=$(curl -sf "$base/v1/cases/$attached/results" -H "Authorization: Bearer $HOSO_TOKEN" | grep -o '"resultCode"' | wc -l)
hz=$(getconf CLK_TCK)
printf '  server CPU: %.1f ms per attach (%d attaches, %.1f s of CPU): %.0f attaches/s on two cores of its own\n' \
    "$(echo "$used * 1000 / $hz / $stored" | bc -l)" "$stored" "$(echo "$used / $hz" | bc -l)" "$(echo "2 * $hz * $stored / $used" | bc -l)"
echo "  check: $stored results attached to $attached, each verified TOTAL_PASSED (pdfsig on one: $(pdfsig "$work/signed/${attached}_kq-0002.pdf" | grep -c 'Signature is Valid') valid)" >&2
