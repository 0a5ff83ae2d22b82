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
hoso=${HOSO:-$PWD/.build/release/hoso}
samples=${SAMPLES:-$PWD/.build/release/hoso-samples}
[[ -x $hoso && -x $samples ]] || swift build -c release >/dev/null
command -v wrk >/dev/null || { echo "health.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
rm -rf "$work"
source Benchmarks/signed-results.sh
case=000.00.14.H27-240815-0008
signed_results "$work" 50 $case
"$samples" large a0-rgb-lzw --dpi 300 --out "$work/a0.tif" >/dev/null

data=$work/data
"$hoso" init --data "$data" >/dev/null
"$hoso" signers add --agency 000.00.14.H27 --cert "$work/pki/signer.pem" --data "$data" >/dev/null
token=$("$hoso" token create --role admin --name bench --data "$data")
port=$((20000 + RANDOM % 20000))
HOSO_SERVER_PORT=$port HOSO_TRUST_ANCHORS=$work/pki/anchors HOSO_TRUST_CRLS=$work/pki/crls "$hoso" serve --data "$data" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base=http://127.0.0.1:$port
curl -sf -X POST "$base/v1/cases" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"caseId\":\"$case\",\"procedureCode\":\"1.001193\",\"applicant\":{\"name\":\"Nguyễn Văn An\",\"idNumber\":\"001\"},\"receivedAt\":\"2024-08-15T08:30:00+07:00\",\"dueAt\":\"2024-08-29T17:00:00+07:00\"}" >/dev/null

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
    -H "Authorization: Bearer $token" -H 'Content-Type: application/octet-stream' --data-binary @"$work/a0.tif" >"$work/upload.status" &
upload=$!
ls "$work"/signed/*_kq-*.pdf | xargs -P 4 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST "$base/v1/cases/$case/results" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/pdf' --data-binary @{} >"$work/attach.status" &
attaches=$!
health "while normalizing an A0 upload and verifying 50 attaches" 10
wait $upload $attaches
end=$(date +%s.%N)
echo
echo "load: upload HTTP $(cat "$work/upload.status"), attaches $(sort "$work/attach.status" | uniq -c | tr '\n' ' ')— done after $(echo "$end - $start" | bc) s"
