# Sourced by the benchmarks that run on the test servers (scripts/test-servers start): loads where they are
# from .build/test-servers/env, exports their S3 key pair as HoSo reads it (HOSO_S3_ACCESS_KEY_ID,
# HOSO_S3_SECRET_ACCESS_KEY), and sets `pg`, psql's and pgbench's arguments for their PostgreSQL.
[[ -f .build/test-servers/env ]] || { echo "$(basename "$0"): the test servers are not running: scripts/test-servers start" >&2; exit 1; }
. .build/test-servers/env
export HOSO_S3_ACCESS_KEY_ID=$HOSO_TEST_S3_ACCESS_KEY_ID HOSO_S3_SECRET_ACCESS_KEY=$HOSO_TEST_S3_SECRET_ACCESS_KEY
pg=(-h 127.0.0.1 -p "$HOSO_TEST_PGPORT" -U hoso)
