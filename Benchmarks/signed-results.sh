# Sourced by api.sh and health.sh, from the repository's root: sets $hoso and $samples (a release build,
# or HOSO= and SAMPLES=), checks for wrk, and defines signed_results (the test PKI and ~1 MB signed
# results, as the return gate wants them), start_server and register.
#
#   signed_results WORK COUNT CASE [EXTRA_CASE]
#
# Makes WORK/pki (the test PKI) and WORK/office.p12 (the office's seal, password "bench"); an A4 colour
# form at 250 dpi, normalized; COUNT copies named CASE_kq-NNNN.pdf, each made different by a comment line
# after its end (signatures made in the same second over the same bytes would be equal), and one
# EXTRA_CASE_kq.pdf when asked; all signed for the case their name gives into WORK/signed. Needs $hoso and
# $samples, and runs from the repository's root.
hoso=${HOSO:-$PWD/.build/release/hoso}
samples=${SAMPLES:-$PWD/.build/release/hoso-samples}
[[ -x $hoso && -x $samples ]] || swift build -c release >/dev/null
command -v wrk >/dev/null || { echo "$(basename "$0"): needs wrk (apt-get install wrk)" >&2; exit 1; }

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

# start_server WORK ROLE: a new data directory in WORK/data with the office's seal registered as the
# signer of agency 000.00.14.H27 and a token of ROLE (exported as HOSO_TOKEN); `hoso serve` on a random
# loopback port trusting the test PKI, stopped when the script exits; sets $server and $base.
start_server() {
    local work=$1 role=$2 data=$1/data port
    "$hoso" init --data "$data" >/dev/null
    "$hoso" signers add --agency 000.00.14.H27 --cert "$work/pki/signer.pem" --data "$data" >/dev/null
    export HOSO_TOKEN; HOSO_TOKEN=$("$hoso" token create --role "$role" --name bench --data "$data")
    port=$((20000 + RANDOM % 20000))
    HOSO_SERVER_PORT=$port HOSO_TRUST_ANCHORS=$work/pki/anchors HOSO_TRUST_CRLS=$work/pki/crls "$hoso" serve --data "$data" \
        >"$work/serve.log" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    base=http://127.0.0.1:$port
}

# register CASE: registers a case on the server start_server started.
register() {
    curl -sf -X POST "$base/v1/cases" -H "Authorization: Bearer $HOSO_TOKEN" -H 'Content-Type: application/json' \
        -d "{\"caseId\":\"$1\",\"procedureCode\":\"1.001193\",\"applicant\":{\"name\":\"Nguyễn Văn An\",\"idNumber\":\"001\"},\"receivedAt\":\"2024-08-15T08:30:00+07:00\",\"dueAt\":\"2024-08-29T17:00:00+07:00\"}" >/dev/null
}
