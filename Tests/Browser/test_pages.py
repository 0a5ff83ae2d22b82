"""The web pages in a real browser (Debian's Chromium through Playwright) against the real `hoso serve`.
The tests run in file order; the throttle's test is last, since it locks the address out."""
import csv
import datetime
import hashlib
import io
import json
import os
import re
import sqlite3
import urllib.request

import openpyxl

from playwright.sync_api import expect

from conftest import screenshot, sign_in


def test_signing_in_shows_the_overview_in_vietnamese(page, hoso):
    page.goto(hoso["url"] + "/ui/cases")
    expect(page).to_have_url(re.compile(r"/ui/login\?next="))
    screenshot(page, hoso, "dang-nhap")
    page.fill("input[name=username]", "lan")
    page.fill("input[name=password]", hoso["password"])
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/ui/cases$"))
    page.goto(hoso["url"] + "/ui/")
    expect(page.locator("h1")).to_have_text("Tổng quan")
    expect(page.locator("#user")).to_have_text("lan")
    expect(page.locator("#quarantine-waiting")).to_have_text("2")
    expect(page.locator("#late")).to_have_text("3")  # the three cases were due on 29/08/2024
    expect(page.locator("svg.chart")).to_have_count(2)
    expect(page.get_by_role("img", name="Tỷ lệ số hóa theo cơ quan")).to_be_visible()
    expect(page.get_by_role("img", name="Tỷ lệ số hóa theo thủ tục")).to_be_visible()
    screenshot(page, hoso, "tong-quan")
    page.click("text=English")
    expect(page.locator("h1")).to_have_text("Overview")
    page.click("text=Tiếng Việt")
    expect(page.locator("h1")).to_have_text("Tổng quan")
    page.click("button:has-text('Đăng xuất')")
    expect(page).to_have_url(re.compile(r"/ui/login$"))


