#!/usr/bin/env python3
"""Anchor for Benchmarks/verify.sh: validates every signature of each PDF with pyHanko, in one process.

    pyhanko-validate.py [--each] ROOT.pem FILE...
Prints the number of files whose signatures are all intact and trusted; with --each, first a line per
file: `ok`, `bad` or `unreadable` (pyHanko cannot read the file), a tab, and the path.
"""
import sys
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

arguments = sys.argv[1:]
each = arguments[0] == "--each"
if each:
    arguments = arguments[1:]
with open(arguments[0], "rb") as handle:
    roots = [x509.Certificate.load(der) for _, _, der in pem.unarmor(handle.read(), multiple=True)]
context = ValidationContext(trust_roots=roots)
good = 0
for path in arguments[1:]:
    try:
        with open(path, "rb") as handle:
            reader = PdfFileReader(handle)
            statuses = [validate_pdf_signature(signature, context) for signature in reader.embedded_signatures]
            verdict = "ok" if statuses and all(status.intact and status.valid and status.trusted for status in statuses) else "bad"
    except Exception as error:  # a file pyHanko itself cannot read
        if not each:
            raise
        verdict = "unreadable"
    good += verdict == "ok"
    if each:
        print(f"{verdict}\t{path}")
print(good)
