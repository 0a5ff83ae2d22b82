# Sourced by api.sh and health.sh: the test PKI and ~1 MB signed results, as the return gate wants them.
#
#   signed_results WORK COUNT CASE [EXTRA_CASE]
#
# Makes WORK/pki (the test PKI) and WORK/office.p12 (the office's seal, password "bench"); an A4 colour
# form at 250 dpi, normalized; COUNT copies named CASE_kq-NNNN.pdf, each made different by a comment line
# after its end (signatures made in the same second over the same bytes would be equal), and one
# EXTRA_CASE_kq.pdf when asked; all signed for the case their name gives into WORK/signed. Needs $hoso and
# $samples, and runs from the repository's root.
signed_results() {
    local work=$1 count=$2 case=$3 extra=${4:-}
    mkdir -p "$work/in" "$work/signed"
    Tests/HoSoSignatureTests/Fixtures/make-pki.sh "$work/pki" >/dev/null
    openssl pkcs12 -export -inkey "$work/pki/signer.key" -in "$work/pki/signer.pem" -certfile "$work/pki/inter.pem" \
        -passout pass:bench -out "$work/office.p12"
    "$samples" large a4-colour-jpeg --dpi 250 --out "$work/form.tif" >/dev/null
    "$hoso" normalize "$work/form.tif" -o "$work" >/dev/null
    for i in $(seq -w 1 "$count"); do { cat "$work/form.pdf"; echo "% copy $i"; } > "$work/in/${case}_kq-$i.pdf"; done
    [[ -z $extra ]] || cp "$work/form.pdf" "$work/in/${extra}_kq.pdf"
    HOSO_PASS=bench "$hoso" sign --p12 "$work/office.p12" --pass-env HOSO_PASS --out "$work/signed" --batch "$work/in" \
        --case-from file-name --json >/dev/null
}
