#!/usr/bin/env bash
# Benchmarks/api.sh three times in one run, on the storage a province's nodes share and on the embedded
# default beside it: SQLite + a blob folder (the anchor), PostgreSQL + a blob folder (the gate's and the
# catalog's cost), PostgreSQL + an S3 bucket (the attach's whole path). PostgreSQL and SeaweedFS are the
# test servers (scripts/test-servers start), on the same two cores; a database and a bucket of their own.
#
#   Benchmarks/shared-storage.sh [SECONDS]
#
# Needs: what api.sh needs, and the test servers running.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
source Benchmarks/test-servers.sh   # HOSO_TEST_*, the S3 key pair exported, pg
catalog=postgres://hoso@127.0.0.1:$HOSO_TEST_PGPORT
s3=$HOSO_TEST_S3_ENDPOINT
curl -s -o /dev/null "$s3/" || { echo "shared-storage.sh: SeaweedFS is not at $s3: scripts/test-servers start" >&2; exit 1; }
run() {  # label, catalog database, blobs URL
    local label=$1 database=$2 blobs=$3
    echo "### $label"
    echo
    if [[ -n $database ]]; then
        dropdb --if-exists "${pg[@]}" "$database"
        createdb "${pg[@]}" "$database"
        env HOSO_CATALOG_URL="$catalog/$database?sslmode=disable" ${blobs:+HOSO_BLOBS_URL=$blobs} Benchmarks/api.sh "$seconds"
    else
        Benchmarks/api.sh "$seconds"
    fi
    echo
}
run "SQLite + blob folder (the embedded default)" "" ""
run "PostgreSQL + blob folder" hoso_bench_pg ""
run "PostgreSQL + S3 (SeaweedFS)" hoso_bench_s3 "s3://hoso-bench-$(date +%s)?endpoint=$s3&region=us-east-1"
