#!/usr/bin/env bash
# The ingest queue on PostgreSQL: HoSo queuing and claiming JOBS jobs (`hoso-bench claims`, CONCURRENCY at
# once, as workers on several nodes would), beside pgbench running HoSo's claim statement in the same
# kind of transaction (BEGIN; UPDATE … FOR UPDATE SKIP LOCKED … RETURNING *; COMMIT) with the same number
# of clients on the same table, re-queued, in the same run. The server is the test servers' PostgreSQL
# (scripts/test-servers start: fsync off), on the same two cores.
#
#   Benchmarks/queue.sh [JOBS] [CONCURRENCY]      (defaults 5000, 4)
#
# Needs: the test servers running, pgbench (Debian postgresql-15), a release build of hoso-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-5000}
concurrency=${2:-4}
bench=${HOSO_BENCH:-$PWD/.build/release/hoso-bench}
[[ -x $bench ]] || swift build -c release --product hoso-bench >/dev/null
source Benchmarks/test-servers.sh   # HOSO_TEST_*, pg
database=hoso_bench_queue
dropdb --if-exists "${pg[@]}" "$database" 2>/dev/null
createdb "${pg[@]}" "$database"
work=$(mktemp -d /tmp/hoso-queue-bench.XXXXXX)

echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); PostgreSQL $(psql "${pg[@]}" -At -c 'SHOW server_version' postgres) on loopback (fsync off)"
echo
echo "| what | at once | jobs | seconds | per second |"
echo "|---|---|---|---|---|"
"$bench" claims --catalog "postgres://hoso@127.0.0.1:$HOSO_TEST_PGPORT/$database?sslmode=disable" --jobs "$jobs" --concurrency "$concurrency"

# The same jobs back in the queue, and HoSo's claim statement as pgbench runs it (extended protocol, as
# postgres-nio sends it).
psql "${pg[@]}" -q -c "UPDATE ingest_jobs SET state = 'pending', claimed_by = NULL, lease_expiry = NULL" "$database"
cat > "$work/claim.sql" <<'SQL'
BEGIN;
UPDATE ingest_jobs SET state = 'running', claimed_by = 'pgbench', lease_expiry = '2099-01-01T00:00:00.000Z',
    attempts = attempts + 1, updated_at = '2026-12-03T00:00:00.000Z'
WHERE id = (SELECT id FROM ingest_jobs WHERE state = 'pending' OR (state = 'running' AND lease_expiry < '2026-12-03T00:00:00.000Z')
            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING *;
COMMIT;
SQL
pgbench "${pg[@]}" -n -M extended -c "$concurrency" -j 2 -t $(( jobs / concurrency )) -f "$work/claim.sql" "$database" > "$work/pgbench.txt" 2>&1
tps=$(awk '/^tps/ {print $3; exit}' "$work/pgbench.txt")
seconds=$(echo "$jobs / $tps" | bc -l)
printf '| anchor: pgbench, the same claim statement and transaction | %s | %s | %.2f | %.0f |\n' "$concurrency" "$jobs" "$seconds" "$tps"
left=$(psql "${pg[@]}" -At -c "SELECT COUNT(*) FROM ingest_jobs WHERE state = 'pending'" "$database")
echo "  check: pgbench left $left of $jobs jobs unclaimed" >&2
dropdb "${pg[@]}" "$database"
rm -rf "$work"
