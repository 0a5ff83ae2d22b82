#!/usr/bin/env bash
# HoSo's S3 client beside curl on the same objects, in one run: a file of each SIZE MB put and got three
# times by `hoso-bench s3` (the SHA-256 as signed payload hash and checksum; multipart, in 16 MB parts,
# above 64 MB; the get streamed to disk and hashed as it comes), then the same file put by
# `curl --aws-sigv4` (one PUT, its SHA-256 given) and HoSo's objects got by curl to a file (not hashed).
# The server is the test servers' SeaweedFS (`weed mini`, scripts/test-servers start), on the same two
# cores, its volumes on the same disk.
#
#   Benchmarks/s3.sh [SIZE_MB...]      (defaults 8 256)
#
# Needs: the test servers running, curl, a release build of hoso-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-8 256}"); read -r -a sizes <<< "${sizes[*]}"
bench=${HOSO_BENCH:-$PWD/.build/release/hoso-bench}
[[ -x $bench ]] || swift build -c release --product hoso-bench >/dev/null
source Benchmarks/test-servers.sh   # HOSO_TEST_*, the S3 key pair exported
bucket=hoso-bench-s3-$(date +%s)
auth=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$HOSO_S3_ACCESS_KEY_ID:$HOSO_S3_SECRET_ACCESS_KEY")
work=$(mktemp -d /tmp/hoso-s3-bench.XXXXXX)

echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); SeaweedFS $("$PWD/.build/python/bin/weed" version 2>/dev/null | awk '{print $3}') (weed mini) on loopback"
echo
echo "| what | MB | seconds | MB/s |"
echo "|---|---|---|---|"
for size in "${sizes[@]}"; do
    head -c $(( size << 20 )) /dev/urandom > "$work/file"
    "$bench" s3 --bucket "s3://$bucket?endpoint=$HOSO_TEST_S3_ENDPOINT&region=us-east-1" --file "$work/file" --prefix "$size/hoso-" --times 3
    sha=$(sha256sum "$work/file" | cut -d' ' -f1)
    for i in 1 2 3; do
        read -r code seconds < <(curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' "${auth[@]}" -H "x-amz-content-sha256: $sha" \
            -T "$work/file" "$HOSO_TEST_S3_ENDPOINT/$bucket/$size/curl-$i")
        [[ $code == 200 ]] || { echo "s3.sh: curl's PUT answered $code" >&2; exit 1; }
        printf '| anchor: curl PUT %s/curl-%s | %s | %.2f | %.0f |\n' "$size" "$i" "$size" "$seconds" "$(echo "$size / $seconds" | bc -l)"
    done
    for i in 1 2 3; do
        read -r code seconds < <(curl -sS -o "$work/got" -w '%{http_code} %{time_total}\n' "${auth[@]}" "$HOSO_TEST_S3_ENDPOINT/$bucket/$size/hoso-$i")
        [[ $code == 200 ]] && cmp -s "$work/file" "$work/got" || { echo "s3.sh: curl's GET of $size/hoso-$i answered $code or other bytes" >&2; exit 1; }
        printf '| anchor: curl GET %s/hoso-%s (to a file) | %s | %.2f | %.0f |\n' "$size" "$i" "$size" "$seconds" "$(echo "$size / $seconds" | bc -l)"
    done
done
rm -rf "$work"
