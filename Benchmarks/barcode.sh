#!/usr/bin/env bash
# Measures reading the receipt QR code in the top-left corner of an A0 map scanned at 600 dpi
# (19,866 × 28,087 px, RGB, LZW strips) with `hoso barcodes`, beside zbar's own `zbarimg` in one run:
# zbarimg on the same corner (saved by `hoso barcodes --save-corners`: the decoder alone) and on the
# whole page (what a watcher without a corner would pay).
#
#   Benchmarks/barcode.sh [WORKDIR]        (default /tmp/hoso-bench; the A0 input is kept and reused)
#
# Needs: a release build, /usr/bin/time (Debian `time`), zbarimg (Debian zbar-tools), zint.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/hoso-bench}
mkdir -p "$work/in" "$work/corners"
hoso=.build/release/hoso
samples=.build/release/hoso-samples
[[ -x $hoso && -x $samples ]] || swift build -c release >/dev/null
map="$work/in/a0-600-rgb-lzw-qr.tif"
payload="MaHS:000.00.14.H27-240815-0007;MaTTHC:1.001193"
[[ -s $map ]] || "$samples" large a0-rgb-lzw --dpi 600 --qr "$payload" --out "$map" >/dev/null

# run LABEL -- COMMAND...: prints "| label | wall s | peak RSS MB | found |"
run() {
    local label=$1; shift 2
    local status=0
    /usr/bin/time -o "$work/time.txt" -f '%e %M' timeout 600 "$@" >"$work/out.txt" 2>"$work/stderr.txt" || status=$?
    local wall rss
    read -r wall rss < <(tail -1 "$work/time.txt")
    local found="no"
    grep -q "000.00.14.H27-240815-0007" "$work/out.txt" && found="yes"
    [[ $status -ne 0 ]] && found="failed (exit $status): $(grep -v '^Command' "$work/stderr.txt" | head -1 | cut -c1-50)"
    printf '| %s | %.2f | %.0f | %s |\n' "$label" "$wall" "$(echo "$rss / 1024" | bc -l)" "$found"
}

"$hoso" barcodes "$map" --save-corners "$work/corners" >/dev/null
echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); A0 600 dpi RGB LZW, $(du -h "$map" | cut -f1)"
echo
echo "| reader | wall s | peak RSS MB | QR found |"
echo "|---|---|---|---|"
run "hoso barcodes (corner 120 × 100 mm at 200 dpi, own process)" -- "$hoso" barcodes "$map"
run "zbarimg on the same corner (PGM, 944 × 787)" -- zbarimg -q "$work/corners/page-1.pgm"
run "zbarimg on the whole page" -- zbarimg -q "$map"
