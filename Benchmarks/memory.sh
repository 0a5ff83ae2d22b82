#!/usr/bin/env bash
# Peak memory of `hoso normalize` on the inputs issue 15 bounds (≤ 128 MB each): an A0 map at 600 dpi as
# a baseline JPEG and as a PNG, and the 9000 × 9000 scanner PDF of the shared corpus. Anchors in the same
# run: img2pdf (PyPI) on the same JPEG and PNG, and poppler's pdftoppm drawing the PDF's thumbnail.
#
#   Benchmarks/memory.sh [WORKDIR]     (default /tmp/hoso-memory; inputs are kept there and reused)
#
# HOSO=path measures another hoso binary; SAMPLES=path takes the sample generator from another build.
# Needs: a release build, /usr/bin/time (Debian `time`), the venv `make test` makes (Pillow, img2pdf),
# poppler-utils, and ../shared/corpus beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/hoso-memory}
hoso=${HOSO:-$PWD/.build/release/hoso}
samples=${SAMPLES:-$PWD/.build/release/hoso-samples}
python=$PWD/.build/python/bin/python3
corpus=$PWD/../shared/corpus/scans
[[ -x $hoso && -x $samples ]] || swift build -c release >/dev/null
mkdir -p "$work/in" "$work/out"

# The A0 map at 600 dpi (19,866 × 28,087 px), then as a JPEG (quality 85, baseline) and a PNG by Pillow.
[[ -s $work/in/a0-600.tif ]] || "$samples" large a0-rgb-lzw --dpi 600 --out "$work/in/a0-600.tif" >/dev/null
for kind in jpg png; do
    [[ -s $work/in/a0-600.$kind ]] || "$python" - "$work/in/a0-600.tif" "$work/in/a0-600.$kind" <<'PY'
import sys
from PIL import Image
Image.MAX_IMAGE_PIXELS = None
image = Image.open(sys.argv[1]).convert("RGB")
if sys.argv[2].endswith(".jpg"):
    image.save(sys.argv[2], quality=85, dpi=(600, 600))
else:
    image.save(sys.argv[2], dpi=(600, 600), compress_level=1)
PY
done
cp -f "$corpus/omp__enormous.pdf" "$work/in/scanner-9000.pdf"

run() {  # label -- command...: prints "| label | wall s | peak RSS MB | result |"
    local label=$1; shift 2
    local status=0
    /usr/bin/time -o "$work/time.txt" -f '%e %M' "$@" >/dev/null 2>"$work/stderr.txt" || status=$?
    local wall rss
    read -r wall rss < <(tail -1 "$work/time.txt")
    local result="ok"
    [[ $status -eq 0 ]] || result="failed: $(grep -v '^Command' "$work/stderr.txt" | head -1 | cut -c1-80)"
    printf '| %s | %s | %d | %s |\n' "$label" "$wall" "$((rss / 1024))" "$result"
}

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%Y-%m-%dT%H:%MZ); hoso: $hoso"
echo
echo "| input · tool | wall s | peak RSS MB | result |"
echo "|---|---|---|---|"
for input in a0-600.jpg a0-600.png scanner-9000.pdf; do
    echo "| **$input** ($(du -h "$work/in/$input" | cut -f1)) | | | |"
    run "hoso normalize" -- "$hoso" normalize "$work/in/$input" -o "$work/out"
    case $input in
        *.pdf) run "pdftoppm -scale-to 512 (poppler's thumbnail)" -- pdftoppm -png -singlefile -scale-to 512 "$work/in/$input" "$work/out/poppler" ;;
        *) run "img2pdf --pillow-limit-break" -- "$PWD/.build/python/bin/img2pdf" --pillow-limit-break -o "$work/out/$input.img2pdf.pdf" "$work/in/$input" ;;
    esac
done
