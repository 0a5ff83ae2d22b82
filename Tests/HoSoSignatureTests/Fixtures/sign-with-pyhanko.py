#!/usr/bin/env python3
"""Signs a PDF with pyHanko (PyPI), the outside signer HoSo's verifier is checked against.

    sign-with-pyhanko.py IN OUT KEY CHAIN [--field NAME] [--subfilter pades|pkcs7] [--certify [--docmdp 1|2|3]]
                         [--lock all|include:A,B|exclude:A,B] [--add-empty-field] [--certify-after-approval]
                         [--tsa-key KEY --tsa-chain CHAIN [--document-timestamp]]

--docmdp sets the certification's permissions (DocMDP /P); --lock makes the signature lock fields
(FieldMDP); --add-empty-field only adds an unsigned signature field NAME (visible, on page 1) and signs
nothing.

--certify-after-approval lets --certify sign a file that already has a signature: pyHanko refuses that,
rightly, since a certification must be the first signature; the option builds the malformed file a
verifier must reject.

With --tsa-*, the signature gets an RFC 3161 timestamp (PAdES B-T) from pyHanko's local timestamper.
With --document-timestamp, IN is not signed but gets a document timestamp (SubFilter ETSI.RFC3161,
what PAdES B-LTA adds); KEY and CHAIN are then unused.

CHAIN is the signer's certificate followed by its intermediates (PEM). The output is an incremental
update of IN, so an already signed IN keeps its signatures.
"""
import argparse
from pyhanko.sign import signers, fields
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko_certvalidator.registry import SimpleCertificateStore
from asn1crypto import pem, x509

parser = argparse.ArgumentParser()
parser.add_argument("input")
parser.add_argument("output")
parser.add_argument("key")
parser.add_argument("chain")
parser.add_argument("--field", default="Signature1")
parser.add_argument("--subfilter", choices=["pades", "pkcs7"], default="pades")
parser.add_argument("--certify", action="store_true")
parser.add_argument("--tsa-key")
parser.add_argument("--tsa-chain")
parser.add_argument("--document-timestamp", action="store_true")
parser.add_argument("--docmdp", type=int, choices=[1, 2, 3])
parser.add_argument("--lock")
parser.add_argument("--add-empty-field", action="store_true")
parser.add_argument("--certify-after-approval", action="store_true")
args = parser.parse_args()

if args.add_empty_field:
    with open(args.input, "rb") as source:
        writer = IncrementalPdfFileWriter(source)
        fields.append_signature_field(writer, fields.SigFieldSpec(args.field, box=(300, 700, 500, 760)))
        with open(args.output, "wb") as target:
            writer.write(target)
    raise SystemExit(0)

with open(args.chain, "rb") as handle:
    certificates = [x509.Certificate.load(der) for _, _, der in pem.unarmor(handle.read(), multiple=True)]
from pyhanko.keys import load_private_key_from_pemder_data
with open(args.key, "rb") as handle:
    key = load_private_key_from_pemder_data(handle.read(), passphrase=None)
signer = signers.SimpleSigner(
    signing_cert=certificates[0], signing_key=key,
    cert_registry=SimpleCertificateStore.from_certs(certificates[1:]),
)
lock = None
if args.lock:
    action, _, names = args.lock.partition(":")
    lock = fields.FieldMDPSpec(fields.FieldMDPAction[action.upper()], fields=names.split(",") if names else None)
metadata = signers.PdfSignatureMetadata(
    field_name=args.field,
    subfilter=SigSeedSubFilter.PADES if args.subfilter == "pades" else SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
    certify=args.certify,
    docmdp_permissions=fields.MDPPerm(args.docmdp) if args.docmdp else fields.MDPPerm.FILL_FORMS,
)
if args.certify_after_approval:
    from pyhanko.sign.signers import pdf_signer
    pdf_signer._signatures_exist = lambda reader: False
timestamper = None
if args.tsa_key:
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    with open(args.tsa_chain, "rb") as handle:
        tsa_chain = [x509.Certificate.load(der) for _, _, der in pem.unarmor(handle.read(), multiple=True)]
    with open(args.tsa_key, "rb") as handle:
        tsa_key = load_private_key_from_pemder_data(handle.read(), passphrase=None)
    timestamper = DummyTimeStamper(tsa_cert=tsa_chain[0], tsa_key=tsa_key,
                                   certs_to_embed=SimpleCertificateStore.from_certs(tsa_chain))
with open(args.input, "rb") as source:
    writer = IncrementalPdfFileWriter(source)
    if args.document_timestamp:
        from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
        output = PdfTimeStamper(timestamper, field_name=args.field).timestamp_pdf(writer, "sha256")
    else:
        if lock is not None:
            fields.append_signature_field(writer, fields.SigFieldSpec(args.field, field_mdp_spec=lock))
        output = signers.sign_pdf(writer, metadata, signer=signer, timestamper=timestamper)
with open(args.output, "wb") as target:
    target.write(output.getbuffer())
