#!/usr/bin/env bash
# Makes a test PKI with the openssl CLI in DIR: a root CA, an intermediate CA, signers (good, revoked,
# expired, RSA-1024, no signing key usage, EC; a citizen and a leader beside the office's seal; the seal
# renewed on the same key), a timestamping authority, and the intermediate's CRL revoking the revoked signer.
# With PORT, the signers' certificates name http://127.0.0.1:PORT/issuing.crl as their CRL distribution point,
# and the issuing CA's names http://127.0.0.1:PORT/root.crl.
#   make-pki.sh DIR [PORT]
set -euo pipefail
dir=$1
cdp=${2:+crlDistributionPoints = URI:http://127.0.0.1:$2/issuing.crl}
mkdir -p "$dir/ca" "$dir/anchors" "$dir/crls" "$dir/intermediates"
cd "$dir"
subj() { echo "/C=VN/O=HoSo Test/CN=$1"; }

openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out anchors/root.pem -days 3650 -subj "$(subj 'Test Root CA')" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout inter.key -out inter.csr -subj "$(subj 'Test Issuing CA')" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > ca.ext
[[ -n ${2:-} ]] && echo "crlDistributionPoints=URI:http://127.0.0.1:$2/root.crl" >> ca.ext
openssl x509 -req -in inter.csr -CA anchors/root.pem -CAkey root.key -CAcreateserial -out inter.pem -days 3650 -extfile ca.ext 2>/dev/null

# The intermediate signs with `openssl ca`, which keeps the index its CRL is made from.
: > ca/index.txt
echo 1000 > ca/serial
echo 1000 > ca/crlnumber
cat > ca.cnf <<CNF
[ca]
default_ca = issuing
[issuing]
dir = $dir/ca
database = \$dir/index.txt
serial = \$dir/serial
crlnumber = \$dir/crlnumber
new_certs_dir = \$dir
certificate = $dir/inter.pem
private_key = $dir/inter.key
default_md = sha256
default_days = 825
default_crl_days = 30
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
organizationName = optional
countryName = optional
[signer]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
$cdp
[tsa]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
[nousage]
basicConstraints = CA:FALSE
keyUsage = critical,keyEncipherment
CNF

issue() {  # name, key spec, extensions section, extra ca args...
    local name=$1 spec=$2 section=$3; shift 3
    openssl req -newkey "$spec" -nodes -keyout "$name.key" -out "$name.csr" -subj "$(subj "$name")" 2>/dev/null
    openssl ca -batch -config ca.cnf -extensions "$section" -in "$name.csr" -out "$name.pem" "$@" 2>/dev/null
    cat "$name.pem" inter.pem > "$name-chain.pem"
}
issue signer rsa:2048 signer
issue revoked rsa:2048 signer
issue expired rsa:2048 signer -startdate 20200101000000Z -enddate 20210101000000Z
issue weak rsa:1024 signer
issue nousage rsa:2048 nousage
issue tsa rsa:2048 tsa
issue citizen rsa:2048 signer
issue leader rsa:2048 signer
# The office's seal renewed: a new certificate on the same key.
openssl req -new -key signer.key -out signer-renewed.csr -subj "$(subj signer)" 2>/dev/null
openssl ca -batch -config ca.cnf -extensions signer -in signer-renewed.csr -out signer-renewed.pem 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null
openssl req -new -key ec.key -out ec.csr -subj "$(subj ec)" 2>/dev/null
openssl ca -batch -config ca.cnf -extensions signer -in ec.csr -out ec.pem 2>/dev/null
cat ec.pem inter.pem > ec-chain.pem

openssl ca -config ca.cnf -revoke revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -config ca.cnf -gencrl -out crls/issuing.crl 2>/dev/null
# The root's own CRL, empty, so CRL checking covers every certificate on the path.
sed -e "s#$dir/ca#$dir/rootca#; s#certificate = $dir/inter.pem#certificate = $dir/anchors/root.pem#; s#private_key = $dir/inter.key#private_key = $dir/root.key#" ca.cnf > root.cnf
mkdir -p rootca && : > rootca/index.txt && echo 1000 > rootca/crlnumber && echo 1000 > rootca/serial
openssl ca -config root.cnf -gencrl -out crls/root.crl 2>/dev/null
cp inter.pem intermediates/
