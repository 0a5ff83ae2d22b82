#!/usr/bin/env bash
# Measures `hoso normalize` beside tiff2pdf (libtiff-tools) and img2pdf (PyPI) on the same generated
# scans, in one run: wall time, peak RSS (GNU time) and output size. Prints a Markdown table.
#
#   Benchmarks/normalize.sh [WORKDIR]      (default /tmp/hoso-bench; inputs are kept there and reused)
#
# Needs: a release build (swift build -c release), /usr/bin/time (Debian `time`), tiff2pdf, img2pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/hoso-bench}
mkdir -p "$work/in" "$work/out"
hoso=.build/release/hoso
samples=.build/release/hoso-samples
[[ -x $hoso && -x $samples ]] || swift build -c release >/dev/null

make_input() {  # name, generator arguments...
    local name=$1; shift
    [[ -s "$work/in/$name" ]] || "$samples" large "$@" --out "$work/in/$name" >/dev/null
}
make_input a4-colour-jpeg.tif a4-colour-jpeg --dpi 300
make_input a1-gray-jpeg.tif a1-gray-jpeg --dpi 300
make_input a0-300-rgb-lzw.tif a0-rgb-lzw --dpi 300
make_input a0-600-rgb-deflate-tiled.tif bigtiff-tiled --dpi 600
mkdir -p "$work/in/g4"
for i in $(seq -w 1 100); do
    [[ -s "$work/in/g4/batch-$i.tif" ]] || "$samples" large g4-batch --pages 10 --dpi 300 --out "$work/in/g4/batch-$i.tif" >/dev/null
done

# run LABEL OUTPUT -- COMMAND...: prints "| label | wall s | peak RSS MB | output MB | result |"
run() {
    local label=$1 output=$2; shift 3
    rm -rf "$output"
    local stats="$work/time.txt" status=0
    /usr/bin/time -o "$stats" -f '%e %M' "$@" >/dev/null 2>"$work/stderr.txt" || status=$?
    local wall rss
    read -r wall rss < <(tail -1 "$stats")
    local size=0
    if [[ -e $output ]]; then size=$(du -sb "$output" | cut -f1); fi
    local result="ok"
    if [[ $status -ne 0 ]]; then result="failed: $(grep -v '^Command' "$work/stderr.txt" | head -1 | cut -c1-60)"; fi
    printf '| %s | %s | %d | %.1f | %s |\n' "$label" "$wall" "$((rss / 1024))" "$(echo "$size / 1048576" | bc -l)" "$result"
}

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%Y-%m-%dT%H:%MZ)"
echo "hoso $($hoso --version); libtiff-tools $(dpkg-query -W -f='${Version}' libtiff-tools); img2pdf $(img2pdf --version | awk '{print $2}')"
echo
echo "| case · tool | wall s | peak RSS MB | output MB | result |"
echo "|---|---|---|---|---|"
for case in a4-colour-jpeg a1-gray-jpeg a0-300-rgb-lzw a0-600-rgb-deflate-tiled; do
    input="$work/in/$case.tif"
    echo "| **$case** ($(du -h "$input" | cut -f1) in) | | | | |"
    run "hoso normalize" "$work/out/$case.pdf" -- $hoso normalize "$input" -o "$work/out"
    run "tiff2pdf -z -m 0" "$work/out/$case.tiff2pdf.pdf" -- tiff2pdf -z -m 0 -o "$work/out/$case.tiff2pdf.pdf" "$input"
    run "tiff2pdf (default limits)" "$work/out/$case.tiff2pdf-default.pdf" -- tiff2pdf -o "$work/out/$case.tiff2pdf-default.pdf" "$input"
    run "img2pdf" "$work/out/$case.img2pdf.pdf" -- img2pdf -o "$work/out/$case.img2pdf.pdf" "$input"
done

echo "| **g4 batch** (100 files × 10 A4 pages, 300 dpi) | | | | |"
run "hoso normalize (one process)" "$work/out/g4-hoso" -- $hoso normalize "$work"/in/g4/*.tif -o "$work/out/g4-hoso"
mkdir -p "$work/out/g4-tiff2pdf"
run "tiff2pdf (one process per file)" "$work/out/g4-tiff2pdf" -- bash -c \
    "mkdir -p '$work/out/g4-tiff2pdf' && for f in '$work'/in/g4/*.tif; do tiff2pdf -o '$work/out/g4-tiff2pdf/'\$(basename \$f .tif).pdf \$f; done"
run "img2pdf (one process per file)" "$work/out/g4-img2pdf" -- bash -c \
    "mkdir -p '$work/out/g4-img2pdf' && for f in '$work'/in/g4/*.tif; do img2pdf -o '$work/out/g4-img2pdf/'\$(basename \$f .tif).pdf \$f; done"
