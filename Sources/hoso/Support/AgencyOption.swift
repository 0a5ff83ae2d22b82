import ArgumentParser
import HoSoCore

/// Parses an `--agency` scope given to `hoso users` or `hoso token`: a bad code is a usage error (exit 64)
/// naming the option.
func parseAgencyOption(_ text: String) throws -> AgencyCode {
    do { return try AgencyCode(parsing: text) } catch { throw ValidationError("--agency: \(error)") }
}
