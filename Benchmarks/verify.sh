#!/usr/bin/env bash
# Verifies N signed PDFs of about 400 KB with `hoso verify` (one process, both cores), poppler's pdfsig
# (one process per file, as it takes one file) and pyHanko's validator (one process), in one run.
# The PDFs are copies of one signed file under different names: verification costs the same per copy.
#
#   Benchmarks/verify.sh [N] [WORKDIR]       (defaults 1000, /tmp/hoso-verify-bench)
#
# SIGNATURES=2 signs each file twice (pyHanko, second field), so every first signature has a later
# revision whose changes are judged; HOSO=path measures another hoso binary (an earlier build) in its place;
# SAMPLES=path takes the sample generator from another build (a debug one will do: it only makes the input).
#
# Needs: a release build, pdfsig (poppler-utils), openssl, the venv `make test` makes (pyHanko).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
work=${2:-/tmp/hoso-verify-bench}
hoso=${HOSO:-$PWD/.build/release/hoso}
samples=${SAMPLES:-$PWD/.build/release/hoso-samples}
python=$PWD/.build/python/bin/python3
[[ -x $hoso && -x $samples ]] || swift build -c release >/dev/null
rm -rf "$work" && mkdir -p "$work/files"
Tests/HoSoSignatureTests/Fixtures/make-pki.sh "$work/pki" >/dev/null
"$samples" large a4-colour-jpeg --dpi 140 --out "$work/form.tif" >/dev/null
"$hoso" normalize "$work/form.tif" -o "$work" >/dev/null
"$python" Tests/HoSoSignatureTests/Fixtures/sign-with-pyhanko.py "$work/form.pdf" "$work/signed.pdf" \
    "$work/pki/signer.key" "$work/pki/signer-chain.pem"
if [[ ${SIGNATURES:-1} == 2 ]]; then
    mv "$work/signed.pdf" "$work/once.pdf"
    "$python" Tests/HoSoSignatureTests/Fixtures/sign-with-pyhanko.py "$work/once.pdf" "$work/signed.pdf" \
        "$work/pki/signer.key" "$work/pki/signer-chain.pem" --field Signature2
fi
for i in $(seq -w 1 "$count"); do cp "$work/signed.pdf" "$work/files/result-$i.pdf"; done
size=$(du -k "$work/signed.pdf" | cut -f1)

measure() {  # label, command...: prints "| label | s | docs/s |"
    local label=$1; shift
    local start end
    start=$(date +%s.%N)
    "$@" >"$work/out.txt" 2>&1 || true
    end=$(date +%s.%N)
    local seconds
    seconds=$(echo "$end - $start" | bc -l)
    printf '| %s | %.2f | %.0f |\n' "$label" "$seconds" "$(echo "$count / $seconds" | bc -l)"
}
pdfsig_all() { for f in "$work"/files/*.pdf; do pdfsig "$f" >/dev/null 2>&1 || true; done; }

echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); $count signed PDFs of ${size} KB (PAdES B-B, RSA-2048, SHA-256, ${SIGNATURES:-1} signature(s)); hoso: $hoso"
echo
echo "| verifier | seconds | docs/s |"
echo "|---|---|---|"
measure "hoso verify (one process, trust anchors + CRLs)" "$hoso" verify "$work"/files/*.pdf --trust "$work/pki/anchors" --crl "$work/pki/crls"
grep -c "TOTAL_PASSED —" "$work/out.txt" | sed 's/^/  passed: /' >&2
measure "pdfsig (one process per file)" pdfsig_all
measure "pyHanko validate_pdf_signature (one process)" "$python" Benchmarks/pyhanko-validate.py "$work/pki/anchors/root.pem" "$work"/files/*.pdf
echo "  pyHanko: $(tail -1 "$work/out.txt") of $count intact and trusted" >&2
