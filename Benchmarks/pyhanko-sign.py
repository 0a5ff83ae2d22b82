#!/usr/bin/env python3
"""Anchor for Benchmarks/sign.sh: signs each PDF with pyHanko (PAdES B-B) in one process.

    pyhanko-sign.py KEY CHAIN OUTDIR FILE...
"""
import os, sys
from asn1crypto import pem, x509
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

key_file, chain_file, out = sys.argv[1:4]
with open(chain_file, "rb") as handle:
    chain = [x509.Certificate.load(der) for _, _, der in pem.unarmor(handle.read(), multiple=True)]
with open(key_file, "rb") as handle:
    key = load_private_key_from_pemder_data(handle.read(), passphrase=None)
signer = signers.SimpleSigner(signing_cert=chain[0], signing_key=key, cert_registry=SimpleCertificateStore.from_certs(chain[1:]))
metadata = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=SigSeedSubFilter.PADES)
for path in sys.argv[4:]:
    with open(path, "rb") as source, open(os.path.join(out, os.path.basename(path)), "wb") as target:
        signers.sign_pdf(IncrementalPdfFileWriter(source), metadata, signer=signer, output=target)
