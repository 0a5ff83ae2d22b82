#!/usr/bin/env bash
# Makes a SoftHSM2 token in DIR holding the test PKI's signer (key and certificate, label "signer", id 01),
# PIN 1234. Prints the SOFTHSM2_CONF to export for any process that uses it.
#   make-token.sh DIR PKI
set -euo pipefail
dir=$1 pki=$2
module=/usr/lib/softhsm/libsofthsm2.so
mkdir -p "$dir/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$dir" > "$dir/softhsm2.conf"
export SOFTHSM2_CONF=$dir/softhsm2.conf
softhsm2-util --init-token --free --label van-thu --pin 1234 --so-pin 5678 >/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$pki/signer.key" -out "$dir/signer.p8"
softhsm2-util --import "$dir/signer.p8" --token van-thu --label signer --id 01 --pin 1234 >/dev/null
rm "$dir/signer.p8"
openssl x509 -in "$pki/signer.pem" -outform DER -out "$dir/signer.der"
pkcs11-tool --module "$module" --token-label van-thu --login --pin 1234 --write-object "$dir/signer.der" \
    --type cert --id 01 --label signer >/dev/null
echo "$SOFTHSM2_CONF"
