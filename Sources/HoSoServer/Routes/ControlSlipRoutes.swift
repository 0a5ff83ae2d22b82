import Foundation
import HoSoCatalog
import HoSoCore
import Hummingbird

extension HoSoAPI {
    /// The process control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ, TT 01/2018), built only
    /// from the recorded events: each step with its real time and actor, and whether the case was
    /// returned early, on time or late against its due time.
    struct ControlSlip: Encodable {
        struct Step: Encodable {
            let number: Int
            let time: Date
            /// `hh:mm dd/mm/yyyy`, as the slip prints it.
            let handOverTime: String
            let kind: String
            let actor: String
            let note: String
        }

        let caseId: String
        let procedureCode: String?
        let applicant: String?
        let receivedAt: Date?
        let dueAt: Date?
        let steps: [Step]
        let returnedAt: Date?
        /// early, on_time, late, or not_returned.
        let outcome: String
    }

    @Sendable func controlSlip(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let format = try QueryChoice.value(request, "format", in: ["json", "pdf"])
        let found = try await knownCase(context)
        let events = try await catalog.events(of: found.id)
        let slip = Self.slip(found, events: events)
        if format == "pdf" || (format == nil && (request.headers[.accept] ?? "").contains("application/pdf")) {
            let pdf: [UInt8]
            do { pdf = try ControlSlipPDF.render(slip) } catch {
                throw Problem(.internalServerError, "rendering_failed", "the control slip PDF cannot be made: \(error)")
            }
            return Response(status: .ok, headers: [.contentType: "application/pdf"], body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
        }
        return try JSON.response(slip)
    }

    static func slip(_ item: Case, events: [Event]) -> ControlSlip {
        let steps = events.enumerated().map { index, event in
            ControlSlip.Step(number: index + 1, time: event.time, handOverTime: VietnamTime.short(event.time),
                             kind: event.kind.rawValue, actor: event.actor,
                             note: event.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let returned = events.first { $0.kind == .returned }?.time
        var outcome = "not_returned"
        if let returned, let due = item.dueAt {
            let day: Double = 86_400
            outcome = returned > due ? "late" : (due.timeIntervalSince(returned) >= day ? "early" : "on_time")
        } else if returned != nil {
            outcome = "on_time"
        }
        return ControlSlip(caseId: item.id.description, procedureCode: item.procedureCode?.rawValue, applicant: item.applicant?.name,
                           receivedAt: item.receivedAt, dueAt: item.dueAt, steps: steps, returnedAt: returned, outcome: outcome)
    }
}
