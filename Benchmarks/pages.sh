#!/usr/bin/env bash
# The web pages over a big catalog: 100,000 cases with 300,000 documents (Benchmarks/catalog-generator.py),
# each page hit by wrk (one thread, two connections, 10 s) with a signed-in session: the case list, a case
# page, a search, the overview and the reports; the anchor in the same run is /healthz on the same server.
# Target: p99 ≤ 50 ms for the case list, a case page and the overview.
#
#   Benchmarks/pages.sh [WORKDIR] [CASES]     (default /tmp/hoso-pages-bench, 100000)
#
# Needs: a release build, wrk, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/hoso-pages-bench}
count=${2:-100000}
hoso=${HOSO:-$PWD/.build/release/hoso}
command -v wrk >/dev/null || { echo "pages.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
"$hoso" init --data "$work/data" >/dev/null
start=$(date +%s.%N)
python3 Benchmarks/catalog-generator.py "$work/data/catalog.sqlite" "$count"
echo "generated in $(echo "$(date +%s.%N) - $start" | bc) s"
echo "mật khẩu đủ dài 2026" > "$work/pw"
"$hoso" users add lan --role admin --password-file "$work/pw" --data "$work/data" >/dev/null
port=$((20000 + RANDOM % 20000))
HOSO_SERVER_PORT=$port "$hoso" serve --data "$work/data" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
jar=$work/jar
token=$(curl -s -c "$jar" -b "$jar" "$base/ui/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$token" --data-urlencode "username=lan" \
    --data-urlencode "password=$(cat "$work/pw")" "$base/ui/login"
session=$(awk '$6 == "hoso_session" {print $7}' "$jar")
[[ -n "$session" ]] || { echo "pages.sh: could not sign in" >&2; exit 1; }
case=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT id FROM cases ORDER BY created_at LIMIT 1 OFFSET ?', (int(sys.argv[2]) // 2,)).fetchone()[0])" "$work/data/catalog.sqlite" "$count")

page() {  # label, path: "| label | first request | requests | p50 | p99 | max |"
    curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Cookie: hoso_session=$session" "$base$2" >"$work/status"
    read -r status first <"$work/status" || true  # no newline after curl's -w
    [[ "$status" == 200 ]] || { echo "pages.sh: $2 answered $status" >&2; exit 1; }
    wrk -t1 -c2 -d10s --latency -H "Cookie: hoso_session=$session" "$base$2" >"$work/wrk.txt" 2>&1
    local count p50 p99 max
    count=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
    max=$(awk '$1 == "Latency" {print $4}' "$work/wrk.txt")
    printf '| %s | %.0f ms | %s | %s | %s | %s |\n' "$1" "$(echo "$first * 1000" | bc)" "$count" "$p50" "$p99" "$max"
}

echo "| page (wrk, 2 connections, 10 s) | first request (curl) | requests | p50 | p99 | max |"
echo "|---|---|---|---|---|---|"
page "/healthz (anchor)" /healthz
page "case list /ui/cases" /ui/cases
page "case list, page 2" "/ui/cases?cursor=$(curl -s -H "Cookie: hoso_session=$session" "$base/ui/cases" | sed -n 's/.*cursor=\([^"&]*\).*/\1/p' | head -1)"
page "a case /ui/cases/{id}" "/ui/cases/$case"
page "search by name /ui/cases?q=Lan" "/ui/cases?q=Lan"
page "overview /ui/" /ui/
page "reports /ui/reports" /ui/reports
