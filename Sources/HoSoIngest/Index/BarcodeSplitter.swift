import HoSoCore

/// One case's share of a batch scan split at separator sheets.
struct BatchPart: Equatable {
    let caseID: CaseID
    let pages: PageRanges
}

/// Decides a scan's case from the codes on its pages: page 1's code names the case, and in a batch a
/// later page whose code names a different case starts that case's pages (a separator sheet). Pages
/// without a code belong to the case before them; a case named again later gets those pages too.
struct BarcodeSplitter {
    /// Parses a case ID as the station does (a bare `YYMMDD-NNNN` gets the station's agency).
    let parse: (String) -> Result<CaseID, CaseIDError>

    /// What one page's codes say.
    enum PageCase: Equatable {
        case none
        case caseID(CaseID)
        case invalid(String, reason: String)
        case conflict([CaseID])
    }

    /// The decision, or nil when page 1 names no case (the next rule may find one).
    func decide(_ pages: [PageBarcodes], component: String?) -> Indexer.Decision? {
        guard let first = pages.first else { return nil }
        var current: CaseID
        switch read(first) {
        case .none: return nil
        case .caseID(let id): current = id
        case .invalid(let text, let reason):
            return .quarantine(.invalidCaseID, detail: "page 1's code '\(text)': \(reason)", component: component)
        case .conflict(let ids):
            return .quarantine(.conflictingCaseIDs, detail: "page 1's codes name \(Self.list(ids))", component: component)
        }
        var order = [current]
        var pagesOf: [CaseID: [Int]] = [current: [first.page]]
        for page in pages.dropFirst() {
            switch read(page) {
            case .none: break
            case .caseID(let id): current = id
            case .invalid(let text, let reason):
                return .quarantine(.invalidCaseID, detail: "page \(page.page)'s code '\(text)': \(reason)", component: component)
            case .conflict(let ids):
                return .quarantine(.conflictingCaseIDs, detail: "page \(page.page)'s codes name \(Self.list(ids))", component: component)
            }
            if pagesOf[current] == nil { order.append(current) }
            pagesOf[current, default: []].append(page.page)
        }
        guard order.count > 1 else { return .found(order[0], component: component, operator: nil, rule: .barcode) }
        return .batch(order.map { BatchPart(caseID: $0, pages: PageRanges(pages: pagesOf[$0]!)!) })
    }

    /// The case a page's codes name: every code that carries a case ID must name the same one.
    func read(_ page: PageBarcodes) -> PageCase {
        var found: [CaseID] = []
        for code in page.codes {
            for candidate in Self.candidates(in: code.text) {
                switch parse(candidate) {
                case .success(let id): if !found.contains(id) { found.append(id) }
                case .failure(let error): return .invalid(candidate, reason: "\(error)")
                }
            }
        }
        switch found.count {
        case 0: return .none
        case 1: return .caseID(found[0])
        default: return .conflict(found)
        }
    }

    /// The parts of a code's text shaped like a case code: the bare code of a Code128, or the case code
    /// inside a receipt QR's structured text (`MaHS:000.00.14.H27-240815-0007;MaTTHC:1.001193;...`).
    static func candidates(in text: String) -> [String] {
        text.matches(of: /(?:^|[^0-9A-Za-z.])((?:[0-9A-Za-z.]+-)?[0-9]{5,7}-[0-9]{3,5})(?![0-9A-Za-z])/).map { String($0.output.1) }
    }

    private static func list(_ ids: [CaseID]) -> String { ids.map(\.description).joined(separator: " and ") }
}
