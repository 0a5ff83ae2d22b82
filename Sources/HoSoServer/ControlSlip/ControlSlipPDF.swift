import Foundation
import HoSoCore
import HoSoImaging

/// The control slip as Biểu 05 draws it, from the same data as its JSON, in the slip's words.
enum ControlSlipPDF {
    static func render(_ slip: HoSoAPI.ControlSlip, words: SlipWords) throws -> [UInt8] {
        var facts = words.caseCode(slip.caseId)
        if let applicant = slip.applicant { facts.append(words.applicant(applicant)) }
        if let code = slip.procedureCode { facts.append(words.procedure(code)) }
        facts.append(words.deciding(slip.decidingAgency))
        let units = Set(slip.rows.flatMap { [$0.from.name, $0.to.name] }).sorted()
        if !units.isEmpty { facts.append(words.takingPart(units)) }
        if let received = slip.receivedAt { facts.append(words.received(received)) }
        if let due = slip.dueAt { facts.append(words.due(due, promised: slip.promisedDueAt.flatMap { $0 == due ? nil : $0 })) }
        if let timeliness = slip.timeliness { facts.append(words.outcome(timeliness)) }
        return try FormPDF(
            heading: words.heading, title: words.title, facts: facts,
            columns: Array(zip(words.columns, [24, 30, 29, 17])),
            rows: slip.rows.map { row in [words.units(row), words.people(row), row.timeliness.map(words.words) ?? "", row.note ?? ""] },
            closingTitle: words.closingTitle, closing: slip.facts
        ).render()
    }
}