def test_a_quarantined_scan_is_assigned_and_appears_on_its_case_with_its_thumbnail(page, hoso, browser):
    sign_in(page, hoso, "tram01")
    page.goto(hoso["url"] + "/ui/quarantine")
    row = page.locator("tr", has_text="scan-0001.tif")
    expect(row).to_contain_text("Không tìm thấy mã hồ sơ")
    expect(page.locator(".flash")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("nil")
    expect(row.locator("img")).to_be_visible()
    assert row.locator("img").evaluate("img => img.naturalWidth") > 0, "the thumbnail loaded"
    screenshot(page, hoso, "hang-cho")
    row.locator("input[type=checkbox]").check()
    page.fill("input[name=caseId]", hoso["case"])
    page.fill("input[name=component]", "Đơn")
    page.click("button:has-text('Gán vào hồ sơ')")
    expect(page.locator(".flash")).to_contain_text("Đã gán bản quét vào hồ sơ: 1")
    expect(page.locator("tr", has_text="scan-0001.tif")).to_have_count(0)

    clerk = browser.new_context(locale="vi-VN").new_page()
    sign_in(clerk, hoso, "lan")
    clerk.goto(hoso["url"] + "/ui/cases/" + hoso["case"])
    document = clerk.locator("ul.documents li", has_text="scan-0001.tif")
    expect(document).to_contain_text("Đơn")
    assert document.locator("img").evaluate("img => img.complete && img.naturalWidth") > 0, "its thumbnail shows"
    expect(clerk.locator("table.trail")).to_contain_text("user:tram01")
    screenshot(clerk, hoso, "ho-so")


def test_a_rejection_needs_a_reason_and_leaves_the_queue(page, hoso):
    sign_in(page, hoso, "tram01")
    page.goto(hoso["url"] + "/ui/quarantine")
    page.locator("tr", has_text="scan-0002.pdf").locator("input[type=checkbox]").check()
    page.click("button:has-text('Từ chối')")
    expect(page.locator(".error")).to_contain_text("reason")
    page.locator("tr", has_text="scan-0002.pdf").locator("input[type=checkbox]").check()
    page.fill("input[name=reason]", "trang trắng")
    page.click("button:has-text('Từ chối')")
    expect(page.locator(".flash")).to_contain_text("Đã từ chối bản quét: 1")
    expect(page.locator("tr", has_text="scan-0002.pdf")).to_have_count(0)


def test_a_station_user_cannot_open_the_reports(page, hoso):
    sign_in(page, hoso, "tram01")
    expect(page.locator("nav")).not_to_contain_text("Báo cáo")
    response = page.goto(hoso["url"] + "/ui/reports")
    assert response.status == 403
    expect(page.locator(".error")).to_contain_text("không có quyền")


def test_the_csv_totals_equal_the_api_report(page, hoso):
    sign_in(page, hoso, "lan")
    page.goto(hoso["url"] + "/ui/reports")
    screenshot(page, hoso, "bao-cao")
    with page.expect_download() as download:
        page.click("a[href='/ui/reports/digitization.csv']")
    raw = open(download.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, as Excel wants"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[1:]
    totals = [sum(int(row[column]) for row in rows) for column in range(2, 7)]
    request = urllib.request.Request(hoso["url"] + "/v1/reports/digitization", headers={"Authorization": "Bearer " + hoso["token"]})
    lines = json.load(urllib.request.urlopen(request))["lines"]
    expected = [sum(line[key] for line in lines) for key in ("cases", "inputsRequired", "inputsDigitized", "resultsSigned", "returned")]
    assert totals == expected and expected[0] >= 3, (totals, expected)


def test_an_applicant_named_like_a_script_shows_as_text(page, hoso):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, hoso, "lan")
    page.goto(hoso["url"] + "/ui/cases/" + hoso["xss_case"])
    expect(page.locator("#applicant")).to_contain_text("<script>alert(1)</script>")
    page.goto(hoso["url"] + "/ui/cases?q=" + "%3Cscript")
    expect(page.locator("#cases")).to_contain_text("<script>alert(1)</script>")
    screenshot(page, hoso, "danh-sach-ho-so")
    assert dialogs == [], dialogs


def test_a_scoped_user_sees_only_its_agency(page, hoso):
    sign_in(page, hoso, "so14")
    page.goto(hoso["url"] + "/ui/cases")
    expect(page.locator("#cases")).to_contain_text(hoso["case"])
    expect(page.locator("#cases")).not_to_contain_text(hoso["other_case"])
    assert page.goto(hoso["url"] + "/ui/cases/" + hoso["other_case"]).status == 404


def test_the_xlsx_holds_the_reports_lines_as_numbers(page, hoso, tmp_path):
    sign_in(page, hoso, "lan")
    page.goto(hoso["url"] + "/ui/reports")
    with page.expect_download() as download:
        page.click("a[href='/ui/reports/digitization.xlsx']")
    assert download.value.suggested_filename == "so-hoa.xlsx"
    saved = tmp_path / download.value.suggested_filename  # openpyxl goes by the file's extension
    download.value.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Cơ quan", "Thủ tục", "Hồ sơ"), rows[0]
    request = urllib.request.Request(hoso["url"] + "/v1/reports/digitization", headers={"Authorization": "Bearer " + hoso["token"]})
    lines = json.load(urllib.request.urlopen(request))["lines"]
    assert [list(row) for row in rows[1:]] == [
        [line["agency"], line.get("procedureCode", ""), line["cases"], line["inputsRequired"], line["inputsDigitized"], line["resultsSigned"],
         line["returned"]] for line in lines], (rows, lines)
    page.goto(hoso["url"] + "/ui/signers")
    expect(page.locator("h1")).to_have_text("Người ký")
    expect(page.locator("#add-signer textarea[name=certificate]")).to_be_visible()
    screenshot(page, hoso, "nguoi-ky")


def test_an_english_browser_gets_the_pages_in_english(browser, hoso):
    page = browser.new_context(locale="en-US").new_page()
    page.goto(hoso["url"] + "/ui/login")
    expect(page.locator("button[type=submit]")).to_have_text("Sign in")
    sign_in(page, hoso, "lan")
    expect(page.locator("h1")).to_have_text("Overview")
    expect(page.locator("nav")).to_contain_text("Reports")
    page.goto(hoso["url"] + "/ui/reports")
    expect(page.locator("#digitization th").first).to_have_text("Agency")
    screenshot(page, hoso, "reports-en")


def test_an_idle_session_ends_and_signing_in_again_goes_back(page, hoso):
    """The session was last seen 31 minutes ago (written into the catalog as the server would have): the
    next page asks to sign in again, then opens the page that was asked for."""
    sign_in(page, hoso, "lan")
    page.goto(hoso["url"] + "/ui/cases")
    expect(page.locator("h1")).to_have_text("Hồ sơ")
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "hoso_session")
    stale = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=31)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    with sqlite3.connect(os.path.join(hoso["data"], "catalog.sqlite")) as catalog:
        changed = catalog.execute("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?",
                                  (stale, hashlib.sha256(cookie.encode()).hexdigest())).rowcount
    assert changed == 1, "the browser's session is in the catalog"
    page.goto(hoso["url"] + "/ui/cases?q=Lan")
    expect(page).to_have_url(re.compile(r"/ui/login\?next="))
    page.fill("input[name=username]", "lan")
    page.fill("input[name=password]", hoso["password"])
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/ui/cases"))
    expect(page.locator("h1")).to_have_text("Hồ sơ")


def test_wrong_passwords_are_refused_then_throttled(page, hoso):
    for _ in range(5):
        sign_in(page, hoso, "an", "không phải mật khẩu")
        expect(page.locator(".error")).to_contain_text("không đúng")
    sign_in(page, hoso, "an")
    expect(page.locator(".error")).to_contain_text("Quá nhiều lần đăng nhập sai")
    screenshot(page, hoso, "dang-nhap-bi-chan")
