#!/usr/bin/env python3
"""Fills a fresh SQLite catalog (made by `hoso init`) with CASES cases of 3 documents each, their events,
a passed result on every other case and a return on every fourth, spread over 20 agencies and 8 procedures
and the last 90 days: the catalog the web pages' benchmark reads.

    Benchmarks/catalog-generator.py CATALOG.sqlite [CASES]      (default 100000)
"""
import hashlib
import json
import random
import sqlite3
import sys
from datetime import datetime, timedelta, timezone

path, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
random.seed(7)
db = sqlite3.connect(path)
db.execute("PRAGMA synchronous = OFF")
start = datetime(2026, 9, 1, tzinfo=timezone.utc)
stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
digest = lambda *parts: hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()
agencies = [f"000.00.{n:02d}.H27" for n in range(10, 30)]
procedures = [f"1.00{n:04d}" for n in range(1190, 1198)]
components = ["Đơn đăng ký", "Bản vẽ", "Giấy tờ tùy thân"]
family, given = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"], ["An", "Bình", "Chi", "Dũng", "Lan", "Minh", "Thảo"]

cases, documents, events, results = [], [], [], []
for i in range(count):
    agency = agencies[i % len(agencies)]
    created = start + timedelta(seconds=i * 77)
    day = created.strftime("%y%m%d")
    case_id = f"{agency}-{day}-{i % 9999 + 1:04d}"
    returned = i % 4 == 0
    signed = i % 2 == 0
    status = "returned" if returned else ("result_attached" if signed else "open")
    name = f"{random.choice(family)} Văn {random.choice(given)}"
    # The report's per-case counts, as the catalog's own transactions keep them (every input digitized).
    cases.append((case_id, random.choice(procedures), name, f"{i:012d}", stamp(created), stamp(created + timedelta(days=10)),
                  json.dumps(components, ensure_ascii=False), status, stamp(created), len(components), len(components), int(signed)))
    events.append((case_id, stamp(created), "token:mot-cua", "case_registered", "{}"))
    for n, component in enumerate(components):
        sha = digest(case_id, n)
        documents.append((case_id, component, sha, 100_000, 1, f"{component}.tif", "scan-01", "station:scan-01", stamp(created + timedelta(minutes=n + 1)),
                          "stored"))
        events.append((case_id, stamp(created + timedelta(minutes=n + 1)), "station:scan-01", "document_stored", "{}"))
    if signed:
        results.append((case_id, 1, f"{case_id}-KQ1", digest(case_id, "kq"), 200_000, "TOTAL_PASSED", "{}", stamp(created + timedelta(days=2)), "token:mot-cua"))
        events.append((case_id, stamp(created + timedelta(days=2)), "token:mot-cua", "result_attached", "{}"))
    if returned:
        events.append((case_id, stamp(created + timedelta(days=3)), "token:mot-cua", "returned", "{}"))

db.executemany("INSERT OR IGNORE INTO cases (id, procedure_code, applicant_name, applicant_id_number, received_at, due_at, required_components, status, created_at, inputs_required, inputs_digitized, result_passed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", cases)
db.executemany("INSERT OR IGNORE INTO documents (case_id, component, sha256, byte_count, page_count, source_file_name, station, digitized_by, stored_at, status) VALUES (?,?,?,?,?,?,?,?,?,?)", documents)
db.executemany("INSERT OR IGNORE INTO results (case_id, number, result_code, sha256, byte_count, indication, report, attached_at, attached_by) VALUES (?,?,?,?,?,?,?,?,?)", results)
db.executemany("INSERT INTO events (case_id, time, actor, kind, details) VALUES (?,?,?,?,?)", events)
db.commit()
print(" ".join(f"{table}={db.execute(f'SELECT COUNT(*) FROM {table}').fetchone()[0]}" for table in ("cases", "documents", "results", "events")))
