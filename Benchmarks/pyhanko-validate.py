#!/usr/bin/env python3
"""Anchor for Benchmarks/verify.sh: validates every signature of each PDF with pyHanko, in one process.

    pyhanko-validate.py ROOT.pem FILE...
Prints the number of files whose signatures are all intact and trusted.
"""
import sys
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

with open(sys.argv[1], "rb") as handle:
    roots = [x509.Certificate.load(der) for _, _, der in pem.unarmor(handle.read(), multiple=True)]
context = ValidationContext(trust_roots=roots)
good = 0
for path in sys.argv[2:]:
    with open(path, "rb") as handle:
        reader = PdfFileReader(handle)
        statuses = [validate_pdf_signature(signature, context) for signature in reader.embedded_signatures]
        good += all(status.intact and status.valid and status.trusted for status in statuses)
print(good)
