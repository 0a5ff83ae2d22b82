import HoSoCore

/// Parses a case ID given on the command line; a bad one is a data error (exit 65) that says which part
/// is wrong, prefixed by what it was given for (the files being ingested, say).
func parseCaseID(_ text: String, for subject: String? = nil) throws -> CaseID {
    let parsed = Result { () throws(CaseIDError) -> CaseID in try CaseID(parsing: text) }
    switch parsed {
    case .success(let id):
        return id
    case .failure(let error):
        let prefix = subject.map { "\($0): " } ?? ""
        throw CommandFailure(.dataError, "\(prefix)'\(text)': \(error.description)")
    }
}
