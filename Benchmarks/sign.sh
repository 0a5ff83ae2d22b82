#!/usr/bin/env bash
# Signs N PDFs of about 400 KB with `hoso sign` (one process, PKCS#12 RSA-2048, PAdES B-B, both cores)
# and, in the same run, M of them with pyHanko (one Python process; it is too slow for all N).
#
#   Benchmarks/sign.sh [N] [M] [WORKDIR]       (defaults 1000, 100, /tmp/hoso-sign-bench)
#
# Needs: a release build, openssl, the venv `make test` makes (pyHanko).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
anchor=${2:-100}
work=${3:-/tmp/hoso-sign-bench}
hoso=$PWD/.build/release/hoso
samples=$PWD/.build/release/hoso-samples
python=$PWD/.build/python/bin/python3
[[ -x $hoso && -x $samples ]] || swift build -c release >/dev/null
rm -rf "$work" && mkdir -p "$work/in" "$work/out" "$work/pyhanko"
Tests/HoSoSignatureTests/Fixtures/make-pki.sh "$work/pki" >/dev/null
openssl pkcs12 -export -inkey "$work/pki/signer.key" -in "$work/pki/signer.pem" -certfile "$work/pki/inter.pem" \
    -passout pass:bench -out "$work/office.p12"
"$samples" large a4-colour-jpeg --dpi 150 --out "$work/form.tif" >/dev/null
"$hoso" normalize "$work/form.tif" -o "$work" >/dev/null
for i in $(seq -w 1 "$count"); do cp "$work/form.pdf" "$work/in/result-$i.pdf"; done
size=$(du -k "$work/form.pdf" | cut -f1)
sync

seconds() { local start=$1 end; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); PDFs of ${size} KB, PKCS#12 RSA-2048, PAdES B-B, SHA-256"
echo
echo "| signer | files | seconds | docs/s |"
echo "|---|---|---|---|"
start=$(date +%s.%N)
HOSO_PASS=bench "$hoso" sign --p12 "$work/office.p12" --pass-env HOSO_PASS --out "$work/out" --batch "$work/in" >"$work/hoso.txt" 2>&1
took=$(seconds "$start")
printf '| hoso sign (one process, manifest and one sync included) | %d | %.2f | %.0f |\n' "$count" "$took" "$(echo "$count / $took" | bc -l)"
tail -1 "$work/hoso.txt" >&2
start=$(date +%s.%N)
"$python" Benchmarks/pyhanko-sign.py "$work/pki/signer.key" "$work/pki/signer-chain.pem" "$work/pyhanko" $(ls "$work"/in/*.pdf | head -"$anchor")
took=$(seconds "$start")
printf '| pyHanko sign_pdf (one process) | %d | %.2f | %.0f |\n' "$anchor" "$took" "$(echo "$anchor / $took" | bc -l)"
echo "  check: $(pdfsig "$work/out/result-$(printf "%0${#count}d" 1).pdf" | grep -c 'Signature is Valid') valid (pdfsig, first HoSo output)" >&2
