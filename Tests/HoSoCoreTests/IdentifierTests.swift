import Foundation
import HoSoCore
import Testing

@Suite struct IdentifierTests {
    @Test func resultCode_isTheCaseIDWithKQAndANumber() throws {
        let caseID = try CaseID(parsing: "000.00.14.H27-240815-0007")
        let code = try ResultCode(caseID: caseID, number: 2)
        #expect(code.description == "000.00.14.H27-240815-0007-KQ2")
        #expect(try ResultCode(parsing: "000.00.14.H27-240815-0007-KQ12").number == 12)
        #expect(throws: IdentifierError.self) { try ResultCode(caseID: caseID, number: 0) }
        #expect(throws: IdentifierError.self) { try ResultCode(parsing: "000.00.14.H27-240815-0007-KQ") }
        #expect(throws: IdentifierError.self) { try ResultCode(parsing: "000.00.14.H27-240815-0007-KQ01") }
        #expect(throws: IdentifierError.self) { try ResultCode(parsing: "000.00.14.H27-240231-0007-KQ1") }
    }

    @Test func procedureCode_acceptsRealCodes_refusesJunk() throws {
        #expect(try ProcedureCode(parsing: "1.001193").rawValue == "1.001193")
        #expect(try ProcedureCode(parsing: "2.000806").rawValue == "2.000806")
        #expect(throws: IdentifierError.self) { try ProcedureCode(parsing: "") }
        #expect(throws: IdentifierError.self) { try ProcedureCode(parsing: "1.001193; DROP TABLE") }
    }

    @Test func sha256Digest_normalizesCase_refusesWrongLength() throws {
        let upper = String(repeating: "AB", count: 32)
        #expect(try SHA256Digest(hex: upper).hex == String(repeating: "ab", count: 32))
        #expect(throws: IdentifierError.self) { try SHA256Digest(hex: "abc") }
        #expect(throws: IdentifierError.self) { try SHA256Digest(hex: String(repeating: "g", count: 64)) }
        #expect(SHA256Digest(bytes: [UInt8](repeating: 0x0F, count: 32)).hex == String(repeating: "0f", count: 32))
    }

    @Test func agencyCode_exposesItsTopLevel() throws {
        #expect(try AgencyCode(parsing: "000.00.14.H27").topLevel == "H27")
    }
}
