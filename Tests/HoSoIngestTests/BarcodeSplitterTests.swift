import HoSoCore
@testable import HoSoIngest
import Testing

/// How page codes become a case, a split batch, or a quarantine reason.
@Suite struct BarcodeSplitterTests {
    let splitter = BarcodeSplitter { text in
        let full = text.split(separator: "-").count == 2 ? "000.00.14.H27-\(text)" : text
        return Result { () throws(CaseIDError) in try CaseID(parsing: full) }
    }
    let a = try! CaseID(parsing: "000.00.14.H27-240815-0001")
    let b = try! CaseID(parsing: "000.00.14.H27-240815-0002")

    func page(_ number: Int, _ texts: String...) -> PageBarcodes {
        PageBarcodes(page: number, codes: texts.map { Barcode(symbology: .qr, text: $0) })
    }

    @Test(arguments: [
        ("000.00.14.H27-240815-0007", ["000.00.14.H27-240815-0007"]),
        ("MaHS:000.00.14.H27-240815-0007;MaTTHC:1.001193;CCCD:001088012345", ["000.00.14.H27-240815-0007"]),
        (#"{"maHoSo":"000.00.14.H27-240815-0007","ngay":"2024-08-15"}"#, ["000.00.14.H27-240815-0007"]),
        ("240815-0007", ["240815-0007"]),
        ("https://dichvucong.gov.vn/tra-cuu?ma=000.00.14.H27-240815-0007", ["000.00.14.H27-240815-0007"]),
        ("SĐT 0912-345-678", []),
        ("1.001193", []),
    ])
    func caseCodes_areFoundInBareAndStructuredPayloads(text: String, expected: [String]) {
        #expect(BarcodeSplitter.candidates(in: text) == expected)
    }

    @Test func page1NamesTheCase_andPagesWithoutCodesFollowIt() {
        #expect(splitter.decide([page(1, "240815-0001"), page(2), page(3)], component: nil)
            == .found(a, component: nil, operator: nil, rule: .barcode))
        #expect(splitter.decide([page(1), page(2, "240815-0001")], component: nil) == nil)
    }

    @Test func aSeparatorSheet_startsTheNextCase_andACaseNamedAgainGetsThosePagesToo() {
        let decision = splitter.decide(
            [page(1, "240815-0001"), page(2), page(3, "240815-0002"), page(4), page(5, "240815-0001"), page(6), page(7, "240815-0001")],
            component: nil)
        #expect(decision == .batch([BatchPart(caseID: a, pages: PageRanges("1-2,5-7")!), BatchPart(caseID: b, pages: PageRanges("3-4")!)]))
    }

    @Test func codesThatDisagree_orAreMalformed_goToQuarantine() {
        guard case .quarantine(.conflictingCaseIDs, let detail, _) = splitter.decide([page(1, "240815-0001", "240815-0002")], component: nil) else {
            Issue.record("two cases on one page must be a conflict"); return
        }
        #expect(detail.contains("page 1"))
        guard case .quarantine(.invalidCaseID, let detail2, _) = splitter.decide([page(1, "240815-0001"), page(2, "240231-0001")], component: nil) else {
            Issue.record("a malformed separator must be quarantined"); return
        }
        #expect(detail2.contains("page 2") && detail2.contains("240231-0001"))
    }
}
